import FFNotebook
import Testing
@testable import FFREPL

/// `:undo`, `:back N` and `:snapshots [budget SIZE]` as typed, and the sizes a budget takes.
@Suite("Snapshot meta-commands")
struct SnapshotCommandParsingTests {
  @Test("the forms parse to their commands", arguments: [
    (":undo", MetaCommand.undo), (":back 4", .back(.index(4))), (":back model", .back(.name("model"))),
    (":snapshots", .snapshots(budget: nil)), (":snapshots budget 512M", .snapshots(budget: SnapshotBudget(bytes: 512 << 20))),
    (":snapshots budget 0", .snapshots(budget: SnapshotBudget(bytes: 0))),
  ])
  func parses(_ line: String, _ expected: MetaCommand) throws {
    #expect(try MetaCommand.parse(line) == expected)
  }

  @Test("bad arguments say what is expected")
  func rejects() {
    #expect(throws: MetaCommandError(.unexpectedArgument(command: "undo", argument: "2"))) { try MetaCommand.parse(":undo 2") }
    #expect(throws: MetaCommandError(.missingArgument(command: "back", expected: "a cell: N or a name, as in :back 4"))) { try MetaCommand.parse(":back") }
    #expect(throws: MetaCommandError(.badSelection(command: "back", text: "2-3", why: "name one cell: N or a name"))) { try MetaCommand.parse(":back 2-3") }
    #expect(throws: MetaCommandError.self) { try MetaCommand.parse(":snapshots 3") }
    #expect(throws: MetaCommandError.self) { try MetaCommand.parse(":snapshots budget") }
    #expect(throws: MetaCommandError.self) { try MetaCommand.parse(":snapshots budget 1G more") }
    let bad = MetaCommandError(.badSelection(command: "snapshots budget", text: "lots", why: "expected " + SnapshotBudget.expected))
    #expect(throws: bad) { try MetaCommand.parse(":snapshots budget lots") }
    #expect(bad.description == ":snapshots budget lots: expected a size such as 512M, 1G or 64K (binary units), or 0 to turn snapshots off")
  }

  static let budgets: [(String, Int)] = [
    ("512M", 512 << 20), ("1G", 1 << 30), ("1.5G", 3 << 29), ("64k", 64 << 10), ("300MiB", 300 << 20), ("2 GB", 2 << 30),
    ("1000000", 1_000_000), ("0", 0), ("256m", 256 << 20),
  ]

  @Test("budget sizes: binary units, a plain byte count, 0 for off", arguments: budgets)
  func sizes(_ text: String, _ bytes: Int) {
    #expect(SnapshotBudget(parsing: text)?.bytes == bytes)
  }

  @Test("not sizes", arguments: ["", "M", "-1M", "abc", "12Q", "1e400", "nan", "inf"])
  func notSizes(_ text: String) {
    #expect(SnapshotBudget(parsing: text) == nil)
  }

  @Test("sizes read as people read them")
  func formats() {
    #expect(SnapshotBudget.standard.description == "256 MiB")
    #expect(SnapshotBudget(bytes: 0).description == "off")
    #expect(SnapshotBudget.format(812) == "812 B")
    #expect(SnapshotBudget.format(254_000) == "248 KiB")
    #expect(SnapshotBudget.format(3 << 29) == "1.5 GiB")
  }

  @Test(":help and completion know them")
  func helpAndCompletion() {
    let help = InteractiveSession.helpText
    #expect(help.contains(":undo "))
    #expect(help.contains(":back N|name"))
    #expect(help.contains(":snapshots [budget SIZE]"))
    let context = CompletionContext(variables: [], cellNames: ["model", "learn"], datasets: [], baseDirectory: "/tmp")
    #expect(Completer.complete(":und", context: context).candidates == [":undo"])
    #expect(Completer.complete(":back mo", context: context).candidates == ["model"])
    #expect(Completer.complete(":snapshots b", context: context).candidates == ["budget"])
  }
}
