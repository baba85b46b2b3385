import Testing

@testable import FFJupyter

@Suite struct MessageSignerTests {
  /// RFC 4231, test case 2, split over two frames: the frames are signed as one stream.
  @Test func signsAsHMACSHA256OverTheFramesInOrder() {
    let signer = MessageSigner(key: Array("Jefe".utf8))
    let frames = [Array("what do ya want ".utf8), Array("for nothing?".utf8)]
    let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    #expect(signer.signature(frames) == expected)
    #expect(signer.isValid(Array(expected.utf8), for: frames))
    #expect(signer.isValid(Array(expected.uppercased().utf8), for: frames))
  }

  @Test func rejectsAWrongOrMalformedSignature() {
    let signer = MessageSigner(key: Array("secret".utf8))
    let frames = [Array("{}".utf8), Array("{\"a\":1}".utf8)]
    var wrong = Array(signer.signature(frames).utf8)
    wrong[0] = wrong[0] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
    #expect(!signer.isValid(wrong, for: frames))
    #expect(!signer.isValid([], for: frames))
    #expect(!signer.isValid(Array("zz".utf8), for: frames))
    #expect(!signer.isValid(Array("abc".utf8), for: frames))
    // Another message's signature does not sign this one.
    #expect(!signer.isValid(Array(signer.signature([Array("{}".utf8)]).utf8), for: frames))
  }

  @Test func anEmptyKeyMeansUnsigned() {
    let signer = MessageSigner(key: [])
    #expect(signer.signature([Array("x".utf8)]) == "")
    #expect(signer.isValid([], for: [Array("x".utf8)]))
  }
}
