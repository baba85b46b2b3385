import FFTestSupport
import Foundation
import Testing

/// The REPL in a real pseudo-terminal (tmux): readline editing, completion, history, Ctrl-C.
/// Runs the release binary (`FFNB_BIN`, as `make test` sets it) on the real MNIST files.
@Suite("REPL in a terminal", .serialized, .enabled(if: Binary.path != nil, .init(rawValue: Binary.missingReason)),
       .enabled(if: Binary.hasTmux, "needs tmux (make test installs it)"))
struct TerminalTests {
  let ffnb = TmuxTerminal.shellQuoted(Binary.path ?? "ffnb")

  func historyFile() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-history-\(UUID().uuidString)").path
  }

  @Test("Enter steps through the quickstart notebook cell by cell", .enabled(if: Binary.hasMNIST, "needs data/mnist"))
  func stepWithEnter() throws {
    let history = historyFile()
    defer { try? FileManager.default.removeItem(atPath: history) }
    let term = try TmuxTerminal("\(ffnb) step notebooks/quickstart.ffnb", environment: ["FFNB_HISTORY": history])
    defer { term.close() }
    try term.waitForPrompt("[2/6 parameters] ffnb> ")
    #expect(try term.capture().contains("Quick start"), "the markdown cell was printed")
    for next in ["[3/6 data] ffnb> ", "[4/6 model] ffnb> ", "[5/6 learn] ffnb> ", "[6/6 evaluate] ffnb> ", "[end] ffnb> "] {
      try term.keys("Enter")
      try term.waitForPrompt(next)
    }
    let text = try term.capture()
    #expect(text.contains("── [5/6] learn"))
    #expect(text.range(of: #"\n(\d+)/\1 --- Loss: "#, options: .regularExpression) != nil, "the last epoch of learn was printed")
    try term.type(":cells")
    try term.keys("Enter")
    let cells = try term.waitFor("evaluate ")
    #expect(cells.components(separatedBy: "\n").contains { $0.contains("learn") && $0.contains("[4]") && $0.contains("ok") })
  }

  @Test("set lr then learn: training continues with the new rate", .enabled(if: Binary.hasMNIST, "needs data/mnist"))
  func liveTweak() throws {
    let history = historyFile()
    defer { try? FileManager.default.removeItem(atPath: history) }
    let term = try TmuxTerminal("\(ffnb) step notebooks/quickstart.ffnb", environment: ["FFNB_HISTORY": history])
    defer { term.close() }
    try term.waitForPrompt("[2/6 parameters] ffnb> ")
    try term.type(":run 2-5")
    try term.keys("Enter")
    try term.waitForPrompt("[6/6 evaluate] ffnb> ")
    // A rate no notebook would start with, so it is a change whatever quickstart sets.
    try term.type("set lr = 0.0123")
    try term.keys("Enter")
    try term.type("learn epochs=3")
    try term.keys("Enter")
    let text = try term.waitFor("3/3 --- Loss:", count: 2)
    #expect(text.range(of: #"hyperparameters changed: lr [0-9.]+ -> 0.0123 \(variable lr\)"#, options: .regularExpression) != nil)
    try term.waitForPrompt("[6/6 evaluate] ffnb> ")
  }

  @Test("Ctrl-C stops a long learn at an epoch boundary, keeps the model, and training continues",
        .enabled(if: Binary.hasMNIST, "needs data/mnist"))
  func interruptLearn() throws {
    let history = historyFile()
    defer { try? FileManager.default.removeItem(atPath: history) }
    let term = try TmuxTerminal("\(ffnb) step notebooks/quickstart.ffnb", environment: ["FFNB_HISTORY": history])
    defer { term.close() }
    try term.waitForPrompt("[2/6 parameters] ffnb> ")
    try term.type(":run 2-4")
    try term.keys("Enter")
    try term.waitForPrompt("[5/6 learn] ffnb> ")
    try term.type("learn epochs=100000 every=1000")
    try term.keys("Enter")
    try term.waitFor("Layer 1 :")
    Thread.sleep(forTimeInterval: 0.3)
    let clock = ContinuousClock()
    let pressed = clock.now
    try term.keys("C-c")
    let text = try term.waitFor("interrupted: layer 1 stopped after epoch", timeout: .seconds(10))
    let latency = clock.now - pressed
    #expect(latency < .seconds(2), "stopping took \(latency)")
    #expect(!text.contains("Layer 2 :"), "training did not go on to layer 2")
    try term.waitForPrompt("[5/6 learn] ffnb> ")
    // The session record keeps what the interrupted line trained, not the line as typed.
    try term.type(":log")
    try term.keys("Enter")
    let screen = try term.waitFor("%% code typed-1")
    let log = screen.components(separatedBy: ":log").last ?? ""
    #expect(log.contains("learn layer=1 epochs="), "the record has the epochs that completed")
    #expect(!log.contains("learn epochs=100000"))

    // The model cell showed the model once already: wait for the next table.
    let tables = try term.occurrences(of: "Adam steps")
    try term.type("show model")
    try term.keys("Enter")
    let model = try term.waitFor("Adam steps", count: tables + 1)
    let row = try #require(model.components(separatedBy: "\n").last { $0.hasPrefix(" 1 ") && $0.contains("784 -> ") })
    let columns = row.split(separator: " ")
    // layer, shape (3 words), parameters, lr, threshold, Adam steps, last loss
    let steps = try #require(Int(columns[7]), "Adam steps in '\(row)'")
    #expect(steps > 0)

    try term.type("learn epochs=2")
    try term.keys("Enter")
    let after = try term.waitFor("2/2 --- Loss:", count: 2)
    #expect(after.contains(" Layer 2 :"))
    try term.waitForPrompt("[5/6 learn] ffnb> ")
    // The adam steps of layer 1 went on from where the interrupted run stopped.
    try term.type("show model")
    try term.keys("Enter")
    let final = try term.waitFor("Adam steps", count: tables + 2)
    let rows = final.components(separatedBy: "\n").filter { $0.hasPrefix(" 1 ") && $0.contains("784 -> ") }
    let later = try #require(rows.last.flatMap { Int($0.split(separator: " ")[7]) })
    #expect(later == steps + 2)
  }

  @Test("in a 60-column terminal the live progress line of learn never wraps", .enabled(if: Binary.hasMNIST, "needs data/mnist"))
  func progressLineFitsNarrowTerminal() throws {
    let history = historyFile()
    defer { try? FileManager.default.removeItem(atPath: history) }
    let term = try TmuxTerminal("\(ffnb) step notebooks/quickstart.ffnb", environment: ["FFNB_HISTORY": history], columns: 60, rows: 30)
    defer { term.close() }
    try term.waitForPrompt("[2/6 parameters] ffnb> ")
    try term.type(":run 2-5")
    try term.keys("Enter")
    try term.waitForPrompt("[6/6 evaluate] ffnb> ")
    // A long learn, so the live line is on screen while the test looks at it.
    try term.type("learn epochs=100000 every=100000")
    try term.keys("Enter")
    let live = try term.waitFor("a live progress line") { text in
      text.components(separatedBy: "\n").contains { $0.contains("/100000 --- Loss:") && $0.contains("epochs/s") }
    }
    let line = try #require(live.components(separatedBy: "\n").last { $0.contains("/100000 --- Loss:") && $0.contains("epochs/s") })
    #expect(line.count <= 59, "the live line is \(line.count) columns: '\(line)'")
    try term.keys("C-c")
    try term.waitFor("interrupted: layer 1 stopped after epoch", timeout: .seconds(10))
    try term.waitForPrompt("[6/6 evaluate] ffnb> ")
    // A wrapped line is erased only in its last row: every redraw would leave a row behind.
    // All that may remain are the plain epoch lines.
    let text = try term.capture()
    #expect(text.components(separatedBy: "60/60 --- Loss:").count - 1 == 2, "the notebook's learn ran both layers")
    let plain = try Regex(#"^\d+/\d+ --- Loss: \d+\.\d{4}$"#)
    for row in text.components(separatedBy: "\n") where row.contains("--- Loss:") {
      #expect(row.wholeMatch(of: plain) != nil, "a progress line was left behind: '\(row)'")
    }
  }

  @Test("a re-run build marks learn and evaluate stale, the prompt shows it, and :run stale brings them back",
        .enabled(if: Binary.hasMNIST, "needs data/mnist"))
  func staleCells() throws {
    let history = historyFile()
    defer { try? FileManager.default.removeItem(atPath: history) }
    let term = try TmuxTerminal("\(ffnb) step notebooks/quickstart.ffnb", environment: ["FFNB_HISTORY": history])
    defer { term.close() }
    try term.waitForPrompt("[2/6 parameters] ffnb> ")
    try term.type(":all")
    try term.keys("Enter")
    try term.waitForPrompt("[end] ffnb> ", timeout: .seconds(120))
    try term.type(":run model")
    try term.keys("Enter")
    try term.waitForPrompt("[5/6 learn*] ffnb> ")
    #expect(try term.capture().contains("note: this replaces the model 784-400-100 that had been trained"))
    try term.type(":cells")
    try term.keys("Enter")
    let table = try term.waitFor("(model rebuilt by cell 4)", count: 2)
    #expect(table.contains("stale       learn every=20  (model rebuilt by cell 4)"))
    try term.type(":run stale")
    try term.keys("Enter")
    try term.waitForPrompt("[end] ffnb> ", timeout: .seconds(120))
    try term.type(":cells")
    try term.keys("Enter")
    let after = try term.waitFor("   6 code evaluate", count: 2)
    let last = after.components(separatedBy: ":cells").last ?? ""
    #expect(!last.contains("stale"), "no cell is stale after :run stale: \(last)")
  }

  @Test("Ctrl-C at the prompt clears the line; Ctrl-D asks before dropping typed lines")
  func promptKeys() throws {
    let history = historyFile()
    defer { try? FileManager.default.removeItem(atPath: history) }
    let term = try TmuxTerminal(ffnb, environment: ["FFNB_HISTORY": history])
    defer { term.close() }
    try term.waitForPrompt("ffnb> ")
    try term.type("learn garbage")
    try term.keys("C-c")
    try term.waitFor("ffnb> learn garbage^C")
    try term.waitForPrompt("ffnb> ")
    try term.type("print \"kept\"")
    try term.keys("Enter")
    try term.waitFor("\nkept\n")
    try term.keys("C-d")
    try term.waitFor("1 typed line not saved (:save PATH writes the session record); quit anyway? [y/N]")
    try term.keys("n", "Enter")
    try term.waitForPrompt("ffnb> ")
    try term.type("[")
    try term.keys("Enter")
    try term.waitForPrompt("...> ")
    try term.keys("C-c")
    try term.waitForPrompt("ffnb> ")
  }

  @Test("Tab completes commands and argument names")
  func tabCompletion() throws {
    let history = historyFile()
    defer { try? FileManager.default.removeItem(atPath: history) }
    let term = try TmuxTerminal(ffnb, environment: ["FFNB_HISTORY": history])
    defer { term.close() }
    try term.waitForPrompt("ffnb> ")
    try term.type("lea")
    try term.keys("Tab")
    try term.waitFor("completed command") { _ in (try? term.cursorLine()) == "ffnb> learn " }
    try term.type("neg")
    try term.keys("Tab")
    try term.waitFor("completed argument") { _ in (try? term.cursorLine()) == "ffnb> learn negatives=" }
    try term.type("wr")
    try term.keys("Tab")
    try term.waitFor("completed choice") { _ in (try? term.cursorLine()) == "ffnb> learn negatives=wrong " }
    try term.keys("C-u")
    try term.type(":hi")
    try term.keys("Tab")
    try term.waitFor("completed meta-command") { _ in (try? term.cursorLine()) == "ffnb> :history " }
  }

  @Test("history survives a restart (FFNB_HISTORY)")
  func historyAcrossSessions() throws {
    let history = historyFile()
    defer { try? FileManager.default.removeItem(atPath: history) }
    do {
      let term = try TmuxTerminal(ffnb, environment: ["FFNB_HISTORY": history])
      defer { term.close() }
      try term.waitForPrompt("ffnb> ")
      try term.type("print \"from the first session\"")
      try term.keys("Enter")
      try term.waitFor("\nfrom the first session\n")
      try term.type(":q")
      try term.keys("Enter")
      try term.waitFor("quit anyway? [y/N]")
      try term.keys("y", "Enter")
      try term.waitForExit()
    }
    let saved = try String(contentsOfFile: history, encoding: .utf8)
    #expect(saved.contains("print \"from the first session\""))
    let term = try TmuxTerminal(ffnb, environment: ["FFNB_HISTORY": history])
    defer { term.close() }
    try term.waitForPrompt("ffnb> ")
    try term.keys("Up")
    try term.waitFor("history entry") { _ in (try? term.cursorLine()) == "ffnb> :q" }
    try term.keys("Up")
    try term.waitFor("older history entry") { _ in (try? term.cursorLine()) == "ffnb> print \"from the first session\"" }
  }
}
