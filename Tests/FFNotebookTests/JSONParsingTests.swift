import Testing

@testable import FFNotebook

/// The JSON parser the kernel reads messages with and `ffnb import` reads notebooks with.
@Suite struct JSONParsingTests {
  @Test func readsWhatTheEncoderWrites() throws {
    let value = JSONValue.object([
      "a": .array([.int(1), .double(0.25), .double(1e-05), .bool(true), .null]),
      "s": .string("tab\t\"quote\" \\ é 🙂 \u{01}"), "empty": .object([:]), "list": .array([]),
    ])
    #expect(try JSONValue.parse(value.encoded()) == value)
    #expect(try JSONValue.parse(value.compactEncoded()) == value)
    #expect(value.compactEncoded().hasPrefix(#"{"a":[1,0.25,1e-05,true,null],"empty":{}"#))
  }

  @Test func decodesEscapesAndSurrogatePairs() throws {
    #expect(try JSONValue.parse(#""\u00e9\ud83d\ude42\/\b\f\n\r\t""#) == .string("é🙂/\u{08}\u{0C}\n\r\t"))
    #expect(try JSONValue.parse("  -0.5e2 ") == .double(-50))
    #expect(try JSONValue.parse("9223372036854775807") == .int(Int.max))
    #expect(try JSONValue.parse("9223372036854775808") == .double(9223372036854775808))
    #expect(try JSONValue.parse(#"{"k": 1, "k": 2}"#) == .object(["k": .int(2)]))
  }

  @Test(arguments: [
    ("", "the document ends where a value should be"),
    ("{", "expected a member name in quotes"),
    ("[1,]", "unexpected character ']'"),
    ("01", "unexpected text after the JSON value"),
    ("1.", "a number needs digits after '.'"),
    ("tru", "expected true"),
    (#""\ud800""#, "a high surrogate \\ud800 without its low surrogate"),
    (#""\udc00""#, "a lone low surrogate \\udc00"),
    (#""\x""#, "unknown escape \\'x'"),
    ("\"a\nb\"", "a control character (0xa) inside a string must be escaped"),
    ("{\"a\" 1}", "expected ':' after a member name"),
    ("1e999", "a number out of range"),
  ])
  func refusesWhatIsNotJSON(text: String, reason: String) {
    #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    do {
      _ = try JSONValue.parse(text)
    } catch {
      #expect(error.reason == reason, "\(text)")
    }
  }

  @Test func refusesDeepNestingAndInvalidUTF8WithoutCrashing() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONParseError(offset: JSONValue.maximumDepth, reason: "nested deeper than 200 levels", line: 1, column: 201)) { try JSONValue.parse(deep) }
    let nested = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
    #expect((try? JSONValue.parse(nested)) != nil, "the limit itself is allowed")
    #expect(throws: JSONParseError(offset: 1, reason: "a string holds bytes that are not UTF-8", line: 1, column: 2)) {
      try JSONValue.parse([UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")])
    }
  }

  /// A notebook is many lines: an error names the line and column (in code points) an editor
  /// shows, not only the byte offset.
  @Test func errorsNameTheLineAndColumn() {
    for (text, message) in [
      ("{\n \"cells\": [\n  \"\u{e9}t\u{e9}\", 1e999\n ]\n}", "invalid JSON at line 3, column 10 (byte 25): a number out of range"),
      ("[1,\n2,\n]", "invalid JSON at line 3, column 1 (byte 7): unexpected character ']'"),
      ("", "invalid JSON at line 1, column 1 (byte 0): the document ends where a value should be"),
    ] {
      #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
      do {
        _ = try JSONValue.parse(text)
      } catch {
        #expect(error.description == message)
      }
    }
  }

  /// A cell of a million lines (a million escapes) reads whole. Reading it took 56 s when
  /// strings grew a scalar at a time, 0.8 s since they are built as UTF-8 (debug build);
  /// speed is for benchmarks, not tests, so this checks the result only.
  @Test func aMillionEscapesReadWhole() throws {
    let text = "\"" + String(repeating: "# c\\n", count: 1_000_000) + "\""
    let value = try JSONValue.parse(text)
    #expect(value.stringValue?.utf8.count == 4_000_000)
    #expect(value.stringValue?.hasSuffix("# c\n# c\n") == true)
  }
}
