/// Why some bytes are not a JSON document, and where: the byte offset, and the line and
/// column an editor shows (a 200 MB notebook on one line per cell is found by line, not byte).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public var offset: Int
  public var reason: String
  /// 1-based; lines end at `\n`.
  public var line = 1
  /// 1-based, in Unicode scalars (code points) from the start of the line.
  public var column = 1
  public var description: String { "invalid JSON at line \(line), column \(column) (byte \(offset)): \(reason)" }

  public init(offset: Int, reason: String, line: Int = 1, column: Int = 1) {
    self.offset = offset
    self.reason = reason
    self.line = line
    self.column = column
  }

  /// The error with the line and column of its offset in `bytes`.
  func located(in bytes: [UInt8]) -> JSONParseError {
    let end = min(max(offset, 0), bytes.count)
    var line = 1
    var lineStart = 0
    for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
      line += 1
      lineStart = i + 1
    }
    // UTF-8 continuation bytes (10xxxxxx) do not start a scalar.
    let column = 1 + bytes[lineStart..<end].lazy.filter { $0 & 0xC0 != 0x80 }.count
    return JSONParseError(offset: offset, reason: reason, line: line, column: column)
  }
}

extension JSONValue {
  /// Deeper nesting than this is refused: real notebooks and Jupyter messages nest a handful
  /// of levels, and a hostile `[[[[...` must fail with an error, not overflow the stack of the
  /// thread parsing it (the kernel's threads have small stacks).
  public static let maximumDepth = 200

  /// Parses one JSON document (RFC 8259) from UTF-8 bytes: strict (no comments, no trailing
  /// commas, nothing after the value), with invalid UTF-8 in strings, lone surrogates in
  /// `\u` escapes and nesting beyond `maximumDepth` rejected. A hand-written parser, like the
  /// encoder, so hostile input (a Jupyter client's message, an `.ipynb` to import) meets limits
  /// this module chose rather than Foundation's.
  ///
  /// Numbers without a fraction or exponent that fit in `Int` are `.int`, others `.double`.
  /// A repeated object key keeps its last value, as Python's `json` does.
  public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(JSONParseError) -> JSONValue {
    var parser = JSONParser(bytes: Array(bytes))
    do throws(JSONParseError) {
      parser.skipWhitespace()
      let value = try parser.value(depth: 0)
      parser.skipWhitespace()
      guard parser.position == parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
      return value
    } catch {
      throw error.located(in: parser.bytes)
    }
  }

  /// Parses a JSON document held in a string.
  public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try parse(Array(text.utf8))
  }

  // MARK: Reading values

  /// The members of an object, or nil for anything else.
  public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
  /// The items of an array, or nil for anything else.
  public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
  /// The text of a string, or nil for anything else.
  public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
  /// An integer (also a double with an integral value that fits), or nil.
  public var intValue: Int? {
    switch self {
    case .int(let i): i
    case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: Int(d)
    default: nil
    }
  }
  /// A boolean, or nil.
  public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }

  /// A member of an object; nil for a missing member or a value that is not an object.
  public subscript(key: String) -> JSONValue? { objectValue?[key] }
}

/// A recursive-descent JSON parser over a byte array.
private struct JSONParser {
  let bytes: [UInt8]
  var position = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  func error(_ reason: String) -> JSONParseError { JSONParseError(offset: position, reason: reason) }

  mutating func skipWhitespace() {
    while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
  }

  mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
    guard position < bytes.count else { throw error("the document ends where a value should be") }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try object(depth: depth + 1)
    case UInt8(ascii: "["): return try array(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw error("unexpected character \(describe(bytes[position]))")
    }
  }

  private func describe(_ byte: UInt8) -> String {
    (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
  }

  private mutating func literal(_ word: StaticString) throws(JSONParseError) {
    let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
    guard bytes.count - position >= expected.count, bytes[position..<position + expected.count].elementsEqual(expected) else {
      throw error("expected \(word)")
    }
    position += expected.count
  }

  private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
    guard depth <= JSONValue.maximumDepth else { throw error("nested deeper than \(JSONValue.maximumDepth) levels") }
    position += 1
    var members: [String: JSONValue] = [:]
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
      let key = try string()
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
      position += 1
      skipWhitespace()
      members[key] = try value(depth: depth)
      skipWhitespace()
      guard position < bytes.count else { throw error("the document ends inside an object") }
      if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
      if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
      throw error("expected ',' or '}' in an object")
    }
  }

  private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
    guard depth <= JSONValue.maximumDepth else { throw error("nested deeper than \(JSONValue.maximumDepth) levels") }
    position += 1
    var items: [JSONValue] = []
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
      position += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try value(depth: depth))
      skipWhitespace()
      guard position < bytes.count else { throw error("the document ends inside an array") }
      if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
      if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
      throw error("expected ',' or ']' in an array")
    }
  }

  /// A string literal: escapes decoded, the raw bytes between them validated as UTF-8.
  ///
  /// The text is gathered as UTF-8 bytes and made a `String` once: appending each run and
  /// escape to a `String.UnicodeScalarView` took time quadratic in the number of escapes (a
  /// 1 MB cell of short lines, each ending in `\n`, took a minute to read in the kernel).
  private mutating func string() throws(JSONParseError) -> String {
    position += 1
    var out: [UInt8] = []
    var runStart = position
    func flush(_ end: Int) throws(JSONParseError) {
      guard end > runStart else { return }
      let run = bytes[runStart..<end]
      guard String(validating: run, as: UTF8.self) != nil else {
        throw JSONParseError(offset: runStart, reason: "a string holds bytes that are not UTF-8")
      }
      out.append(contentsOf: run)
    }
    while true {
      guard position < bytes.count else { throw error("the document ends inside a string") }
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        try flush(position)
        position += 1
        return String(decoding: out, as: UTF8.self)
      }
      if byte < 0x20 { throw error("a control character (0x\(String(byte, radix: 16))) inside a string must be escaped") }
      if byte != UInt8(ascii: "\\") {
        position += 1
        continue
      }
      try flush(position)
      position += 1
      guard position < bytes.count else { throw error("the document ends inside an escape") }
      let escape = bytes[position]
      position += 1
      switch escape {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"): out.append(contentsOf: UTF8.encode(try unicodeEscape())!)
      default: throw error("unknown escape \\\(describe(escape))")
      }
      runStart = position
    }
  }

  /// After `\u`: four hex digits, or a surrogate pair written as two escapes.
  private mutating func unicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
    let first = try hex4()
    if (0xD800...0xDBFF).contains(first) {
      guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
        throw error("a high surrogate \\u\(String(first, radix: 16)) without its low surrogate")
      }
      position += 2
      let second = try hex4()
      guard (0xDC00...0xDFFF).contains(second) else { throw error("a high surrogate followed by \\u\(String(second, radix: 16))") }
      return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
    }
    guard let scalar = Unicode.Scalar(first) else { throw error("a lone low surrogate \\u\(String(first, radix: 16))") }
    return scalar
  }

  private mutating func hex4() throws(JSONParseError) -> UInt32 {
    guard bytes.count - position >= 4 else { throw error("\\u needs four hex digits") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[position]
      let digit: UInt32
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
      default: throw error("\\u needs four hex digits")
      }
      value = value * 16 + digit
      position += 1
    }
    return value
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
  private mutating func number() throws(JSONParseError) -> JSONValue {
    let start = position
    func digits() -> Int {
      let from = position
      while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
      return position - from
    }
    if bytes[position] == UInt8(ascii: "-") { position += 1 }
    guard position < bytes.count else { throw error("a number needs digits") }
    if bytes[position] == UInt8(ascii: "0") {
      position += 1
    } else if digits() == 0 {
      throw error("a number needs digits")
    }
    var integral = true
    if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
      integral = false
      position += 1
      guard digits() > 0 else { throw error("a number needs digits after '.'") }
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
      integral = false
      position += 1
      if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
      guard digits() > 0 else { throw error("a number needs digits in its exponent") }
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    if integral, let i = Int(text) { return .int(i) }
    guard let d = Double(text), d.isFinite else { throw JSONParseError(offset: start, reason: "a number out of range") }
    return .double(d)
  }
}
