import FFTestSupport
import Foundation
import GRDB
import Testing

/// The run registry through the real binary: replays recorded into a temporary SQLite file,
/// two at once, a truncated file, `runs`, `runs show`, `compare` and `runs merge`.
@Suite(.enabled(if: FFNB.binary != nil && Binary.hasMNIST, "needs the release binary and data/mnist"))
struct RegistryEndToEndTests {
  static let notebook = FFNB.packageRoot.appendingPathComponent("notebooks/quickstart.ffnb").path
  /// The quickstart notebook made tiny: a second or so a replay.
  static let tiny = ["-p", "train_size=200", "-p", "test_size=100", "-p", "num_epochs=2"]

  static func replay(_ registry: String, _ extra: [String] = []) throws -> FFNB.Result {
    try FFNB.run(["run", notebook] + tiny + extra + ["--registry", registry])
  }

  @Test func twoReplaysAtOnceAreBothRecorded() throws {
    let dir = try FFNB.temporaryDirectory()
    let registry = dir.appendingPathComponent("runs.sqlite").path
    // Two processes writing the same registry at the same moment.
    let script = """
      "$FFNB" run "$NB" $TINY -p lr=0.03 --registry "$REG" > a.out 2> a.err & a=$!
      "$FFNB" run "$NB" $TINY -p lr=0.1 --registry "$REG" > b.out 2> b.err & b=$!
      wait $a; echo "a=$?"; wait $b; echo "b=$?"
      cat a.err b.err
      """
    let both = try runShell(script, environment: ["NB": Self.notebook, "REG": registry, "TINY": Self.tiny.joined(separator: " ")], directory: dir)
    #expect(both.stdout == "a=0\nb=0\n", "\(both.stdout)")
    let listing = try FFNB.run(["runs", "--registry", registry])
    #expect(listing.status == 0)
    let lines = listing.stdout.split(separator: "\n")
    #expect(lines.count == 4, "\(listing.stdout)")
    #expect(lines.dropFirst(2).allSatisfy { $0.contains("replay") && $0.contains("ok") && $0.contains("test ") && $0.contains("quickstart.ffnb") })
    #expect(listing.stdout.contains("lr=0.03") && listing.stdout.contains("lr=0.1"))

    let ids = lines.dropFirst(2).map { String($0.prefix(8)) }
    let show = try FFNB.run(["runs", "show", ids[0], "--registry", registry])
    #expect(show.status == 0)
    for field in ["kind:", "notebook:", "sha256", "OpenBLAS core", "parameters:", "accuracy:", "loss layer 1:", "loss layer 2:", "cells:"] {
      #expect(show.stdout.contains(field), "\(field) missing from \(show.stdout)")
    }

    let svg = dir.appendingPathComponent("compare.svg").path
    let compare = try FFNB.run(["compare", ids[0], ids[1], "--registry", registry, "-o", svg])
    #expect(compare.status == 0, "\(compare.stderr)")
    let table = compare.stdout.split(separator: "\n").map(String.init)
    #expect(table.contains { $0.hasPrefix("lr ") && $0.contains("0.03") && $0.contains("0.1") })
    // Parameters that are the same in both are left out.
    #expect(!table.contains { $0.hasPrefix("train_size") })
    #expect(table.contains { $0.hasPrefix("test accuracy") })
    let chart = try String(contentsOfFile: svg, encoding: .utf8)
    #expect(chart.contains("<svg") && chart.contains("lr=0.03") && chart.contains("lr=0.1"))
  }

  @Test func aTruncatedRegistryIsSaidOnceAndTheReplayGoesOn() throws {
    let dir = try FFNB.temporaryDirectory()
    let registry = dir.appendingPathComponent("runs.sqlite").path
    let first = try Self.replay(registry)
    #expect(first.status == 0)
    let size = try #require(try FileManager.default.attributesOfItem(atPath: registry)[.size] as? Int)
    let handle = try #require(FileHandle(forUpdatingAtPath: registry))
    try handle.truncate(atOffset: UInt64(size / 2))
    try handle.close()
    let truncated = try Self.replay(registry)
    #expect(truncated.status == 0)
    let notes = truncated.stderr.split(separator: "\n")
    #expect(notes.count == 1, "\(truncated.stderr)")
    #expect(notes.first?.contains("the run registry \(registry) cannot be used") == true)
    #expect(notes.first?.hasSuffix("runs are not recorded") == true)
    // Exactly what a replay without a registry prints.
    let without = try FFNB.run(["run", Self.notebook] + Self.tiny + ["--no-registry"])
    #expect(FFNB.maskTimings(truncated.stdout) == FFNB.maskTimings(without.stdout))
    // The damaged file was not written to, and reading it fails in one line with status 2.
    #expect(try FileManager.default.attributesOfItem(atPath: registry)[.size] as? Int == size / 2)
    let listing = try FFNB.run(["runs", "--registry", registry])
    #expect(listing.status == 2 && listing.stderr.split(separator: "\n").count == 1)
  }

