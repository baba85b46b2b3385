import Testing

@testable import FFLanguage

@Suite("Parser")
struct ParserTests {
  /// Canonical text of each statement parsed from `text`.
  func canonical(_ text: String) throws -> String { try statement(text).description }

  @Test("every command form of the built-in table parses", arguments: [
    "seed 0",
    "load mnist train batch=10000",
    "load fashion-mnist test batch=1000 shuffle=false as=val root=\"data\"",
    "load model \"runs/m.ffm\"",
    "transform to-tensor | normalize(mean=0.1, std=0.1) | flatten",
    "transform normalize(0.1307, 0.3081)",
    "build [784, 1000, 500, 200] epochs=350 lr=0.15 threshold=2",
    "build dims=[784, 500]",
    "learn",
    "learn layer=1 epochs=50 negatives=wrong data=train every=10",
    "predict test confusion=true skip_first=true",
    "show sample 3 data=test",
    "plot loss to=\"loss.svg\"",
    "save model \"m.ffm\"",
    "print \"accuracy\" acc 1.5 [1, 2]",
    "help learn",
    "set train_size = 10000",
    "set steps = to-tensor | flatten",
  ])
  func commandForms(_ text: String) throws {
    #expect(try canonical(text) == text)
  }

  @Test("set and command statements have names, labels and ranges")
  func structure() throws {
    let set = try statement("set lr = 0.15")
    guard case .set(let name, .number(let value, let range)) = set.kind else {
      Issue.record("not a set of a number: \(set)")
      return
    }
    #expect(name.name == "lr")
    #expect(name.range.start.column == 5)
    #expect(value == 0.15)
    #expect(range.start.column == 10)
    #expect(range.end.column == 14)
    #expect(set.range.start.column == 1 && set.range.end.column == 14)

    let learn = try statement("learn layer=2 data=train")
    guard case .command(let command, let arguments) = learn.kind else {
      Issue.record("not a command")
      return
    }
    #expect(command.name == "learn")
    #expect(arguments.map { $0.label?.name } == ["layer", "data"])
    #expect(arguments[1].range.start.column == 15)
    #expect(learn.commandName == "learn")
  }

  @Test("precedence: * and / bind tighter than + and -, left to right, unary minus tightest")
  func precedence() throws {
    #expect(try canonical("set x = 1 + 2 * 3") == "set x = 1 + (2 * 3)")
    #expect(try canonical("set x = (1 + 2) * 3") == "set x = (1 + 2) * 3")
    #expect(try canonical("set x = 1 - 2 - 3") == "set x = (1 - 2) - 3")
    #expect(try canonical("set x = 8 / 4 / 2") == "set x = (8 / 4) / 2")
    #expect(try canonical("set x = -2 * 3") == "set x = -2 * 3")
    #expect(try canonical("set x = --1") == "set x = --1")
    #expect(try canonical("set x = epochs-1") == "set x = epochs - 1")
    #expect(try canonical("set x = a | b + 1 | c") == "set x = a | (b + 1) | c")
  }

  @Test("pipelines of two or more steps; one step is not a pipeline")
  func pipelines() throws {
    guard case .command(_, let arguments) = try statement("transform to-tensor | flatten").kind,
      case .pipeline(let steps, _) = arguments[0].value
    else {
      Issue.record("expected a pipeline argument")
      return
    }
    #expect(steps.count == 2)
    guard case .command(_, let single) = try statement("transform flatten").kind else { return }
    #expect(single.count == 1)
    if case .identifier(let name) = single[0].value { #expect(name.name == "flatten") } else {
      Issue.record("one step should be an identifier")
    }
  }

  @Test("calls need the '(' right after the name")
  func calls() throws {
    guard case .command(_, let arguments) = try statement("print f(1, x=2) g (3)").kind else { return }
    #expect(arguments.count == 3)
    #expect(arguments[0].value.description == "f(1, x=2)")
    #expect(arguments[1].value.description == "g")
    #expect(arguments[2].value.description == "3")
    #expect(try canonical("print f()") == "print f()")
    #expect(try canonical("print f(1,)") == "print f(1)")
  }

