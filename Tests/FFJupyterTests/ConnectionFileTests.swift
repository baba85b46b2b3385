import FFNotebook
import Testing

@testable import FFJupyter

/// Connection files as a client, or someone else, may write them.
@Suite struct ConnectionFileTests {
  static func file(_ extra: String) -> String {
    #"{"ip": "127.0.0.1", "shell_port": 1, "control_port": 2, "iopub_port": 3, "stdin_port": 4, "hb_port": 5"# + extra + "}"
  }

  @Test func aWellFormedFileReads() throws {
    let c = try ConnectionFile.parse(JSONValue.parse(Self.file(#", "key": "secret", "transport": "tcp", "signature_scheme": "hmac-sha256""#)))
    #expect(c.key == Array("secret".utf8))
    #expect(c.endpoint(.heartbeat) == "tcp://127.0.0.1:5")
    // An absent key is Jupyter's unsigned mode.
    #expect(try ConnectionFile.parse(JSONValue.parse(Self.file(""))).key.isEmpty)
  }

  /// A member of the wrong type is an error: a key that is not a string must not turn into
  /// no key at all, which would accept unsigned messages from anyone who can reach the ports.
  @Test func membersOfTheWrongTypeAreRefusedNotDefaulted() throws {
    for (extra, member) in [(#", "key": 123"#, "key"), (#", "key": null"#, "key"), (#", "key": ["s"]"#, "key"),
                            (#", "transport": 1"#, "transport"), (#", "signature_scheme": {}"#, "signature_scheme")] {
      let json = try JSONValue.parse(Self.file(extra))
      #expect {
        _ = try ConnectionFile.parse(json)
      } throws: { error in
        (error as? ConnectionFileError)?.reason == "\"\(member)\" is not a string"
      }
    }
  }
}
