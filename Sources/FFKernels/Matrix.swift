/// A dense, row-major, float32 matrix that owns its storage.
///
/// A class, not a value type: training reuses the same buffers for every epoch, and
/// copy-on-write would hide allocations in the hot loop. Copies are explicit (`copy()`).
/// Storage is 64-byte aligned so BLAS and the vectorised passes start on a cache line.
public final class Matrix {
  /// Number of rows (samples, or output units for a weight matrix).
  public let rows: Int
  /// Number of columns (features, or input units for a weight matrix).
  public let cols: Int
  /// Row-major storage: element (r, c) is at `r * cols + c`.
  public let base: UnsafeMutablePointer<Float>
  /// The matrix whose storage a view shares (kept alive by the view); nil when this one owns it.
  private let parent: Matrix?

  /// Total number of elements.
  public var count: Int { rows * cols }

  /// A zero-filled matrix of shape (rows, cols).
  public init(rows: Int, cols: Int) {
    precondition(rows >= 0 && cols >= 0, "Matrix shape must be non-negative, got (\(rows), \(cols))")
    let (n, overflow) = rows.multipliedReportingOverflow(by: cols)
    precondition(!overflow, "Matrix shape (\(rows), \(cols)) overflows")
    self.rows = rows
    self.cols = cols
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * MemoryLayout<Float>.stride, alignment: 64)
    base = raw.bindMemory(to: Float.self, capacity: max(n, 1))
    base.initialize(repeating: 0, count: max(n, 1))
    parent = nil
  }

  private init(viewOf parent: Matrix, rows: Range<Int>) {
    self.rows = rows.count
    self.cols = parent.cols
    self.base = parent.base + rows.lowerBound * parent.cols
    self.parent = parent
  }

  /// The first `n` rows, sharing this matrix's storage (no copy): lets one buffer allocated for
  /// the largest block serve smaller ones.
  public func prefixRows(_ n: Int) -> Matrix {
    precondition(n >= 0 && n <= rows, "prefixRows(\(n)) of a matrix with \(rows) rows")
    return Matrix(viewOf: self, rows: 0..<n)
  }

  /// Rows `range`, sharing this matrix's storage (no copy): the parts of a stacked batch
  /// (neutral, positive, negative rows) and a validation split carved from a training set.
  public func rows(_ range: Range<Int>) -> Matrix {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows(\(range)) of a matrix with \(rows) rows")
    return Matrix(viewOf: self, rows: range)
  }

  /// A matrix of shape (rows, cols) holding `values` in row-major order.
  public convenience init(rows: Int, cols: Int, values: [Float]) {
    precondition(values.count == rows * cols, "expected \(rows * cols) values for (\(rows), \(cols)), got \(values.count)")
    self.init(rows: rows, cols: cols)
    values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: values.count) }
  }

  /// A matrix from nested rows; all rows must have the same length.
  public convenience init(_ nested: [[Float]]) {
    let cols = nested.first?.count ?? 0
    precondition(nested.allSatisfy { $0.count == cols }, "ragged rows")
    self.init(rows: nested.count, cols: cols, values: nested.flatMap { $0 })
  }

  deinit { if parent == nil { UnsafeMutableRawPointer(base).deallocate() } }

  /// Element (r, c), bounds-checked: for tests and small code, never for hot loops.
  public subscript(r: Int, c: Int) -> Float {
    get {
      precondition(r >= 0 && r < rows && c >= 0 && c < cols, "index (\(r), \(c)) outside (\(rows), \(cols))")
      return base[r * cols + c]
    }
    set {
      precondition(r >= 0 && r < rows && c >= 0 && c < cols, "index (\(r), \(c)) outside (\(rows), \(cols))")
      base[r * cols + c] = newValue
    }
  }

  /// Row r as a buffer into the matrix storage (no copy).
  @inlinable
  public func row(_ r: Int) -> UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: base + r * cols, count: cols)
  }

  /// All elements as one buffer (no copy).
  @inlinable
  public var elements: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: base, count: count)
  }

  /// An independent copy.
  public func copy() -> Matrix {
    let m = Matrix(rows: rows, cols: cols)
    m.base.update(from: base, count: count)
    return m
  }

  /// Copies `other` (same shape) into this matrix.
  public func assign(_ other: Matrix) {
    precondition(rows == other.rows && cols == other.cols, "shape (\(other.rows), \(other.cols)) into (\(rows), \(cols))")
    base.update(from: other.base, count: count)
  }

  /// Copies rows `range` of `source` (same column count) into this matrix starting at row `at`.
  public func assignRows(from source: Matrix, _ range: Range<Int>, at: Int = 0) {
    precondition(cols == source.cols, "column counts differ: \(source.cols) vs \(cols)")
    precondition(range.lowerBound >= 0 && range.upperBound <= source.rows && at + range.count <= rows,
                 "rows \(range) of \(source.rows) into \(rows) at \(at)")
    (base + at * cols).update(from: source.base + range.lowerBound * cols, count: range.count * cols)
  }

  /// Sets every element to `value`.
  public func fill(_ value: Float) { base.update(repeating: value, count: count) }

  /// Elements as nested arrays (for tests and display).
  public var nested: [[Float]] { (0..<rows).map { Array(row($0)) } }

  /// Elements as a flat array in row-major order.
  public var array: [Float] { Array(elements) }

  /// Bytes of storage, for memory estimates.
  public var byteCount: Int { count * MemoryLayout<Float>.stride }

  /// The matrix that owns this one's storage (itself, unless it is a view): what memory a
  /// reference keeps alive, so views of one buffer are counted once (REPL snapshots).
  package var storageOwner: Matrix {
    var owner = self
    while let parent = owner.parent { owner = parent }
    return owner
  }
}

extension Matrix: CustomStringConvertible {
  public var description: String { "Matrix(\(rows)x\(cols))" }
}
