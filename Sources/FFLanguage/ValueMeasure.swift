/// The limits on a value of the command language, and how big a value is.
///
/// Values nest through variables (`set s = [s]` a thousand times) and grow through sharing
/// (`set s = s + s`, `set l = [l, l]`), so the parser's limits on one line do not bound them.
/// Without these limits, a few thousand short lines build a value deep enough to overflow the
/// stack when it is printed, compared or freed, or large enough to exhaust memory, and
/// `ffnb check`, which evaluates every `set`, would do the same. The evaluator refuses, at the
/// expression, any value that would pass a limit, so every recursive function over `Value`
/// (printing, equality, hashing, coercion, deallocation) runs at most `maximumDepth` deep and
/// over at most `maximumElements` values.
public enum ValueLimits {
  /// The deepest nesting of lists, calls and pipelines in one value: the parser's limit on
  /// brackets (`Parser.maximumDepth`), so a value written out as source parses back.
  public static let maximumDepth = 64
  /// The most values one value may hold at every level together: a list of a million ints,
  /// far beyond any layer list or transform, but bounded so printing one stays cheap.
  public static let maximumElements = 1_000_000
  /// The most text one value may hold: the UTF-8 bytes of its strings, words and call names at
  /// every level together (1 MiB).
  public static let maximumTextBytes = 1 << 20
}

/// How deep and how big a value is, counted with repetition: `[s, s]` holds `s` twice.
public struct ValueMeasure: Sendable, Hashable {
  /// Levels of lists, calls and pipelines: 0 for an int, 1 for `[1, 2]`, 2 for `[[1]]`.
  public var depth: Int
  /// Values inside, at every level: 2 for `[1, 2]`, 3 for `[[1], 2]`.
  public var elements: Int
  /// UTF-8 bytes of the strings, words, call names and argument labels, at every level.
  public var textBytes: Int

  public init(depth: Int = 0, elements: Int = 0, textBytes: Int = 0) {
    self.depth = depth
    self.elements = elements
    self.textBytes = textBytes
  }

  /// A scalar: an int, a number, a bool, a string or a word.
  static func scalar(_ value: Value) -> ValueMeasure {
    switch value {
    case .string(let text), .word(let text): ValueMeasure(textBytes: text.utf8.count)
    default: ValueMeasure()
    }
  }

  /// What a value's children add up to, before the node that holds them is counted.
  struct Children {
    var maximumDepth = 0
    var elements = 0
    var textBytes = 0

    /// Adds one child with measure `m`. Sums saturate, so repetition cannot overflow them.
    mutating func add(_ m: ValueMeasure) {
      maximumDepth = max(maximumDepth, m.depth)
      elements = Self.saturatingSum(elements, 1, m.elements)
      textBytes = Self.saturatingSum(textBytes, m.textBytes)
    }

    /// Adds the children of a spliced pipeline, whose node measure is `m` (its steps, not the
    /// pipeline itself, become children here).
    mutating func addSpliced(_ m: ValueMeasure) {
      maximumDepth = max(maximumDepth, m.depth - 1)
      elements = Self.saturatingSum(elements, m.elements)
      textBytes = Self.saturatingSum(textBytes, m.textBytes)
    }

    mutating func addText(_ bytes: Int) { textBytes = Self.saturatingSum(textBytes, bytes) }

    /// The measure of the node holding these children.
    var node: ValueMeasure { ValueMeasure(depth: maximumDepth + 1, elements: elements, textBytes: textBytes) }

    static func saturatingSum(_ values: Int...) -> Int {
      var total = 0
      for value in values {
        let (sum, overflow) = total.addingReportingOverflow(value)
        total = overflow ? Int.max : sum
      }
      return total
    }
  }

  /// What is wrong with a value of this measure, or nil when it is within `ValueLimits`. `what`
  /// names it in the message: "this list", "this string".
  func problem(_ what: String) -> String? {
    if depth > ValueLimits.maximumDepth {
      return "value nested too deeply: \(what) would be \(depth) levels deep (at most \(ValueLimits.maximumDepth) levels of lists, calls and pipelines)"
    }
    if elements > ValueLimits.maximumElements {
      return "value too large: \(what) would hold \(Self.count(elements)) values in all (at most \(Self.count(ValueLimits.maximumElements)))"
    }
    if textBytes > ValueLimits.maximumTextBytes {
      return "value too large: \(what) would hold \(Self.count(textBytes)) bytes of text (at most \(Self.count(ValueLimits.maximumTextBytes)), 1 MiB)"
    }
    return nil
  }

  /// `1,048,576`: digits grouped by thousands (saturated sums show as "more than …").
  static func count(_ n: Int) -> String {
    if n == Int.max { return "more than \(count(Int.max / 2))" }
    let digits = Array(String(n))
    var out = ""
    for (i, digit) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return out
  }
}

/// The identity of an array's storage, used to measure shared parts of a value once: `[s, s]`
/// and `set l = [l, l]` repeated share their elements, so measuring by walking every path
/// would take time exponential in the number of statements.
///
/// A storage address is only meaningful while the storage is alive; every user of a
/// `StorageID` holds the value it came from while it uses the ID.
struct StorageID: Hashable {
  var address: UInt

  init?(_ values: [Value]) {
    guard let base = values.withUnsafeBufferPointer({ $0.baseAddress }), !values.isEmpty else { return nil }
    address = UInt(bitPattern: base)
  }

  init?(_ arguments: [CallArgument]) {
    guard let base = arguments.withUnsafeBufferPointer({ $0.baseAddress }), !arguments.isEmpty else { return nil }
    address = UInt(bitPattern: base)
  }

  /// The storage holding a value's children, for lists, pipelines and calls.
  init?(childrenOf value: Value) {
    switch value {
    case .list(let items), .pipeline(let items): self.init(items)
    case .call(_, let arguments): self.init(arguments)
    default: return nil
    }
  }
}

extension Value {
  /// The value's measure. Shared storage is measured once (`memo`), and storage already
  /// measured elsewhere (`known`: the values of variables) is not walked again, so the work is
  /// bounded by the new parts of the value, never by its size counted with repetition.
  func measure(
    memo: inout [StorageID: ValueMeasure.Children], known: (StorageID) -> ValueMeasure.Children? = { _ in nil }
  ) -> ValueMeasure {
    var children = ValueMeasure.Children()
    switch self {
    case .int, .number, .bool, .string, .word:
      return ValueMeasure.scalar(self)
    case .list(let items), .pipeline(let items):
      if let id = StorageID(items), let cached = memo[id] ?? known(id) { return cached.node }
      for item in items { children.add(item.measure(memo: &memo, known: known)) }
      if let id = StorageID(items) { memo[id] = children }
      return children.node
    case .call(let name, let arguments):
      if let id = StorageID(arguments), let cached = memo[id] ?? known(id) {
        var node = cached.node
        node.textBytes = ValueMeasure.Children.saturatingSum(node.textBytes, name.utf8.count)
        return node
      }
      for argument in arguments {
        children.add(argument.value.measure(memo: &memo, known: known))
        children.addText(argument.label?.utf8.count ?? 0)
      }
      if let id = StorageID(arguments) { memo[id] = children }
      var node = children.node
      node.textBytes = ValueMeasure.Children.saturatingSum(node.textBytes, name.utf8.count)
      return node
    }
  }

  /// The value's measure, walking it once (shared parts once).
  public var measure: ValueMeasure {
    var memo: [StorageID: ValueMeasure.Children] = [:]
    return measure(memo: &memo)
  }
}
