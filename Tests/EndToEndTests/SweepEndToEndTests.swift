import FFTestSupport
import Foundation
import Testing

/// Sweeps through the real binary: worker processes, the results table, a failed point,
/// Ctrl-C, bad lists and files, and shards under Open MPI merged into one registry.
@Suite(.enabled(if: FFNB.binary != nil && Binary.hasMNIST, "needs the release binary and data/mnist"))
struct SweepEndToEndTests {
  static let notebook = RegistryEndToEndTests.notebook
  static let small = ["-p", "train_size=200", "-p", "test_size=100"]

  /// The rows of a results table (after its header and rule), up to the first blank line.
  static func tableRows(_ stdout: String) -> [[String]] {
    let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let header = lines.firstIndex(where: { $0.hasPrefix("point ") }) else { return [] }
    return lines[(header + 2)...].prefix { !$0.isEmpty && !$0.hasPrefix("wrote") }.map { $0.split(separator: " ").map(String.init) }
  }

  static func runIDs(_ registry: String) throws -> [String] {
    let listing = try FFNB.run(["runs", "--registry", registry, "--limit", "100"])
    return listing.stdout.split(separator: "\n").dropFirst(2).map { String($0.prefix(8)) }
  }

  @Test func aTwoByTwoSweepRecordsFourRunsAndPrintsATable() throws {
    let dir = try FFNB.temporaryDirectory()
    let registry = dir.appendingPathComponent("runs.sqlite").path
    let out = dir.appendingPathComponent("points").path + "/"
    let r = try FFNB.run(["run", Self.notebook, "-p", "lr=0.03,0.1", "-p", "num_epochs=2,3"] + Self.small
                         + ["--jobs", "2", "--output", out, "--registry", registry], directory: dir)
    #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
    #expect(r.stdout.hasPrefix("sweep ") && r.stdout.contains("4 of 4 points, 2 workers of 1 thread"))
    let rows = Self.tableRows(r.stdout)
    #expect(rows.count == 4, "\(r.stdout)")
    // point, lr, num_epochs, status, accuracy, %, ...: best first.
    let accuracies = rows.compactMap { Double($0[4]) }
    #expect(accuracies.count == 4 && accuracies == accuracies.sorted(by: >), "\(rows)")
    #expect(Set(rows.map { "\($0[1]) \($0[2])" }) == ["0.03 2", "0.03 3", "0.1 2", "0.1 3"])
    #expect(rows.allSatisfy { $0[3] == "ok" })
    #expect(try Self.runIDs(registry).count == 4)
    let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(files.filter { $0.hasSuffix(".ipynb") } == ["quickstart-1.ipynb", "quickstart-2.ipynb", "quickstart-3.ipynb", "quickstart-4.ipynb"])
    #expect(files.contains("quickstart-sweep.svg"))
    let svg = try String(contentsOfFile: out + "quickstart-sweep.svg", encoding: .utf8)
    // Each curve is named by its run and the values that differ, in the notebook's order.
    #expect(svg.contains("num_epochs=2 lr=0.03, layer 1") && svg.contains("num_epochs=3 lr=0.1, layer 2"), "\(svg)")
    // Each point's run knows its sweep and its -p values.
    let shown = try FFNB.run(["runs", "show", rows[0][rows[0].count - 1], "--registry", registry])
    #expect(shown.stdout.contains("sweep:") && shown.stdout.contains("lr = \(rows[0][1]) (-p)"), "\(shown.stdout)")
  }