  @Test("lists: empty, nested, trailing comma")
  func lists() throws {
    #expect(try canonical("set x = []") == "set x = []")
    #expect(try canonical("set x = [[1, 2], [3]]") == "set x = [[1, 2], [3]]")
    #expect(try canonical("set x = [1, 2,]") == "set x = [1, 2]")
  }

  @Test("a line ending inside brackets continues on the next")
  func continuation() throws {
    let text = """
      build [784,
             1000, 500,
             200] epochs=3
      learn
      transform normalize(
        mean=0.1,
        std=0.1)
      """
    let (statements, diagnostics) = parseStatements(text: text, origin: .input)
    #expect(diagnostics.isEmpty)
    #expect(statements.map(\.description) == [
      "build [784, 1000, 500, 200] epochs=3", "learn", "transform normalize(mean=0.1, std=0.1)",
    ])
    #expect(statements[0].range.start.line == 1 && statements[0].range.end.line == 3)
    #expect(statements[1].range.start.line == 4)
    #expect(statements[2].range.start.line == 5)
  }

  @Test("blank lines and comments make no statements")
  func blankLines() {
    let (statements, diagnostics) = parseStatements(text: "\n# note\n   \nseed 1 # why\n\n", origin: .input)
    #expect(diagnostics.isEmpty)
    #expect(statements.map(\.description) == ["seed 1"])
    #expect(statements[0].range.start.line == 4)
  }

  @Test("locations are file lines: cell.firstLine + line in cell - 1")
  func fileLines() throws {
    let nb = notebook("%% markdown\n# Title\n\n%% code main\nseed 0\n\nlern x\n")
    let cell = try #require(nb.cell("main"))
    #expect(cell.firstLine == 5)
    let (statements, diagnostics) = parseStatements(cell: cell, file: nb.path)
    #expect(diagnostics.isEmpty)
    #expect(statements[1].range.start == SourceLocation(file: "nb.ffnb", cell: 2, cellName: "main", line: 7, column: 1))
  }

  @Test("syntax errors have exact messages and positions", arguments: [
    ("seed 1)", "expected a value, found ')'", 7),
    ("learn epochs=10, lr=0.1", "unexpected ','; command arguments are separated by spaces", 16),
    ("lr = 0.05", "to assign a variable write 'set lr = …'", 1),
    ("set = 3", "expected a variable name after 'set', found '='", 5),
    ("set lr 3", "expected '=' after 'set lr', found number 3", 8),
    ("set lr =", "expected a value at the end of the line", 9),
    ("set true = 1", "'true' is a reserved word and cannot be a variable name", 5),
    ("set x = 1 2", "unexpected number 2 after the value of 'set x'", 11),
    ("42 learn", "expected a command name, found number 42", 1),
    ("print (1 + 2]", "expected ')' to close '(' at 1:7, found ']'", 13),
    ("print [1 2]", "expected ',' or ']' in list, found number 2", 10),
    ("print f(1 2)", "expected ',' or ')' in the arguments of 'f', found number 2", 11),
    ("print 1 +", "expected a value at the end of the line", 10),
    ("print * 2", "expected a value, found '*'", 7),
    ("learn epochs=", "expected a value at the end of the line", 14),
    ("print [1, 2", "unclosed '[': add ']' (a line that ends inside brackets continues on the next line)", 7),
    ("print f(1", "unclosed '(': add ')' (a line that ends inside brackets continues on the next line)", 8),
  ])
  func syntaxErrors(_ text: String, _ message: String, _ column: Int) throws {
    let diagnostic = try onlyDiagnostic(text)
    #expect(diagnostic.message == message)
    #expect(diagnostic.location.line == 1)
    #expect(diagnostic.location.column == column)
    #expect(diagnostic.severity == .error)
  }

  @Test("one bad line does not hide errors on later lines")
  func perLineRecovery() {
    let text = "seed )\nlearn\nprint [1 2]\nset = 1\npredict\n"
    let (statements, diagnostics) = parseStatements(text: text, origin: .input)
    #expect(statements.map(\.description) == ["learn", "predict"])
    #expect(diagnostics.map(\.location.line) == [1, 3, 4])
  }

  @Test("an unclosed bracket is reported at the bracket and parsing resumes at the next command")
  func unclosedRecovery() {
    let text = "build [784,\n  1000\nlern\nseed 1\n"
    let (statements, diagnostics) = parseStatements(text: text, origin: .input)
    #expect(statements.map(\.description) == ["lern", "seed 1"])
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.location.line == 1)
    #expect(diagnostics.first?.location.column == 7)
  }

  @Test("REPL entry points: one statement, continuation, -p overrides")
  func replEntryPoints() throws {
    #expect(parseStatement(line: "   ").0 == nil)
    #expect(parseStatement(line: "# comment").1.isEmpty)
    let (two, twoDiagnostics) = parseStatement(line: "seed 1\nseed 2")
    #expect(two == nil)
    #expect(twoDiagnostics.map(\.message) == ["expected one statement, found a second one"])
    #expect(parseStatement(line: "lern").1.isEmpty)
    #expect(parseStatement(line: "lern").0?.range.start.file == "<input>")

    #expect(isIncomplete("build [784,"))
    #expect(isIncomplete("transform normalize(mean=0.1,\n"))
    #expect(!isIncomplete("build [784, 10]"))
    #expect(!isIncomplete("print \"[\""))
    #expect(!isIncomplete("print ]"))
    #expect(!isIncomplete("print \"unterminated ["))
    #expect(isIncomplete("print [ # ]"))
    // Line by line, as the REPL reads, gives the same answer as the whole text.
    var random = RobustnessTests.SplitMix(state: 5)
    let pieces = ["[", "]", "(", ")", "\"", "\"[\"", "#", "# ]", "1,", "@", " ", "x"]
    for _ in 0..<500 {
      let lines = (0..<Int(random.next() % 6)).map { _ in
        (0..<Int(random.next() % 5)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
      }
      var brackets = OpenBrackets()
      for line in lines { brackets.add(line) }
      #expect(brackets.isIncomplete == isIncomplete(lines.joined(separator: "\n")), "\(lines)")
    }

    #expect(try parseAssignment("lr=0.05") == ("lr", .number(0.05)))
    #expect(try parseAssignment("epochs = 5") == ("epochs", .int(5)))
    #expect(try parseAssignment("negatives=wrong") == ("negatives", .word("wrong")))
    #expect(try parseAssignment("dims=[784, 10]") == ("dims", .list([.int(784), .int(10)])))
    #expect(try parseAssignment("name=\"x y\"") == ("name", .string("x y")))
    #expect(try parseAssignment("lr=1/8") == ("lr", .number(0.125)))
    #expect(throws: Diagnostic.self) { try parseAssignment("lr") }
    #expect(throws: Diagnostic.self) { try parseAssignment("lr=") }
    #expect(throws: Diagnostic.self) { try parseAssignment("=3") }
    #expect(throws: Diagnostic.self) { try parseAssignment("true=3") }
    #expect(throws: Diagnostic.self) { try parseAssignment("x=1/0") }
    do {
      _ = try parseAssignment("lr=0.0.5")
      Issue.record("expected an error")
    } catch {
      #expect(error.location.file == "-p")
      #expect(error.message == "malformed number '0.0.5'")
    }
  }

  @Test("canonical text round-trips through the parser")
  func descriptionRoundTrip() throws {
    for text in [
      "print a (-1) (-b)", "set x = -(1 + 2)", "print \"q\\\"uote\\n\"", "set x = f(a=[1, -2], b=c | d)",
      "set x = 1e-05", "set x = (a | b) | c",
    ] {
      let first = try statement(text)
      let second = try statement(first.description)
      #expect(first.description == second.description, "\(text)")
    }
  }
}
