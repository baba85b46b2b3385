import Foundation
import Testing

@testable import FFLanguage

/// Values built through variables are bounded in depth and size: an error at the expression
/// that would pass a limit, never a stack overflow or a runaway allocation, in `check` as in a
/// run (both evaluate every `set`).
@Suite("Value limits")
struct ValueLimitsTests {
  /// Runs the `set` statements of `lines` in order against one environment, as a run does;
  /// returns the first error and how many statements ran before it.
  func runSets(_ lines: [String]) -> (error: Diagnostic?, ran: Int, environment: Environment) {
    var env = Environment()
    for (i, line) in lines.enumerated() {
      let (statement, diagnostics) = parseStatement(line: line)
      if let first = diagnostics.first { return (first, i, env) }
      guard case .set(let name, let expr)? = statement?.kind else { continue }
      do {
        env[name.name] = try Evaluator.evaluate(expr, in: env, expecting: nil)
      } catch {
        return (error, i, env)
      }
    }
    return (nil, lines.count, env)
  }

  @Test("nesting through variables stops at 64 levels, with the list as the culprit")
  func depthThroughVariables() {
    let lines = ["set s = 1"] + Array(repeating: "set s = [s]", count: 5_000)
    let (error, ran, env) = runSets(lines)
    #expect(ran == 65)
    #expect(env["s"]?.description.count == 129)
    #expect(
      error?.message
        == "value nested too deeply: this list would be 65 levels deep (at most 64 levels of lists, calls and pipelines)")
    #expect(error?.location.column == 9)
  }

  @Test("check stops the nesting too, without crashing, and reports it once")
  func depthInCheck() {
    let text = "%% code a\nset s = 1\n" + String(repeating: "set s = [[[[[[[[s]]]]]]]]\n", count: 20_000)
    let errors = check(text).filter(\.isError)
    #expect(errors.count == 1)
    #expect(errors.first?.message.hasPrefix("value nested too deeply: this list would be 65 levels deep") == true)
    #expect(errors.first?.location.line == 11)
  }

  @Test("a string that doubles stops at 1 MiB, before it is built")
  func doublingString() {
    let lines = ["set s = \"ab\""] + Array(repeating: "set s = s + s", count: 40) + ["print s"]
    let (error, ran, env) = runSets(lines)
    #expect(ran == 20)
    #expect(env["s"].flatMap(\.textValue)?.utf8.count == 1 << 20)
    #expect(error?.message == "value too large: this string would hold 2,097,152 bytes of text (at most 1,048,576, 1 MiB)")
    let errors = check("%% code\n" + lines.joined(separator: "\n")).filter(\.isError)
    #expect(errors.count == 1)
  }

  @Test("lists of lists stop at a million values, counted with repetition")
  func doublingList() {
    let lines = ["set l = [1, 2]"] + Array(repeating: "set l = [l, l]", count: 60)
    let (error, ran, _) = runSets(lines)
    #expect(ran == 18)
    #expect(error?.message == "value too large: this list would hold 1,048,574 values in all (at most 1,000,000)")
    // Pipelines spliced into themselves, and text spread over many strings, count too.
    let pipes = ["set p = to-tensor | flatten"] + Array(repeating: "set p = p | p", count: 40)
    #expect(runSets(pipes).error?.message.hasPrefix("value too large: this pipeline") == true)
    let words = ["set w = [\"" + String(repeating: "x", count: 60_000) + "\"]"] + Array(repeating: "set w = [w, w]", count: 10)
    #expect(runSets(words).error?.message.hasPrefix("value too large: this list would hold 1,920,000 bytes of text") == true)
  }

  @Test("a -p override is held to the same limits")
  func overrides() throws {
    let deep = "x=" + String(repeating: "[", count: 64) + "1" + String(repeating: "]", count: 64)
    #expect(try parseAssignment(deep).value.description.count == 129)
  }

  @Test("measures of shared values are not walked again")
  func measuresAreCached() throws {
    var env = Environment()
    env["a"] = .list(Array(repeating: .int(1), count: 450_000))
    env["b"] = try evaluate("[a, a]", env)
    #expect(env.measure(of: "b") == ValueMeasure(depth: 2, elements: 900_002, textBytes: 0))
    #expect(try evaluationError("[b, b]", env).message.hasPrefix("value too large: this list would hold 1,800,006 values"))
    // Equality and hashing ignore the cache.
    var other = Environment()
    other["a"] = env["a"]
    other["b"] = env["b"]
    #expect(other == env)
  }

  @Test("the deepest and the largest allowed values print, compare and free without trouble")
  func deepestAllowed() throws {
    var env = Environment()
    env["s"] = .int(1)
    for _ in 0..<64 { env["s"] = try evaluate("[s]", env) }
    let deep = try #require(env["s"])
    #expect(deep.description.count == 129)
    #expect(deep == deep)
    #expect(Set([deep]).count == 1)
    env["s"] = nil  // frees 64 levels
    // A summary of a million values writes out only what it shows.
    let big = Value.list(Array(repeating: .int(123_456), count: 1_000_000))
    #expect(big.summary == "list [" + Array(repeating: "123456", count: 7).joined(separator: ", ") + ", 123…")
  }

  @Test("checking many cells that each set a variable takes time linear in the cells",
        .timeLimit(.minutes(1)))
  func manyCells() {
    // 85 s before the checker stopped copying its state per cell (release build); about a
    // second now. The limit is only a guard against the quadratic behaviour coming back.
    let text = (0..<100_000).map { "%% code\nset v\($0) = \($0)\n" }.joined() + "%% code [skip]\nset v1 = \"x\"\nload mnist as=z\n%% code\nprint v1 + 1\npredict z"
    let diagnostics = check(text)
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.message.hasPrefix("no data set named 'z' is loaded") == true)
  }

  @Test("many undefined names among many variables, or data sets, check in linear time", .timeLimit(.minutes(1)))
  func manyMisses() {
    // 20,000 variables and 20,000 undefined names: 163 s (release) when every miss sorted
    // every name and measured its distance to each; data sets alike (192 s). Past
    // `Suggestions.maximumCandidates` names there is no "did you mean", and messages list
    // at most ten names.
    let n = 20_000
    let variables = (0..<n).map { "set v\($0) = \($0)\n" }.joined() + (0..<n).map { "print w\($0)\n" }.joined()
    let misses = check("%% code\n" + variables)
    #expect(misses.count == n)
    #expect(misses.first?.message == "undefined variable 'w0'")
    let datasets = (0..<n).map { "load mnist train as=d\($0)\n" }.joined() + (0..<n).map { "predict e\($0)\n" }.joined()
    let unknown = check("%% code\n" + datasets)
    #expect(unknown.count == n)
    #expect(unknown.first?.message == "no data set named 'e0' is loaded (20,000 are loaded)")
    #expect(unknown.allSatisfy { $0.message.count < 200 })
  }

  @Test("suggestions and listings stay as they were for notebooks of ordinary size")
  func ordinarySuggestions() {
    let variables = (0..<Suggestions.maximumCandidates - 1).map { "set v\($0) = \($0)\n" }.joined()
    #expect(check("%% code\nset lr = 1\n" + variables + "print lrr\n").first?.message == "undefined variable 'lrr'; did you mean 'lr'?")
    let loads = (0..<12).map { "load mnist train as=d\($0)\n" }.joined()
    #expect(check("%% code\n" + loads + "predict d1x\n").first?.message
      == "no data set named 'd1x' is loaded; did you mean 'd1'? (12 are loaded: d0, d1, d10, d11, d2, d3, d4, d5, d6, d7, …)")
  }
}
