import CDNNL

/// A matrix's values rounded to bfloat16, dense and row-major like `Matrix`: the operand a bf16
/// product reads. Made once for an operand that many products read unchanged (a layer's
/// normalised input during its whole training), so those products skip rounding it each time.
public final class BF16Matrix {
  public let rows: Int
  public let cols: Int
  /// Row-major bf16 bit patterns: element (r, c) is at `r * cols + c`.
  let base: UnsafeMutablePointer<UInt16>

  /// x rounded to bf16 (nearest even). x: (rows, cols) -> (rows, cols).
  public init(rounding x: Matrix) {
    rows = x.rows
    cols = x.cols
    let n = max(x.count, 1)
    base = UnsafeMutableRawPointer.allocate(byteCount: n * 2, alignment: 64).bindMemory(to: UInt16.self, capacity: n)
    ffnb_bf16_round(x.base, base, x.count)
  }

  deinit { base.deallocate() }

  /// Bytes held.
  public var bytes: Int { 2 * rows * cols }
}
