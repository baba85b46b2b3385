import Testing

@testable import FFLanguage

@Suite("Checker")
struct CheckerTests {
  /// A notebook in the shape of the seed's, which must check clean.
  static let seedNotebook = """
    %% markdown
    # Forward-Forward on MNIST

    %% code params [parameters]
    set epochs = 350
    set lr = 0.15
    set dims = [784, 1000, 500, 200]

    %% code data
    seed 0
    transform to-tensor | normalize(mean=0.1, std=0.1) | flatten
    load mnist train batch=10000
    load mnist test batch=1000

    %% code main
    build dims epochs=epochs lr=lr threshold=2
    learn every=50
    predict train
    predict test confusion=true
    plot loss to="loss.svg"
    save model "mnist.ffm"
    """

  @Test("a seed-shaped notebook checks clean")
  func clean() {
    #expect(check(Self.seedNotebook).isEmpty)
  }

  /// The (message, line, column, severity) of each diagnostic.
  func summary(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.location.line):\($0.location.column) \($0.severity.rawValue): \($0.message)" }
  }

  @Test("every problem is reported, with file line and column")
  func everyProblem() {
    let text = """
      %% code params [parameters]
      set lr = 0.1
      seed 0

      %% code main
      lern epochs=10
      learn epoch=5 negatives=wrng
      build lr=lrr epochs="ten"
      seed 1 2
      learn layer=1 layer=2
      predict tset
      load mnist test
      predict tset
      set x = 1 / 0
      print x
      """
    #expect(summary(check(text)) == [
      "3:1 warning: only 'set' statements belong in a 'parameters' cell; -p cannot override this 'seed'",
      "6:1 error: unknown command 'lern'; did you mean 'learn'?",
      "7:7 error: unknown argument 'epoch' for 'learn'; did you mean 'epochs'? (valid: layer, epochs, negatives, data, every, batch, schedule, lr_schedule, eval, eval_every, shift, precision)",
      "7:25 error: invalid choice 'wrng' for 'negatives'; did you mean 'wrong'? (choices: random, wrong, hard)",
      "7:1 warning: 'learn' uses the data set 'train' by default, but no earlier cell loads it (none is loaded yet)",
      "8:10 error: undefined variable 'lrr'; did you mean 'lr'?",
      "8:21 error: 'epochs' expects an int, got string \"ten\"",
      "9:8 error: too many arguments: 'seed' takes 1 positional argument, got 2 (usage: seed <seed>)",
      "10:15 error: duplicate argument 'layer'",
      "10:1 warning: 'learn' uses the data set 'train' by default, but no earlier cell loads it (none is loaded yet)",
      "11:9 error: no data set named 'tset' is loaded (none is loaded yet)",
      "13:9 error: no data set named 'tset' is loaded; did you mean 'test'? (loaded: test)",
      "14:9 error: division by zero in 1 / 0",
    ].sorted { lineColumn($0).lexicographicallyPrecedes(lineColumn($1)) })
  }

  private func lineColumn(_ text: String) -> [Int] {
    text.split(separator: " ")[0].split(separator: ":").compactMap { Int($0) }
  }

  @Test("diagnostics name the file and the cell")
  func locations() throws {
    let diagnostics = check("%% markdown\ntext\n%% code main\nseed 0\n  lern\n")
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostic.location == SourceLocation(file: "nb.ffnb", cell: 2, cellName: "main", line: 5, column: 3))
    #expect(diagnostic.description == "nb.ffnb:5:3: error: unknown command 'lern'; did you mean 'learn'?   [cell 2 main]")
  }

  @Test("variables: defined in order, skip cells define nothing, predefined names count")
  func variables() {
    #expect(summary(check("print a\nset a = 1\nprint a\n")) == ["1:7 error: undefined variable 'a'"])
    let skipped = "%% code [skip]\nset a = 1\nprint a\n%% code\nprint a\n"
    #expect(summary(check(skipped)) == ["5:7 error: undefined variable 'a'"])
    #expect(check("print a", checker: Checker(predefined: ["a": .int(1)])).isEmpty)
    // A variable whose value failed to evaluate is defined: no cascade of errors.
    #expect(summary(check("set a = zz\nset b = a + 1\nbuild [784, a] lr=b\n")) == ["1:9 error: undefined variable 'zz'"])
    // Values are known ahead of the run, so types are checked through variables.
    #expect(summary(check("set n = \"ten\"\nlearn epochs=n\n"))
      == ["2:1 warning: 'learn' uses the data set 'train' by default, but no earlier cell loads it (none is loaded yet)", "2:14 error: 'epochs' expects an int, got string \"ten\""].sorted { lineColumn($0).lexicographicallyPrecedes(lineColumn($1)) })
  }

  @Test("errors in a cell tagged raises are notes")
  func raises() {
    let diagnostics = check("%% code [raises]\nlern\n")
    #expect(diagnostics.map(\.severity) == [.note])
    #expect(diagnostics.first?.message == "unknown command 'lern'; did you mean 'learn'? (expected: the cell is tagged 'raises')")
    #expect(!diagnostics.containsError)
  }

  @Test("data set names: load defines split or 'as', model loads define none")
  func datasets() {
    #expect(check("load mnist train as=small\nlearn data=small\n").isEmpty)
    #expect(summary(check("load mnist train as=small\nlearn\n"))
      == ["2:1 warning: 'learn' uses the data set 'train' by default, but no earlier cell loads it (loaded: small)"])
    #expect(check("load model \"m.ffm\"\npredict x\n").count == 1)
    #expect(check("predict x", checker: Checker(datasets: ["x"])).isEmpty)
  }

  @Test("-p overrides: replace parameters, must match a parameter and fit its type")
  func overrides() {
    let text = "%% code [parameters]\nset epochs = 350\nset lr = 0.15\n%% code\nlearn epochs=epochs data=d\n"
    let ok = Checker(overrides: ["epochs": .int(5), "lr": .int(1)], datasets: ["d"])
    #expect(check(text, checker: ok).isEmpty)
    let bad = Checker(overrides: ["epochs": .word("ten"), "lrr": .number(0.1)], datasets: ["d"])
    #expect(summary(check(text, checker: bad)) == [
      "2:14 error: -p epochs=ten does not fit this parameter: its default is int 350, the override is word ten",
      "5:14 error: 'epochs' expects an int, got word ten",
      "0:0 error: -p lrr: no parameter of that name; did you mean 'lr'? (parameters: epochs, lr)",
    ])
    // The command line's mistake, not the cell's: an error even where the cell may fail.
    let raises = "%% code [parameters, raises]\nset epochs = 350\n"
    #expect(summary(check(raises, checker: Checker(overrides: ["epochs": .string("x")]))) == [
      "2:14 error: -p epochs=\"x\" does not fit this parameter: its default is int 350, the override is string \"x\""
    ])
    let none = Checker(overrides: ["x": .int(1)])
    #expect(summary(check("seed 0", checker: none)) == ["0:0 error: -p x: no parameter of that name (the notebook has no 'parameters' cell)"])
  }

  @Test("markdown is not checked; header and statement problems both show")
  func markdownAndHeaders() {
    #expect(check("%% markdown\nlern this is prose\n").isEmpty)
    #expect(summary(check("%% code [paramters]\nseed 0\n")).count == 1)
  }
}
