import Testing
@testable import FFREPL

@Suite("History file location")
struct HistoryFileTests {
  @Test("FFNB_HISTORY wins, then XDG_STATE_HOME, then the home directory")
  func precedence() {
    #expect(HistoryFile.path(environment: ["FFNB_HISTORY": "/tmp/h", "XDG_STATE_HOME": "/s"], home: "/home/u") == "/tmp/h")
    #expect(HistoryFile.path(environment: ["XDG_STATE_HOME": "/s"], home: "/home/u") == "/s/ffnb/history")
    #expect(HistoryFile.path(environment: [:], home: "/home/u") == "/home/u/.ffnb_history")
    // The XDG spec ignores relative paths.
    #expect(HistoryFile.path(environment: ["XDG_STATE_HOME": "rel"], home: "/home/u") == "/home/u/.ffnb_history")
    #expect(HistoryFile.path(environment: ["FFNB_HISTORY": ""], home: nil) == nil)
  }
}
