import CDNNL

/// A matrix's values rounded to bfloat16, dense and row-major like `Matrix`: the operand a bf16
/// product reads. Made once for an operand that many products read unchanged (a layer's
/// normalised input during its whole training), so those products skip rounding it each time.
public final class BF16Matrix {
  public let rows: Int
  public let cols: Int
  /// Row-major bf16 bit patterns: element (r, c) is at `r * cols + c`. Written by the fused
  /// passes that produce an operand (`Elementwise.scaleRowAccumulating(..., rounded:)`).
  public let base: UnsafeMutablePointer<UInt16>

  /// An uninitialised-to-zero buffer for a product's operand that a fused pass writes. (rows, cols)
  public init(rows: Int, cols: Int) {
    precondition(rows >= 0 && cols >= 0, "bf16 matrix shape (\(rows), \(cols))")
    self.rows = rows
    self.cols = cols
    let n = max(rows * cols, 1)
    base = UnsafeMutableRawPointer.allocate(byteCount: n * 2, alignment: 64).bindMemory(to: UInt16.self, capacity: n)
    base.initialize(repeating: 0, count: n)
  }

  /// x rounded to bf16 (nearest even). x: (rows, cols) -> (rows, cols).
  public convenience init(rounding x: Matrix) {
    self.init(rounding: x, columns: 0..<x.cols)
  }

  /// Columns `columns` of x rounded to bf16, dense: x (rows, cols) -> (rows, columns.count).
  /// Layer 1 reads its images from pixel 10 on, past the label pixels.
  public init(rounding x: Matrix, columns: Range<Int>) {
    precondition(columns.lowerBound >= 0 && columns.upperBound <= x.cols, "columns \(columns) of a matrix with \(x.cols)")
    rows = x.rows
    cols = columns.count
    let n = max(rows * cols, 1)
    base = UnsafeMutableRawPointer.allocate(byteCount: n * 2, alignment: 64).bindMemory(to: UInt16.self, capacity: n)
    for r in 0..<rows {
      ffnb_bf16_round(x.base + r * x.cols + columns.lowerBound, base + r * cols, cols)
    }
  }

  /// Rows `range`, sharing this storage: the rounded operand of a product over a block of rows.
  public func rows(_ range: Range<Int>) -> BF16Rows {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows(\(range)) of a bf16 matrix with \(rows) rows")
    return BF16Rows(owner: self, first: range.lowerBound, rows: range.count)
  }

  deinit { base.deallocate() }

  /// Bytes held.
  public var bytes: Int { 2 * rows * cols }
}

extension BF16 {
  /// x rounded to bf16 (nearest even; a NaN stays a quiet NaN): the same bits as the C rounding
  /// the products use (ffnb_bf16_round), so an operand rounded here or there is the same.
  @inlinable @inline(__always)
  public static func bits(_ x: Float) -> UInt16 {
    let u = x.bitPattern
    let rounded = (u &+ 0x7fff &+ ((u >> 16) & 1)) >> 16
    let quiet = (u >> 16) | 0x40
    return UInt16(truncatingIfNeeded: (u & 0x7fff_ffff) > 0x7f80_0000 ? quiet : rounded)
  }
}

/// Consecutive rows of a `BF16Matrix`, dense: what the raw-pointer `BLAS.gemm` takes as an
/// operand already rounded. (rows, owner.cols)
public struct BF16Rows {
  let owner: BF16Matrix
  let first: Int
  public let rows: Int
  public var cols: Int { owner.cols }
  var base: UnsafePointer<UInt16> { UnsafePointer(owner.base + first * owner.cols) }
}
