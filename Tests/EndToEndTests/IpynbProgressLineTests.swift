import FFTestSupport
import Foundation
import Testing

/// `learn` redraws one live progress line on a terminal, and prints plain epoch lines, with no
/// escape codes and no carriage returns, when its output is piped (to a file, a CI log, or an
/// executed notebook).
@Suite(.serialized) struct ProgressLineTests {
  /// The environment of a colour terminal user: only whether stdout is a terminal differs
  /// between the two tests.
  static var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    env["TERM"] = "xterm-256color"
    env["FFNB_DATA"] = FFNB.dataDirectory
    env["FFNB_REGISTRY"] = Binary.testRegistry
    return env
  }

  static func binary() throws -> String {
    try #require(FFNB.binary, "no ffnb binary: run `make test` or `swift build -c release`")
  }

  @Test(.enabled(if: IpynbTools.which("script") != nil, "util-linux `script` is needed for a pseudo-terminal"))
  func terminalShowsALiveProgressLine() throws {
    let command = [try Self.binary(), "run", "notebooks/quickstart.ffnb"].map(IpynbTools.shellQuoted).joined(separator: " ")
    // script -e returns the command's status; -f flushes as it goes; output is the terminal's.
    let r = try IpynbTools.run(IpynbTools.which("script") ?? "script", ["-qefc", command, "/dev/null"], environment: Self.environment)
    #expect(r.status == 0, "\(r.output.suffix(2000))")
    let bytes = [UInt8](r.bytes)
    // A terminal turns "\n" into "\r\n"; a redraw is a "\r" that does not start a newline.
    let redraws = zip(bytes, bytes.dropFirst()).filter { $0.0 == 0x0D && $0.1 != 0x0A }.count
    #expect(redraws >= 2, "the progress line is redrawn in place")
    #expect(r.output.contains("\r\u{1B}[2K["), "each redraw erases the line and draws the bar")
    #expect(r.output.contains("█"), "bar blocks")
    #expect(r.output.contains("left"), "an estimate of the time left")
  }

  @Test func pipedOutputHasNoEscapesOrCarriageReturns() throws {
    let r = try IpynbTools.run(try Self.binary(), ["run", "notebooks/quickstart.ffnb"], environment: Self.environment)
    #expect(r.status == 0, "\(r.output.suffix(2000))")
    #expect(!r.bytes.contains(0x1B), "no ESC bytes at all")
    #expect(!r.bytes.contains(0x0D), "no carriage returns")
    #expect(!r.output.contains("█"), "no bar")
    // The epoch lines the seed prints, every few epochs, for each of the two layers.
    let epochLines = r.output.split(separator: "\n").filter { $0.contains(" --- Loss: ") }
    #expect(epochLines.count >= 4, "\(epochLines)")
  }
}
