import FFLanguage
import Foundation
import Testing

@testable import FFNotebook

/// Running and tracking many cells costs time linear in the cells: versions of state are
/// looked up by key, not by scanning every key ever changed, and stale cells are found in one
/// pass with the writers of stale cells indexed.
@Suite struct ManyCellsTests {
  func runner(_ text: String) -> NotebookRunner {
    let (notebook, _) = Notebook.parse(text: text, path: "many.ffnb")
    return try! NotebookRunner(notebook: notebook, session: Session(), console: Console { _ in })
  }

  @Test("a chain of 50,000 cells, each reading the last one's variable, runs in linear time", .timeLimit(.minutes(1)))
  func chain() {
    // 20,000 cells took 3.1 s in a release build (50,000: 19 s), while checking them took
    // 0.19 s: every read scanned every variable's version. The limit is a hang guard.
    let n = 50_000
    let text = "%% code\nset v0 = 0\n" + (1..<n).map { "%% code\nset v\($0) = v\($0 - 1) + 1\n" }.joined()
    let runner = runner(text)
    #expect(runner.runAll() == nil)
    #expect(runner.session.environment["v\(n - 1)"] == .int(n - 1))
    #expect(runner.staleCells().isEmpty)
    runner.runTyped("set v0 = 5")
    // Every later cell is downstream of the first, found in one pass.
    let stale = runner.staleCells()
    #expect(stale.count == n - 1)
    #expect(stale[2]?.reason == "v0 changed by typed line 1")
    #expect(stale[n]?.reason == "depends on stale cell \(n - 1)")
  }

  @Test("versions seen through wildcards match the definition: the newest of every overlapping key")
  func versionsThroughWildcards() {
    let session = Session()
    let keys: [StateKey] = [
      .variable("a"), .variable("b"), .allVariables, .seed, .transform, .dataset("x"), .dataset("y"), .allDatasets,
      .model, .evaluation("x"), .allEvaluations,
    ]
    var versions: [StateKey: Int] = [:]
    var state: UInt64 = 3
    for step in 1...400 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      let key = keys[Int(state >> 33) % keys.count]
      session.recordChange(key, by: .typed(step), verb: "changed")
      versions[key] = step
      for read in keys {
        let expected = versions.filter { $0.key.overlaps(read) }.max { $0.value < $1.value }
        #expect(session.version(of: read) == (expected?.value ?? 0), "\(read) after \(step)")
        #expect(session.lastChange(of: read)?.key == expected?.key, "\(read) after \(step)")
      }
    }
  }

  @Test("stale cells: the first reason found, in order, as before")
  func staleReasons() {
    let runner = runner("%% code\nset a = 1\n%% code\nset b = a\n%% code\nshow vars\nset c = b\n%% code\nprint a\n")
    #expect(runner.runAll() == nil)
    runner.runTyped("set a = 2")
    let stale = runner.staleCells()
    #expect(stale.keys.sorted() == [2, 3, 4])
    #expect(stale[2]?.reason == "a changed by typed line 1")
    // Cell 3 reads every variable (`show vars`), a among them, and b (written by stale cell 2).
    #expect(stale[3]?.reason == "a changed by typed line 1")
    #expect(stale[4]?.reason == "a changed by typed line 1")
    #expect(runner.isStale(3) && !runner.isStale(1))
  }
}

/// Parameters and `-p` overrides in the tens of thousands cost time linear in them.
@Suite struct ManyParametersTests {
  @Test("a parameters cell of 50,000 values, 20,000 of them overridden, runs and checks in linear time",
        .timeLimit(.minutes(1)))
  func manyParameters() throws {
    // Run: 6.2 s (release) for the 50,000 values alone, every name compared with every
    // earlier one; the limit is a hang guard.
    let n = 50_000
    let text = "%% code [parameters]\n" + (0..<n).map { "set p\($0) = \($0)\n" }.joined() + "%% code\nprint p0 p49999\n"
    let (notebook, _) = Notebook.parse(text: text, path: "params.ffnb")
    #expect(NotebookRunner.parameters(of: notebook).count == n)
    let overrides = (0..<20_000).map { (name: "p\($0 * 2)", value: Value.int(-1)) }
    let captured = Captured()
    let runner = try NotebookRunner(notebook: notebook, session: Session(), console: Console { captured.text += $0 }, overrides: overrides)
    #expect(runner.runAll() == nil)
    #expect(captured.text.hasSuffix("-1 49999\n"))
    let misses = overrides.map { (name: "q" + $0.name, value: $0.value) }
    let checker = Checker(overrides: Dictionary(uniqueKeysWithValues: (overrides + misses).map { ($0.name, $0.value) }))
    let diagnostics = checker.check(notebook)
    #expect(diagnostics.count == 20_000)
    #expect(diagnostics.first?.message == "-p qp0: no parameter of that name (parameters: p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, … (50,000 in all))")
    #expect(throws: Diagnostic.self) { try NotebookRunner(notebook: notebook, session: Session(), console: Console { _ in }, overrides: misses) }
  }
}

/// One cell of many statements costs time linear in them.
@Suite struct LongCellTests {
  @Test("a cell of 50,000 chained statements runs in linear time, with its inputs as before",
        .timeLimit(.minutes(1)))
  func longCell() {
    // 10 s (release) when every read was compared with every write before it in the cell.
    let n = 50_000
    let text = "%% code\nset v0 = 0\n" + (1..<n).map { "set v\($0) = v\($0 - 1) + 1\n" }.joined() + "%% code\nshow vars\nprint x\n"
    let (notebook, _) = Notebook.parse(text: text, path: "long.ffnb")
    let runner = try! NotebookRunner(notebook: notebook, session: Session(), console: Console { _ in })
    runner.runCell(1)
    #expect(runner.session.environment["v\(n - 1)"] == .int(n - 1))
    #expect(runner.records[0].inputs.isEmpty, "every variable it reads, it wrote first")
    let (small, _) = Notebook.parse(text: "%% code\nset a = 1\n%% code\nset b = a\nshow vars\nprint a b\n%% code\nshow vars\nset c = 1\n", path: "s.ffnb")
    let r = try! NotebookRunner(notebook: small, session: Session(), console: Console { _ in })
    #expect(r.runAll() == nil)
    #expect(Set(r.records[1].inputs.keys) == [.variable("a")], "show vars after set b sees a write of the family")
    #expect(Set(r.records[2].inputs.keys) == [.allVariables])
  }
}
