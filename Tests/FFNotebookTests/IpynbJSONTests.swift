import Foundation
import Testing

@testable import FFNotebook

/// The encoder writes Jupyter's own layout (`json.dumps(sort_keys=True, indent=1,
/// ensure_ascii=False)`), and what it writes is JSON a standard parser reads back unchanged.
@Suite struct IpynbJSONTests {
  @Test func layoutIsJupyters() {
    let value = JSONValue.object([
      "b": .array([.int(1), .string("x")]),
      "a": .object([:]),
      "c": .array([]),
      "d": .null,
      "e": .bool(false),
    ])
    let expected = """
      {
       "a": {},
       "b": [
        1,
        "x"
       ],
       "c": [],
       "d": null,
       "e": false
      }

      """
    #expect(value.encoded() == expected)
  }

  @Test func keysSortByCodePointAsPythonDoes() {
    // Python sorts "Z" (U+005A) before "a" (U+0061) and "é" (U+00E9) after "z".
    let text = JSONValue.object(["é": .int(3), "a": .int(2), "Z": .int(1), "z": .int(4)]).encoded()
    let order = ["\"Z\"", "\"a\"", "\"z\"", "\"é\""].map { text.range(of: $0)?.lowerBound }
    #expect(order.allSatisfy { $0 != nil })
    #expect(order.compactMap { $0 }.sorted() == order.compactMap { $0 })
  }

  @Test func everyControlCharacterIsEscapedAndReadsBack() throws {
    let all = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))) + "\"\\/é✓\u{7F}"
    let text = JSONValue.array([.string(all)]).encoded()
    for byte in text.utf8 where byte < 0x20 {
      #expect(byte == 0x0A, "raw control byte \(byte) in \(text.debugDescription)")  // only the layout's newlines
    }
    #expect(text.contains(#"\u0000"#) && text.contains(#"\u001f"#) && text.contains(#"\n"#) && text.contains(#"\t"#))
    #expect(JSONValue.string("image/svg+xml").encoded() == "\"image/svg+xml\"\n", "slashes are not escaped")
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
    #expect(parsed == [all])
  }

  @Test func numbersReadBackExactly() throws {
    let values: [Double] = [0.1, 3, 1e-5, 7.653236389160156e-05, 1e16, -2.5, 123456.789]
    let text = JSONValue.array(values.map(JSONValue.double) + [.int(-42)]).encoded()
    #expect(text.contains("3.0"))
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [NSNumber])
    #expect(parsed.dropLast().map(\.doubleValue) == values)
    #expect(parsed.last?.intValue == -42)
  }

  @Test func nonFiniteDoublesBecomeNull() {
    #expect(JSONValue.array([.double(.nan), .double(.infinity)]).encoded() == "[\n null,\n null\n]\n")
  }
}
