import Foundation
import Testing

/// Hostile notebooks, overrides and output paths, through the built binary: every case ends
/// with a clear message and the documented exit status, never a crash, a hang or escape codes
/// from the notebook on the terminal.
@Suite(.serialized) struct HostileNotebookTests {
  func notebook(_ name: String, _ text: String) throws -> URL {
    let file = try FFNB.temporaryDirectory().appendingPathComponent(name)
    try Data(text.utf8).write(to: file)
    return file
  }

  func notebook(_ name: String, bytes: [UInt8]) throws -> URL {
    let file = try FFNB.temporaryDirectory().appendingPathComponent(name)
    try Data(bytes).write(to: file)
    return file
  }

  @Test func valuesNestedOrDoubledThroughVariablesAreErrorsInCheckAndRun() throws {
    let deep = try notebook("deep.ffnb", "%% code a\nset s = 1\n" + String(repeating: "set s = [[[[[[[[s]]]]]]]]\n", count: 20_000))
    let doubled = try notebook("doubled.ffnb", "%% code a\nset s = \"ab\"\n" + String(repeating: "set s = s + s\n", count: 40) + "print 1\n")
    for (file, line, message) in [
      (deep, 11, "value nested too deeply: this list would be 65 levels deep"),
      (doubled, 22, "value too large: this string would hold 2,097,152 bytes of text"),
    ] {
      let check = try FFNB.run(["check", file.path], timeout: 60)
      #expect(check.status == 1, "\(check.stderr.prefix(2000))")
      #expect(check.stderr.contains(":\(line):") && check.stderr.contains(message), "\(check.stderr.prefix(2000))")
      let run = try FFNB.run(["run", file.path], timeout: 60)
      #expect(run.status == 2, "\(run.stderr.prefix(2000))")
      #expect(run.stdout.isEmpty)
      #expect(run.stderr.contains(message))
    }
  }

  @Test func numberLiteralsThatDoNotFitAreErrors() throws {
    let file = try notebook("numbers.ffnb", "%% code\nset x = 1e-400\nset y = 1e400\n")
    let r = try FFNB.run(["check", file.path])
    #expect(r.status == 1)
    #expect(r.stderr.contains("numbers.ffnb:2:9: error: number 1e-400 is out of range (too small: it would be 0"))
    #expect(r.stderr.contains("numbers.ffnb:3:9: error: number 1e400 is out of range (too large"))
  }

  @Test func invalidUTF8IsReportedOnceWhereItIs() throws {
    let bytes = Array("%% markdown\nhello ".utf8) + [0xFF] + Array("\n%% code\nprint \"a".utf8) + [0xFE] + Array("b\"\nseed ".utf8)
      + [0xC0] + Array("\n".utf8)
    let file = try notebook("bytes.ffnb", bytes: bytes)
    let r = try FFNB.run(["check", file.path])
    #expect(r.status == 1)
    let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
    #expect(errors.map { $0.split(separator: ":")[1...2].joined(separator: ":") } == ["2:7", "4:9", "5:6"], "\(r.stderr)")
    #expect(errors.allSatisfy { $0.contains("invalid UTF-8") }, "\(r.stderr)")
    let run = try FFNB.run(["run", file.path])
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
  }

  @Test func controlCharactersNeverReachTheTerminal() throws {
    let file = try notebook(
      "escapes.ffnb",
      "%% markdown\n# Title \u{1B}]0;PWNED\u{7}\nclear \u{1B}[2J\n%% code [raises]\nprint \"\u{1B}]52;c;aGVsbG8=\u{7}\"\nset s = \"\u{1B}[31m\"\nlearn epochs=s\n")
    let r = try FFNB.run(["run", file.path])
    #expect(r.status == 0, "\(r.stderr)")
    for text in [r.stdout, r.stderr] {
      #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "\(Array(text.unicodeScalars))")
    }
    #expect(r.stdout.contains("Title ^[]0;PWNED^G"))
    #expect(r.stdout.contains("clear ^[[2J"))
    #expect(r.stdout.contains("^[]52;c;aGVsbG8=^G"))
    #expect((r.stdout + r.stderr).contains("got string \"^[[31m\""))
  }

  @Test(arguments: ["run", "step"])
  func overrideOfTheWrongTypeStopsBeforeAnyCellRuns(command: String) throws {
    let r = try FFNB.run([command, "notebooks/quickstart.ffnb", "-p", "lr=abc"], input: "\n\n", environment: ["FFNB_HISTORY": "/dev/null"])
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains("error: -p lr=abc does not fit this parameter: its default is number 0.05, the override is word abc"))
    #expect(r.stderr.hasSuffix("no cell was run\n"))
  }

  @Test func unusableOutputPathsAreRefusedBeforeAnyCellRuns() throws {
    let dir = try FFNB.temporaryDirectory()
    let file = dir.appendingPathComponent("plain-file")
    try Data("x".utf8).write(to: file)
    for (output, reason) in [
      ("", "the path is empty"), (dir.path, "it is a directory"), (dir.path + "/sub/", "it names a folder"),
      (file.path + "/x.ipynb", "is not a directory"), ("/proc/ffnb-no/x.ipynb", "cannot create the folder /proc/ffnb-no"),
    ] {
      let r = try FFNB.run(["run", "notebooks/quickstart.ffnb", "--output", output])
      #expect(r.status == 2, "--output '\(output)': \(r.stderr)")
      #expect(r.stdout.isEmpty, "--output '\(output)'")
      #expect(r.stderr.contains(reason), "--output '\(output)': \(r.stderr)")
    }
  }

  @Test func headerErrorsShowTheirLineAndCaretEverywhere() throws {
    let file = try notebook("header.ffnb", "%% cod x\nprint 1\n%% code y [skip, b@d\nprint 2\n")
    let check = try FFNB.run(["check", file.path])
    let caret = "    1 | %% cod x\n      |    ^~~\n"
    #expect(check.stderr.contains(caret))
    for args in [["run", file.path], ["export", file.path, "-o", file.path + ".ipynb"]] {
      let r = try FFNB.run(args)
      #expect(r.status == 2, "\(args)")
      #expect(r.stderr.contains("header.ffnb:1:4: error: unknown cell kind 'cod'; did you mean 'code'?"), "\(args): \(r.stderr)")
      #expect(r.stderr.contains(caret), "\(args): \(r.stderr)")
    }
  }

  @Test func nestedTimeIsRefusedAtOnce() throws {
    let line = String(repeating: ":time ", count: 50_000) + "print 1\nprint 2\n"
    let r = try FFNB.run(["repl"], input: line, environment: ["FFNB_HISTORY": "/dev/null"], timeout: 60)
    #expect(r.status == 1)
    #expect(r.stdout == "2\n")
    #expect(r.stderr.contains(":time cannot time another :time"))
  }
}
