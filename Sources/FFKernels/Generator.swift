import RealModule

/// ffnb's seeded pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018), seeded by
/// SplitMix64.
///
/// ffnb does not reproduce PyTorch's Mersenne-Twister streams (torch.randn's Box-Muller on
/// batches of 16 is an implementation detail); it promises instead that the same notebook with
/// the same seed draws the same numbers on every machine. Each consumer (weight init, a dataset's
/// shuffle, negative labels) gets its own *stream*, derived from the seed and a stream name, so
/// that re-ordering or re-running unrelated cells does not shift anyone else's draws.
public struct Generator: RandomNumberGenerator, Sendable {
  private var s0, s1, s2, s3: UInt64

  /// A generator for `seed` on the named stream (e.g. "init", "shuffle/mnist/train").
  public init(seed: UInt64, stream: String = "") {
    // FNV-1a of the stream name, folded into the seed before SplitMix64 expands it.
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in stream.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01b3
    }
    var sm = SplitMix64(state: seed ^ h)
    s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
  }

  /// A generator with an explicit state (for the reference test vector).
  init(state: (UInt64, UInt64, UInt64, UInt64)) {
    (s0, s1, s2, s3) = state
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  /// A uniform Float in [0, 1) with 24 random bits.
  public mutating func nextUniform() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A uniform integer in 0..<bound without modulo bias (Lemire's multiply-shift with rejection).
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive, got \(bound)")
    let b = UInt64(bound)
    var m = next().multipliedFullWidth(by: b)
    if m.low < b {
      let threshold = (0 &- b) % b
      while m.low < threshold { m = next().multipliedFullWidth(by: b) }
    }
    return Int(m.high)
  }

  /// A standard normal sample (Box-Muller in double precision, one value per call so that a
  /// stream's n-th draw does not depend on how the draws were batched).
  public mutating func nextNormal() -> Float {
    // u1 in (0, 1]: never log(0).
    let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    return Float((-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2))
  }

  /// Fills `buffer` with standard normal samples.
  public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>) {
    for i in buffer.indices { buffer[i] = nextNormal() }
  }

  /// A uniformly random permutation of 0..<n (Fisher-Yates, drawing from the end).
  public mutating func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    if n > 1 {
      for i in stride(from: n - 1, to: 0, by: -1) {
        p.swapAt(i, nextInt(below: i + 1))
      }
    }
    return p
  }
}

@inline(__always)
private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

/// SplitMix64: expands a 64-bit seed into well-mixed state words.
struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
