import Testing

@testable import FFNotebook

@Suite struct IpynbTextTests {
  @Test func stripsColourEraseAndTitleSequences() {
    let esc = "\u{1B}"
    #expect(IpynbText.strippingANSI("\(esc)[1;31merror:\(esc)[0m bad") == "error: bad")
    #expect(IpynbText.strippingANSI("\r\(esc)[2K[███ ] 3/30") == "\r[███ ] 3/30")
    #expect(IpynbText.strippingANSI("a\(esc)]0;title\u{07}b\(esc)]8;;http://x\(esc)\\c") == "abc")
    #expect(IpynbText.strippingANSI("x\(esc)7y\(esc)") == "xy")
    #expect(IpynbText.strippingANSI("plain ✓ text") == "plain ✓ text")
  }

  @Test func linesKeepTheirNewlines() {
    #expect(IpynbText.lines("a\nb") == ["a\n", "b"])
    #expect(IpynbText.lines("a\n\nb\n") == ["a\n", "\n", "b\n"])
    #expect(IpynbText.lines("a\r\nb") == ["a\r\n", "b"])
    #expect(IpynbText.lines("") == [])
    let text = "one\ntwo\n\nthree"
    #expect(IpynbText.lines(text).joined() == text)
  }
}
