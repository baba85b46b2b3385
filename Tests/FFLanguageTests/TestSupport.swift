@testable import FFLanguage

/// Tokens of `text` without positions: the kinds only.
func tokenKinds(_ text: String) -> [Token.Kind] {
  Lexer.tokenize(text, origin: .input).tokens.map(\.kind)
}

/// Parses one statement that must be valid and returns it.
func statement(_ text: String) throws -> Statement {
  let (statement, diagnostics) = parseStatement(line: text)
  guard let statement, diagnostics.isEmpty else {
    throw TestFailure("expected a valid statement from \(text), got \(diagnostics.map(\.description))")
  }
  return statement
}

/// The single diagnostic for `text`, which must produce exactly one.
func onlyDiagnostic(_ text: String) throws -> Diagnostic {
  let (_, diagnostics) = parseStatements(text: text, origin: .input)
  guard diagnostics.count == 1 else {
    throw TestFailure("expected one diagnostic for \(text), got \(diagnostics.map(\.description))")
  }
  return diagnostics[0]
}

/// The value of an expression written in the command language.
func evaluate(_ text: String, _ env: Environment = Environment(), expecting: ValueType? = nil) throws -> Value {
  let parsed = try statement("set x = " + text)
  guard case .set(_, let expr) = parsed.kind else { throw TestFailure("not a set") }
  return try Evaluator.evaluate(expr, in: env, expecting: expecting)
}

/// The diagnostic evaluating `text` throws.
func evaluationError(_ text: String, _ env: Environment = Environment()) throws -> Diagnostic {
  let parsed = try statement("set x = " + text)
  guard case .set(_, let expr) = parsed.kind else { throw TestFailure("not a set") }
  do {
    let value = try Evaluator.evaluate(expr, in: env, expecting: nil)
    throw TestFailure("expected an error from \(text), got \(value)")
  } catch let diagnostic as Diagnostic {
    return diagnostic
  }
}

/// A notebook parsed from text (path "nb.ffnb"), header diagnostics dropped.
func notebook(_ text: String) -> Notebook {
  Notebook.parse(text: text, path: "nb.ffnb").0
}

/// Diagnostics of `ffnb check` on a notebook text: header and statement problems.
func check(_ text: String, checker: Checker = Checker()) -> [Diagnostic] {
  let (nb, headerDiagnostics) = Notebook.parse(text: text, path: "nb.ffnb")
  return headerDiagnostics + checker.check(nb)
}

/// Binds one command line against the builtins.
func bind(_ text: String, _ env: Environment = Environment()) throws -> BoundArguments {
  try Binder.bind(try statement(text), env: env)
}

/// The error binding one command line throws.
func bindError(_ text: String, _ env: Environment = Environment()) throws -> Diagnostic {
  do {
    let bound = try Binder.bind(try statement(text), env: env)
    throw TestFailure("expected an error from \(text), got \(bound.values)")
  } catch let diagnostic as Diagnostic {
    return diagnostic
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
