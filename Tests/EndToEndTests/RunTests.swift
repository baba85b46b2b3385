import Foundation
import Testing

/// `ffnb run` and `ffnb check` as a user runs them: real binary, real data, exact output.
@Suite(.serialized) struct RunTests {
  static let transcripts = FFNB.packageRoot.appendingPathComponent("Tests/Transcripts")

  /// The quickstart replay matches its expected transcript (timings masked). Set
  /// FFNB_UPDATE_TRANSCRIPTS=1 to rewrite the transcript after an intended change.
  @Test func quickstartMatchesTranscript() throws {
    let r = try FFNB.run(["run", "notebooks/quickstart.ffnb"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let actual = FFNB.maskTimings(r.stdout)
    let file = Self.transcripts.appendingPathComponent("quickstart.txt")
    if ProcessInfo.processInfo.environment["FFNB_UPDATE_TRANSCRIPTS"] == "1" {
      try FileManager.default.createDirectory(at: Self.transcripts, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: file, options: .atomic)
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    if actual != expected {
      let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
      let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
      let firstDiff = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }
      Issue.record("transcript differs at line \((firstDiff?.offset ?? min(a.count, e.count)) + 1): got \(firstDiff.map { "'\($0.element.0)'" } ?? "\(a.count) lines"), expected \(firstDiff.map { "'\($0.element.1)'" } ?? "\(e.count) lines")")
    }
    #expect(!r.stdout.contains("\u{1B}"), "no escape codes when output is not a terminal")
  }

  @Test func sameSeedSameNumbersDifferentSeedDifferentNumbers() throws {
    let args = ["run", "notebooks/quickstart.ffnb", "-p", "num_epochs=3", "-p", "train_size=300"]
    let a = try FFNB.run(args), b = try FFNB.run(args)
    let c = try FFNB.run(args + ["-p", "seed_value=1"])
    #expect(a.status == 0 && b.status == 0 && c.status == 0)
    #expect(FFNB.maskTimings(a.stdout) == FFNB.maskTimings(b.stdout))
    #expect(FFNB.maskTimings(a.stdout) != FFNB.maskTimings(c.stdout))
  }

  @Test func parameterOverridesReplaceDefaults() throws {
    let r = try FFNB.run(["run", "notebooks/quickstart.ffnb", "-p", "num_epochs=2", "-p", "dims=[784, 50]", "-p", "lr=0.05"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("injected parameters: num_epochs = 2, dims = [784, 50], lr = 0.05"))
    #expect(r.stdout.contains("---- FF 784-50: 1 layer, 39,250 parameters; epochs 2, lr 0.05"))
    #expect(r.stdout.contains("2/2 --- Loss:"))
  }

  @Test func unknownParameterListsTheKnownOnes() throws {
    let r = try FFNB.run(["run", "notebooks/quickstart.ffnb", "-p", "num_epoch=2"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("unknown parameter 'num_epoch'; did you mean 'num_epochs'?"))
    #expect(r.stderr.contains("seed_value, train_size, test_size, num_epochs, lr, threshold, dims"))
  }

  @Test func failingCellNamesCellLineAndColumnWithCaret() throws {
    let dir = try FFNB.temporaryDirectory()
    let nb = dir.appendingPathComponent("bad.ffnb")
    try """
      %% code first
      set epochs = 3
      print "before"

      %% code second
      print epochs
      load model "nowhere/m.ffm"

      %% code third
      print "never"
      """.write(to: nb, atomically: true, encoding: .utf8)
    let r = try FFNB.run(["run", nb.path])
    #expect(r.status == 1)
    #expect(r.stdout.contains("before\n"))
    #expect(r.stdout.contains("3\n"), "the statement before the error ran")
    #expect(r.stdout.contains("bad.ffnb:7:1: error: \(dir.appendingPathComponent("nowhere/m.ffm").standardizedFileURL.path): no such file   [cell 2 second]"))
    #expect(r.stdout.contains("7 | load model \"nowhere/m.ffm\""))
    #expect(r.stdout.contains("  | ^~~~~~~~~~"))
    #expect(!r.stdout.contains("never"))
    #expect(r.stderr.contains("cell 2 second failed"))
  }

  /// A typo in the last cell is found before the first cell runs, not after the training.
  @Test(arguments: ["run", "step"])
  func anErrorFoundByCheckingStopsBeforeAnyCellRuns(command: String) throws {
    let dir = try FFNB.temporaryDirectory()
    let nb = dir.appendingPathComponent("late-typo.ffnb")
    try """
      %% markdown
      # Trains, then fails

      %% code train
      print "first cell ran"
      load mnist test batch=100
      build [784, 50] epochs=200
      learn data=test

      %% code last
      predict test
      lern epochs=3
      """.write(to: nb, atomically: true, encoding: .utf8)
    let check = try FFNB.run(["check", nb.path])
    #expect(check.status == 1)
    let r = try FFNB.run([command, nb.path], input: "\n\n\n", environment: ["FFNB_HISTORY": "/dev/null"])
    #expect(r.status == 2, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
    // Nothing ran: no cell header, no cell output, no training line, no REPL banner.
    #expect(r.stdout == "", "\(r.stdout)")
    #expect(!r.stdout.contains("first cell ran") && !r.stdout.contains("Layer 1") && !r.stdout.contains("--- Loss"))
    // The diagnostics exactly as `ffnb check` prints them, then one line saying nothing ran.
    #expect(r.stderr.hasPrefix(check.stderr), "run: \(r.stderr)\ncheck: \(check.stderr)")
    #expect(check.stderr.contains("late-typo.ffnb:12:1: error: unknown command 'lern'; did you mean 'learn'?   [cell 3 last]\n   12 | lern epochs=3\n      | ^~~~\n"))
    #expect(r.stderr.hasSuffix("late-typo.ffnb: 1 error found by checking the notebook; no cell was run\n"))
  }

  @Test func warningsFoundByCheckingDoNotStopTheRun() throws {
    let dir = try FFNB.temporaryDirectory()
    let nb = dir.appendingPathComponent("warned.ffnb")
    try """
      %% code [parameters]
      set n = 2
      print "n is" n
      """.write(to: nb, atomically: true, encoding: .utf8)
    let r = try FFNB.run(["run", nb.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("n is 2\n"))
    #expect(r.stderr.contains("warned.ffnb:3:1: warning: only 'set' statements belong in a 'parameters' cell"))
  }

  @Test func raisesTagLetsTheReplayGoOn() throws {
    let dir = try FFNB.temporaryDirectory()
    let nb = dir.appendingPathComponent("raises.ffnb")
    try """
      %% code [raises]
      predict test

      %% code
      print "after"
      """.write(to: nb, atomically: true, encoding: .utf8)
    let r = try FFNB.run(["run", nb.path])
    #expect(r.status == 0)
    #expect(r.stdout.contains("no model yet"))
    #expect(r.stdout.contains("after"))
  }

  @Test func checkReportsEveryProblemWithoutRunning() throws {
    let dir = try FFNB.temporaryDirectory()
    let nb = dir.appendingPathComponent("problems.ffnb")
    try """
      %% code
      set lr = 0.1
      lern
      build dims=[784, 10] lr=lrr epoch=3
      learn negatives=worng
      save model
      """.write(to: nb, atomically: true, encoding: .utf8)
    let r = try FFNB.run(["check", nb.path])
    #expect(r.status == 1)
    #expect(r.stderr.contains("problems.ffnb:3:1: error: unknown command 'lern'; did you mean 'learn'?"))
    #expect(r.stderr.contains("undefined variable 'lrr'; did you mean 'lr'?"))
    #expect(r.stderr.contains("'epoch'"))
    #expect(r.stderr.contains("'worng'"))
    #expect(r.stdout.contains("error"))
    let ok = try FFNB.run(["check", "notebooks/mnist.ffnb"])
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout.contains("0 errors"))
  }

  @Test func malformedInputNeverCrashes() throws {
    let dir = try FFNB.temporaryDirectory()
    var g = SystemRandomNumberGenerator()
    let garbage = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &g) }
    let cases: [(String, Data)] = [
      ("garbage.ffnb", Data(garbage)),
      ("longline.ffnb", Data(("%% code\nprint " + String(repeating: "[1, ", count: 50_000) + "\n").utf8)),
      ("tenmb.ffnb", Data(("%% code\nset x = \"" + String(repeating: "a", count: 10_000_000) + "\"\nprint 1\n").utf8)),
      ("brackets.ffnb", Data("%% code\nbuild dims=[784, [1000, (500\nlearn ))]]\n".utf8)),
      ("numbers.ffnb", Data("%% code\nset a = 1e999999\nset b = 99999999999999999999999\nbuild dims=[784, 9223372036854775807]\n".utf8)),
      // Within what a model file holds (sizes up to 16777215), far beyond memory.
      ("absurd.ffnb", Data("%% code\nbuild dims=[784, 10000000]\n".utf8)),
      // Beyond what a model file holds: refused where it is written, by check.
      ("unsavable.ffnb", Data("%% code\nbuild dims=[784, 2000000000]\n".utf8)),
    ]
    // Valid syntax that check accepts; running it must still fail cleanly.
    let validSyntax: Set<String> = ["absurd.ffnb"]
    let runSucceeds: Set<String> = []
    for (name, data) in cases {
      let file = dir.appendingPathComponent(name)
      try data.write(to: file)
      for command in ["check", "run"] {
        let r = try FFNB.run([command, file.path], timeout: 60)
        let expectSuccess = command == "check" ? validSyntax.contains(name) : runSucceeds.contains(name)
        if expectSuccess {
          #expect(r.status == 0, "\(command) \(name) exited \(r.status): \(r.stderr.prefix(500))")
        } else {
          #expect(r.status == 1 || r.status == 2, "\(command) \(name) exited \(r.status): \(r.stderr.prefix(500))")
        }
        #expect(r.stdout.count + r.stderr.count < 200_000, "\(command) \(name) printed \(r.stdout.count + r.stderr.count) bytes")
        if name == "absurd.ffnb" && command == "run" { #expect(r.stdout.contains("refusing before allocating")) }
        if name == "tenmb.ffnb" { #expect((r.stdout + r.stderr).contains("ffnb reads lines of at most 100000 bytes")) }
      }
    }
  }

  @Test func missingNotebookIsAClearError() throws {
    let r = try FFNB.run(["run", "no/such/notebook.ffnb"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("no/such/notebook.ffnb"))
  }

  @Test func versionNamesOpenBLASCoreAndDataDirectory() throws {
    let r = try FFNB.run(["--version"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("ffnb "))
    #expect(r.stdout.contains("OpenBLAS 0."))
    #expect(r.stdout.contains("core: "))
    #expect(r.stdout.contains("threads"))
    #expect(r.stdout.contains("data: \(FFNB.dataDirectory)"))
  }

  @Test func theOpenBLASCoreIsChosenInProcessAndAUserChoiceWins() throws {
    let chosen = try FFNB.run(["--version"], environment: ["OPENBLAS_CORETYPE": "Haswell"])
    #expect(chosen.stdout.contains("core: Haswell (OPENBLAS_CORETYPE=Haswell)"))
    let own = try FFNB.run(["--version"], environment: ["OPENBLAS_CORETYPE": ""])
    #expect(own.status == 0)
    #expect(!own.stdout.contains("OPENBLAS_CORETYPE="))
  }

  @Test func precisionBF16RunsOnOneDNNOrSaysWhyNot() throws {
    let args = ["run", "notebooks/quickstart.ffnb", "-p", "num_epochs=5", "-p", "train_size=300"]
    let fp32 = try FFNB.run(args)
    let bf16 = try FFNB.run(args + ["--precision", "bf16"])
    #expect(fp32.status == 0 && bf16.status == 0)
    #expect(!fp32.stdout.contains("bf16"))
    let version = try FFNB.run(["--version"]).stdout
    if version.contains("bf16: oneDNN") {
      #expect(bf16.stdout.contains("note: bf16 products on oneDNN"))
      // Same run, operands rounded: the losses move in their last digits, not more.
      #expect(bf16.stdout != fp32.stdout)
    } else {
      #expect(bf16.stdout.contains("note: bf16 is not available here"))
    }
    // Without oneDNN, or on a CPU without bf16 instructions (oneDNN capped to AVX2 stands in for
    // one): a one-line note, then exactly fp32's results.
    let fallbacks: [([String: String], String)] = [
      (["FFNB_DNNL": "/nonexistent/libdnnl.so.2"], "note: bf16 is not available here (oneDNN not found (/nonexistent/libdnnl.so.2"),
      (["ONEDNN_MAX_CPU_ISA": "AVX2"], "note: bf16 is not available here (oneDNN 2."),
    ]
    for (environment, note) in fallbacks {
      let missing = try FFNB.run(args + ["--precision", "bf16"], environment: environment)
      #expect(missing.status == 0)
      #expect(missing.stdout.contains(note), "\(environment): \(missing.stdout.prefix(600))")
      let withoutNote = missing.stdout.split(separator: "\n").filter { !$0.hasPrefix("note: bf16") }.joined(separator: "\n")
      #expect(FFNB.maskTimings(withoutNote) == FFNB.maskTimings(fp32.stdout.split(separator: "\n").joined(separator: "\n")))
    }
    let v = try FFNB.run(["--version"], environment: ["FFNB_DNNL": "/nonexistent/libdnnl.so.2"])
    #expect(v.stdout.contains("bf16: not available (oneDNN not found"))
    // An unknown precision is refused by the argument parser, naming the choices.
    let bad = try FFNB.run(args + ["--precision", "fp16"])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("fp16"))
  }

  @Test func aMissingOpenBLASIsAClearErrorNotACrash() throws {
    let r = try FFNB.run(["--version"], environment: ["FFNB_OPENBLAS": "/nonexistent/libopenblas.so.0"])
    #expect(r.status == 69)
    #expect(r.stderr.contains("cannot load OpenBLAS: /nonexistent/libopenblas.so.0"))
    #expect(r.stderr.contains("libopenblas0"))
  }

  @Test func exportAndRunRefuseToOverwriteTheNotebook() throws {
    let dir = try FFNB.temporaryDirectory()
    let nb = dir.appendingPathComponent("keep.ffnb")
    try "%% code\nprint 1\n".write(to: nb, atomically: true, encoding: .utf8)
    let link = dir.appendingPathComponent("link.ipynb")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: nb)
    for args in [["export", nb.path, "-o", nb.path], ["run", nb.path, "--output", nb.path], ["export", nb.path, "-o", link.path]] {
      let r = try FFNB.run(args)
      #expect(r.status != 0, "\(args)")
      #expect(r.stderr.contains("it is the notebook being read"), "\(args): \(r.stderr)")
    }
    #expect(try String(contentsOf: nb, encoding: .utf8) == "%% code\nprint 1\n")
  }

  @Test func notebookPathsAreRelativeToTheNotebookAndFoldersAreMade() throws {
    let dir = try FFNB.temporaryDirectory()
    let nb = dir.appendingPathComponent("paths.ffnb")
    try """
      %% code
      load mnist test batch=50
      build [784, 20] epochs=1
      learn data=test
      save model "runs/m.ffm"
      plot loss to="runs/plots/loss.svg"
      load model "runs/m.ffm"
      """.write(to: nb, atomically: true, encoding: .utf8)
    let elsewhere = try FFNB.temporaryDirectory()
    let r = try FFNB.run(["run", nb.path], directory: elsewhere)
    #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs/m.ffm").path))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs/plots/loss.svg").path))
    #expect(r.stdout.contains("saved model 784-20 to \(dir.appendingPathComponent("runs/m.ffm").standardizedFileURL.path)"))
    #expect(r.stdout.contains("loaded model 784-20 from"))
  }

  @Test func rejectedHyperparametersLeaveTheModelUnchanged() throws {
    let script = """
      set lr = 0.1
      load mnist test batch=50
      build [784, 20] epochs=1 lr=lr
      set lr = -1
      learn data=test
      set lr = "fast"
      learn data=test
      set lr = 0.2
      learn data=test
      show hyper
      """
    let r = try FFNB.run([], input: script + "\n")
    #expect(r.status == 1, "a failed line makes a piped session exit 1")
    // Errors of a piped session go to standard error.
    #expect(r.stderr.contains("lr must be a positive number that fits in float32, got -1.0; the model keeps lr 0.1"))
    #expect(r.stderr.contains("lr follows the variable lr, which is now string \"fast\"; it must be a number"))
    #expect(r.stdout.contains("hyperparameters changed: lr 0.1 -> 0.2 (variable lr)"))
    #expect(r.stdout.contains("lr        = 0.2"))
  }

  @Test func changingDimsAfterBuildSaysItNeedsARebuild() throws {
    let script = "set dims = [784, 20]\nload mnist test batch=50\nbuild dims epochs=1\nset dims = [784, 30]\nlearn data=test\n"
    let r = try FFNB.run([], input: script)
    #expect(r.status == 0, "\(r.stdout)")
    #expect(r.stdout.contains("note: dims is now [784, 30] but the model was built with [784, 20]; run `build` to use it"))
    let dir = try FFNB.temporaryDirectory()
    let notADirectoryNotebook = try FFNB.run(["run", dir.path])
    #expect(notADirectoryNotebook.status == 2 && notADirectoryNotebook.stderr.contains("it is a directory"))
  }
}
