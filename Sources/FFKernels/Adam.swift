import RealModule

/// Adam (Kingma & Ba, 2015) exactly as PyTorch's default `torch.optim.Adam` steps one tensor:
/// betas (0.9, 0.999), eps 1e-8, bias correction, no weight decay, no amsgrad.
///
/// PyTorch (single-tensor path) computes, at step t:
///   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
///   denom = sqrt(v) / sqrt(1 - b2^t) + eps;  p -= (lr / (1 - b1^t)) * m / denom
/// The same order of operations is used here, fused into one pass over the parameter.
public struct AdamHyperparameters: Sendable, Equatable, Codable {
  public var lr: Float
  public var beta1: Float = 0.9
  public var beta2: Float = 0.999
  public var eps: Float = 1e-8
  public init(lr: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
    self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps
  }
}

public enum AdamKernel {
  /// One Adam step on `count` parameters. `step` is the 1-based step number after this update.
  public static func step(
    parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
    firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
    count: Int, step: Int, hyper: AdamHyperparameters
  ) {
    let b1 = hyper.beta1, b2 = hyper.beta2
    let t = Float(step)
    let biasCorrection1 = 1 - Float.pow(b1, t)
    let biasCorrection2Sqrt = (1 - Float.pow(b2, t)).squareRoot()
    let stepSize = hyper.lr / biasCorrection1
    let eps = hyper.eps
    let oneMinusB1 = 1 - b1, oneMinusB2 = 1 - b2
    let pb = UnsafeMutableBufferPointer(start: p, count: count)
    let gb = UnsafeBufferPointer(start: g, count: count)
    let mb = UnsafeMutableBufferPointer(start: m, count: count)
    let vb = UnsafeMutableBufferPointer(start: v, count: count)
    for i in 0..<count {
      let gi = gb[i]
      let mi = b1 * mb[i] + oneMinusB1 * gi
      let vi = b2 * vb[i] + oneMinusB2 * gi * gi
      mb[i] = mi
      vb[i] = vi
      let denom = vi.squareRoot() / biasCorrection2Sqrt + eps
      pb[i] -= stepSize * (mi / denom)
    }
  }
}