  @Test func badIdsAndMissingRegistriesAreNamed() throws {
    let dir = try FFNB.temporaryDirectory()
    let registry = dir.appendingPathComponent("runs.sqlite").path
    #expect(try Self.replay(registry).status == 0)
    let show = try FFNB.run(["runs", "show", "deadbeef", "--registry", registry])
    #expect(show.status == 2 && show.stderr == "ffnb: no run deadbeef in \(registry) (`ffnb runs` lists them)\n")
    let compare = try FFNB.run(["compare", "1234", "--registry", registry])
    #expect(compare.status != 0 && compare.stderr.contains("at least two runs"))
    let missing = dir.appendingPathComponent("none.sqlite").path
    let merge = try FFNB.run(["runs", "merge", missing, "--registry", registry])
    #expect(merge.status == 2 && merge.stderr == "ffnb: no run registry at \(missing)\n")
    #expect(!FileManager.default.fileExists(atPath: missing))
    // An SQLite database that is not a registry: refused, and never given the registry's tables.
    let other = dir.appendingPathComponent("other.db").path
    let seed = try DatabaseQueue(path: other)
    try seed.write { db in try db.execute(sql: "CREATE TABLE note (text TEXT)") }
    try seed.close()
    let untouched = try Data(contentsOf: URL(fileURLWithPath: other))
    for arguments in [["runs", "merge", other, "--registry", registry], ["runs", "--registry", other], ["compare", "1234", "5678", "--registry", other]] {
      let r = try FFNB.run(arguments)
      #expect(r.status == 2 && r.stderr.contains("\(other) cannot be used: it is an SQLite database, but not a run registry"), "\(arguments): \(r.stderr)")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == untouched)
    // A registry under a file: the folder cannot be made, said in words.
    let underFile = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-\(UUID().uuidString)").path
    try "x".write(toFile: underFile, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: underFile) }
    let listing = try FFNB.run(["runs", "--registry", underFile + "/x/runs.sqlite"])
    #expect(listing.status != 0)
    #expect(listing.stderr.contains("cannot create the folder \(underFile)/x: \(underFile) is not a folder"), "\(listing.stderr)")
  }

  @Test func theREPLRecordsLearnAndPredictAndListsThem() throws {
    let dir = try FFNB.temporaryDirectory()
    let registry = dir.appendingPathComponent("runs.sqlite").path
    let input = ":run 1-5\npredict test\nset lr = 0.2\nlearn epochs=1\npredict test\n:runs\n"
    let r = try FFNB.run(["step", Self.notebook] + Self.tiny + ["--registry", registry], input: input)
    #expect(r.status == 0, "\(r.stderr)")
    let listing = try FFNB.run(["runs", "--registry", registry])
    let kinds = listing.stdout.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true)[3] }
    // Newest first: the cell `learn`, then typed predict, learn, predict.
    #expect(kinds == ["predict", "learn", "predict", "learn"], "\(listing.stdout)")
    let ids = listing.stdout.split(separator: "\n").dropFirst(2).map { String($0.prefix(8)) }
    let learned = try FFNB.run(["runs", "show", ids[1], "--registry", registry])
    #expect(learned.stdout.contains("lr = 0.2"), "\(learned.stdout)")
    #expect(learned.stdout.contains("loss layer 1: 3 epochs"), "\(learned.stdout)")
    // `:runs` in the session listed the same runs.
    #expect(r.stdout.contains(ids[0]) && r.stdout.contains(ids[3]))
    let compare = try FFNB.run(["step", Self.notebook] + Self.tiny + ["--registry", registry], input: ":compare \(ids[1]) \(ids[3])\n")
    #expect(compare.stdout.contains("lr ") && compare.stdout.contains("0.2"), "\(compare.stdout)")
  }
}
