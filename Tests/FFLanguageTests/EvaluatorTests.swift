import Testing

@testable import FFLanguage

@Suite("Evaluator")
struct EvaluatorTests {
  @Test("arithmetic: int op int stays int, / gives a number")
  func arithmetic() throws {
    #expect(try evaluate("1 + 2 * 3") == .int(7))
    #expect(try evaluate("(1 + 2) * 3") == .int(9))
    #expect(try evaluate("10 - 2 - 3") == .int(5))
    #expect(try evaluate("7 / 2") == .number(3.5))
    #expect(try evaluate("8 / 4") == .number(2))
    #expect(try evaluate("1 + 0.5") == .number(1.5))
    #expect(try evaluate("-3") == .int(-3))
    #expect(try evaluate("-(0.25)") == .number(-0.25))
    #expect(try evaluate("--3") == .int(3))
    #expect(try evaluate("2 * -3") == .int(-6))
    #expect(try evaluate("\"plots/\" + \"loss\" + \".svg\"") == .string("plots/loss.svg"))
  }

  @Test("variables, lists, calls and pipelines")
  func structures() throws {
    let env = Environment(variables: ["epochs": .int(350), "lr": .number(0.15), "base": .pipeline([.word("to-tensor")])])
    #expect(try evaluate("epochs-1", env) == .int(349))
    #expect(try evaluate("[784, epochs, lr * 2]", env) == .list([.int(784), .int(350), .number(0.3)]))
    #expect(
      try evaluate("normalize(mean=lr, std=0.1)", env)
        == .call(name: "normalize", arguments: [.init(label: "mean", value: .number(0.15)), .init(label: "std", value: .number(0.1))]))
    #expect(try evaluate("to-tensor | flatten", env) == .pipeline([.word("to-tensor"), .word("flatten")]))
    // A pipeline held in a variable is spliced in.
    #expect(try evaluate("base | flatten", env) == .pipeline([.word("to-tensor"), .word("flatten")]))
  }

  @Test("bare words: choices win, then variables, then words where words are expected")
  func bareWords() throws {
    let env = Environment(variables: ["random": .int(5), "which": .word("test")])
    let choice = ValueType.word(choices: ["random", "wrong"])
    #expect(try evaluate("random", env, expecting: choice) == .word("random"))
    #expect(try evaluate("which", env, expecting: .word(choices: [])) == .word("test"))
    #expect(try evaluate("val", env, expecting: .word(choices: [])) == .word("val"))
    #expect(try evaluate("flatten", env, expecting: .pipeline) == .word("flatten"))
    #expect(try evaluate("[a, b]", env, expecting: .list(.word(choices: []))) == .list([.word("a"), .word("b")]))
    #expect(throws: Diagnostic.self) { try evaluate("val", env, expecting: .int) }
  }

  @Test("errors: undefined names with suggestions, overflow, division by zero, bad operands", arguments: [
    ("lrr", "undefined variable 'lrr'; did you mean 'lr'?", 9),
    ("zzz", "undefined variable 'zzz'", 9),
    ("1 / 0", "division by zero in 1 / 0", 9),
    ("1.5 / 0.0", "division by zero in 1.5 / 0.0", 9),
    ("9223372036854775807 + 1", "integer overflow in 9223372036854775807 + 1", 9),
    ("-9223372036854775807 - 2", "integer overflow in -9223372036854775807 - 2", 9),
    ("4611686018427387904 * 2", "integer overflow in 4611686018427387904 * 2", 9),
    ("1e300 * 1e300", "number overflow in 1e+300 * 1e+300", 9),
    ("1e-300 * 1e-300", "number underflow in 1e-300 * 1e-300: the result is too small and would be 0", 9),
    ("1e-300 / 1e300", "number underflow in 1e-300 / 1e+300: the result is too small and would be 0", 9),
    ("\"a\" - 1", "'-' needs numbers, got string \"a\" and int 1", 9),
    ("\"a\" + 1", "'+' needs two numbers or two strings, got string \"a\" and int 1", 9),
    ("[1] * 2", "'*' needs numbers, got list [1] and int 2", 9),
    ("-\"x\"", "cannot negate string \"x\"", 9),
    ("1 + (2 * lrr)", "undefined variable 'lrr'; did you mean 'lr'?", 18),
  ])
  func errors(_ text: String, _ message: String, _ column: Int) throws {
    let env = Environment(variables: ["lr": .number(0.1)])
    let diagnostic = try evaluationError(text, env)
    #expect(diagnostic.message == message)
    #expect(diagnostic.location.column == column)
  }

  @Test("descriptions are source text that reads back")
  func descriptions() throws {
    let values: [Value] = [
      .int(-3), .number(0.15), .number(2), .number(1e-4), .number(1e-05), .number(1e20), .bool(true),
      .string("a \"q\"\n"), .list([.int(784), .int(1000)]),
      .call(name: "normalize", arguments: [.init(label: "mean", value: .number(0.1)), .init(value: .number(-0.5))]),
      .pipeline([.word("to-tensor"), .word("flatten")]),
    ]
    #expect(values.map(\.description).prefix(6) == ["-3", "0.15", "2.0", "0.0001", "1e-05", "1e+20"])
    #expect(Value.list([.int(784), .int(1000)]).description == "[784, 1000]")
    #expect(Value.string("x").description == "\"x\"")
    for value in values {
      #expect(try evaluate(value.description, expecting: .any) == value, "\(value)")
    }
  }

  @Test("types coerce: int to number, word to a one-step pipeline, strings to words")
  func coercion() {
    #expect(ValueType.number.coerce(.int(3)) == .number(3))
    #expect(ValueType.int.coerce(.number(3)) == nil)
    #expect(ValueType.pipeline.coerce(.word("flatten")) == .pipeline([.word("flatten")]))
    #expect(ValueType.word(choices: ["test"]).coerce(.string("test")) == .word("test"))
    #expect(ValueType.word(choices: ["test"]).coerce(.word("tst")) == nil)
    #expect(ValueType.list(.number).coerce(.list([.int(1), .number(2)])) == .list([.number(1), .number(2)]))
    #expect(ValueType.oneOf([.word(choices: ["train"]), .string]).coerce(.string("m.ffm")) == .string("m.ffm"))
    #expect(ValueType.list(.int).description == "a list of ints")
    #expect(ValueType.word(choices: ["random", "wrong"]).description == "one of random, wrong")
  }
}
