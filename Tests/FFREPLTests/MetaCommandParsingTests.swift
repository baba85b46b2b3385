import Testing
@testable import FFREPL

@Suite("Meta-command parsing")
struct MetaCommandParsingTests {
  @Test("every form and alias parses to its command", arguments: [
    (":next", MetaCommand.next), (":n", .next), (":all", .all), (":again", .again), (":rerun", .again),
    (":cells", .cells), (":vars", .vars), (":hyper", .hyper), (":history", .history), (":help", .help),
    (":quit", .quit), (":q", .quit), ("  :q  ", .quit), (":show", .show(nil)), (":show 2", .show(.index(2))),
    (":run 3", .run(.index(3))), (":run 2-5", .run(.range(2...5))), (":run main", .run(.name("main"))),
    (":run to-tensor_2", .run(.name("to-tensor_2"))), (":run 4-4", .run(.range(4...4))),
    (":time learn epochs=5", .time("learn epochs=5")), (":save runs/x.ffnb", .save(path: "runs/x.ffnb")),
    (":save \"my runs/x.ffnb\"", .save(path: "my runs/x.ffnb")),
  ])
  func parses(_ line: String, _ expected: MetaCommand) throws {
    #expect(try MetaCommand.parse(line) == expected)
  }

  @Test("an unknown name suggests the closest one")
  func didYouMean() {
    #expect(throws: MetaCommandError(.unknown(name: "nxt", suggestion: "next"))) { try MetaCommand.parse(":nxt") }
    #expect(throws: MetaCommandError(.unknown(name: "hepl", suggestion: "help"))) { try MetaCommand.parse(":hepl") }
    #expect(throws: MetaCommandError(.unknown(name: "frobnicate", suggestion: nil))) { try MetaCommand.parse(":frobnicate") }
    // Full names win ties with aliases: `rn` is one edit from both `run` and `n`.
    #expect(throws: MetaCommandError(.unknown(name: "rn", suggestion: "run"))) { try MetaCommand.parse(":rn") }
    let message = MetaCommandError(.unknown(name: "savee", suggestion: "save")).description
    #expect(message == "unknown meta-command ':savee'; did you mean ':save'?")
  }

  @Test("arguments are checked", arguments: [":run", ":time", ":save", ":cells 3", ":run 0", ":run 5-2", ":run 1-2-3", ":run a b", ":run x!", ":show 2-"])
  func rejects(_ line: String) {
    #expect(throws: MetaCommandError.self) { try MetaCommand.parse(line) }
  }

  @Test(":time does not time another :time, however deep the line nests them")
  func nestedTime() throws {
    let message = ":time cannot time another :time; time the command itself, as in :time learn epochs=5"
    for line in [":time :time print 1", ":time   :time", ":time :time :all", String(repeating: ":time ", count: 100_000) + "print 1"] {
      #expect(throws: MetaCommandError(.nested(command: "time"))) { try MetaCommand.parse(line) }
    }
    #expect(MetaCommandError(.nested(command: "time")).description == message)
    // Other meta-commands can be timed.
    #expect(try MetaCommand.parse(":time :all") == .time(":all"))
    #expect(try MetaCommand.parse(":time :run 2") == .time(":run 2"))
  }

  @Test("error messages say what was expected")
  func messages() {
    #expect(MetaCommandError(.missingArgument(command: "run", expected: "a cell: N, N-M or a name")).description == ":run needs a cell: N, N-M or a name")
    do {
      _ = try MetaCommand.parse(":run 5-2")
      Issue.record("expected an error")
    } catch {
      #expect(error.description == ":run 5-2: the range is empty (5 > 2)")
    }
  }

  @Test("only lines starting with a colon are meta-commands")
  func detection() {
    #expect(MetaCommand.isMetaCommand(":n"))
    #expect(MetaCommand.isMetaCommand("   :run 3"))
    #expect(!MetaCommand.isMetaCommand("print \":n\""))
    #expect(!MetaCommand.isMetaCommand(""))
  }

  @Test("the help table and the parser agree on every name")
  func tableMatchesParser() throws {
    for name in MetaCommandSpec.names {
      let spec = try #require(MetaCommandSpec.all.first { $0.name == name || $0.aliases.contains(name) })
      // A required argument: a cell number, or for `:compare` two run ids.
      let required = spec.argument == "ID ID..." ? " 3f2a 9c1e" : " 1"
      let line = ":" + name + (spec.argument.map { $0.hasPrefix("[") ? "" : required } ?? "")
      #expect(throws: Never.self) { try MetaCommand.parse(line) }
    }
  }
}