  @Test func pointsShareTheReplayCache() throws {
    let dir = try FFNB.temporaryDirectory()
    let cache = dir.appendingPathComponent("cache").path
    let args = ["run", Self.notebook, "-p", "num_epochs=1,2"] + Self.small + ["--registry", dir.appendingPathComponent("runs.sqlite").path, "--cache-dir", cache]
    let first = try FFNB.run(args + ["--output", dir.appendingPathComponent("first").path + "/"], directory: dir)
    let again = try FFNB.run(args + ["--output", dir.appendingPathComponent("again").path + "/"], directory: dir)
    #expect(first.status == 0 && again.status == 0, "\(first.stdout)\(again.stdout)")
    // Each point's log says what its cache did: everything stored, then everything reused.
    for (run, says) in [("first", "cache: 0 results reused, 3 stored"), ("again", "cache: 3 results reused, 0 stored")] {
      let folder = dir.appendingPathComponent(run)
      let logs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".log") }
      #expect(logs.count == 2, "\(logs)")
      for log in logs {
        let text = try String(contentsOf: folder.appendingPathComponent(log), encoding: .utf8)
        #expect(text.contains(says), "\(run) \(log): \(text)")
      }
    }
    #expect(Self.tableRows(first.stdout).map { $0[4] } == Self.tableRows(again.stdout).map { $0[4] }, "the same accuracies")
  }

  @Test func aFailedPointDoesNotStopTheOthers() throws {
    let dir = try FFNB.temporaryDirectory()
    let registry = dir.appendingPathComponent("runs.sqlite").path
    let r = try FFNB.run(["run", Self.notebook, "-p", "dims=[784, 0],[784, 20]", "-p", "num_epochs=1"] + Self.small
                         + ["--registry", registry], directory: dir)
    #expect(r.status == 1)
    #expect(r.stdout.contains("[1/2] dims=[784, 0]: failed (exit status 2)"))
    #expect(r.stdout.contains("entries of 'dims' must be at least 1"))
    #expect(r.stdout.contains("[2/2] dims=[784, 20]: ok in "))
    #expect(r.stderr == "ffnb: 1 of 2 points did not finish\n")
    let rows = Self.tableRows(r.stdout)
    #expect(rows.map { $0[0] } == ["2", "1"], "\(r.stdout)")
    #expect(try Self.runIDs(registry).count == 1)
  }

  @Test func ctrlCStopsCleanlyAndKeepsFinishedPoints() throws {
    let dir = try FFNB.temporaryDirectory()
    let registry = dir.appendingPathComponent("runs.sqlite").path
    // The second point is long; Ctrl-C comes once the first has finished.
    try "num_epochs=1 train_size=100\nnum_epochs=500 train_size=1000\nnum_epochs=1 train_size=100\n"
      .write(to: dir.appendingPathComponent("grid.txt"), atomically: true, encoding: .utf8)
    let script = """
      "$FFNB" run "$NB" --sweep grid.txt -p test_size=100 --registry "$REG" > out.txt 2> err.txt &
      pid=$!
      i=0
      until grep -q '^\\[1/3\\].*: ok' out.txt || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done
      sleep 1
      kill -INT $pid
      wait $pid
      echo "status=$?"
      """
    let r = try runShell(script, environment: ["NB": Self.notebook, "REG": registry], directory: dir)
    #expect(r.stdout == "status=130\n", "\(r.stdout) \(r.stderr)")
    let out = try String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8)
    let err = try String(contentsOf: dir.appendingPathComponent("err.txt"), encoding: .utf8)
    #expect(out.contains("[2/3] num_epochs=500 train_size=1000: stopped by Ctrl-C; recorded as run"), "\(out)")
    #expect(!out.contains("[3/3]"))
    #expect(err == "ffnb: sweep stopped by Ctrl-C; 1 of 3 points finished\n")
    let rows = Self.tableRows(out)
    #expect(rows.map { $0[3] } == ["ok", "interrupted"], "\(out)")
    let listing = try FFNB.run(["runs", "--registry", registry])
    #expect(listing.stdout.contains("interrupted") && listing.stdout.split(separator: "\n").count == 4)
  }

  @Test func badListsFilesAndOptionsAreNamed() throws {
    let dir = try FFNB.temporaryDirectory()
    try "lr=0.1\nlr 0.2\n".write(to: dir.appendingPathComponent("grid.txt"), atomically: true, encoding: .utf8)
    try "x".write(to: dir.appendingPathComponent("plain"), atomically: true, encoding: .utf8)
    let cases: [([String], String)] = [
      (["-p", "lr=0.1,,0.3"], "ffnb: -p lr=0.1,,0.3: an empty value in the list of lr's values"),
      (["--sweep", "grid.txt"], "ffnb: grid.txt:2: "),
      (["--sweep", "missing.txt"], "ffnb: cannot read the sweep file missing.txt"),
      (["-p", "lrr=0.1,0.2"], "ffnb: unknown parameter 'lrr'; did you mean 'lr'?"),
      (["-p", "lr=0.1,0.2", "--output", "one.ipynb"], "ffnb: a sweep writes one executed notebook per point"),
      (["-p", "lr=0.1,0.2", "--shard", "3/2"], "ffnb: --shard 3/2: the shard must be from 1 to 2"),
      (["--jobs", "2"], "--jobs runs a sweep's points side by side"),
      // A file where a folder must be made: said in words, not "NSCocoaErrorDomain error 512".
      (["-p", "lr=0.1,0.2", "--output", "plain/runs/"], "ffnb: cannot create the folder plain/runs/: plain is not a folder\n"),
    ]
    for (arguments, expected) in cases {
      let r = try FFNB.run(["run", Self.notebook] + arguments + ["--no-registry"], directory: dir)
      #expect(r.status == 2 || r.status == 64, "\(arguments): \(r.status)")
      #expect(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
      #expect(!r.stdout.contains("point "))
    }
  }

  static var mpirun: String? {
    ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  @Test(.enabled(if: mpirun != nil, "needs Open MPI's mpirun (scripts/install-deps test installs openmpi-bin)"))
  func twoMPIShardsMergeIntoFourRuns() throws {
    let dir = try FFNB.temporaryDirectory()
    // Each rank records into its own registry, as on separate machines.
    let script = """
      mpirun --allow-run-as-root --oversubscribe -np 2 sh -c \
        '"$FFNB" run "$NB" -p lr=0.03,0.1 -p num_epochs=1,2 -p train_size=100 -p test_size=100 --registry "shard-$OMPI_COMM_WORLD_RANK.sqlite" > "out-$OMPI_COMM_WORLD_RANK.txt" 2>&1'
      echo "mpirun=$?"
      "$FFNB" runs merge shard-0.sqlite shard-1.sqlite --registry merged.sqlite
      "$FFNB" runs merge shard-0.sqlite shard-1.sqlite --registry merged.sqlite
      """
    let r = try runShell(script, environment: ["NB": Self.notebook, "OMPI_MCA_plm_rsh_agent": ""], timeout: .seconds(300), directory: dir)
    let outputs = try (0..<2).map { try String(contentsOf: dir.appendingPathComponent("out-\($0).txt"), encoding: .utf8) }
    #expect(r.stdout.hasPrefix("mpirun=0\n"), "\(r.stdout) \(r.stderr) \(outputs)")
    #expect(outputs[0].contains("2 of 4 points (shard 1/2 from Open MPI's rank)"))
    #expect(outputs[1].contains("2 of 4 points (shard 2/2 from Open MPI's rank)"))
    #expect(outputs[0].contains("[1/4] lr=0.03 num_epochs=1: ok") && outputs[0].contains("[3/4] lr=0.1 num_epochs=1: ok"))
    #expect(outputs[1].contains("[2/4] lr=0.03 num_epochs=2: ok") && outputs[1].contains("[4/4] lr=0.1 num_epochs=2: ok"))
    let merges = r.stdout.split(separator: "\n").dropFirst()
    #expect(merges.map { $0.contains("2 runs added, 0 already in") } == [true, true, false, false], "\(r.stdout)")
    #expect(merges.suffix(2).allSatisfy { $0.contains("0 runs added, 2 already in") })
    let runs = try Self.runIDs(dir.appendingPathComponent("merged.sqlite").path)
    #expect(runs.count == 4 && Set(runs).count == 4)
  }
}
