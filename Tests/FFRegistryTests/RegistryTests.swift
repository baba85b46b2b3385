import FFRegistry
import Foundation
import GRDB
import Testing

/// The registry on real SQLite files in a temporary folder; concurrent writers each have their own connection.
@Suite struct RegistryTests {
  static func temporaryFile(_ name: String = "runs.sqlite") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-registry-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
  }

  static func sample(lr: String = "0.05", accuracy: Int = 412, notebook: String = "/nb/quickstart.ffnb") -> RunRecord {
    RunRecord(
      kind: .replay, notebook: notebook, notebookHash: ContentHash.hex(Array("x".utf8)), startedAt: Date(), seconds: 3.5,
      status: .ok,
      environment: RunEnvironment(ffnbVersion: "0.1.0", blasCore: "Haswell", precision: "fp32", threads: 2, host: "h"),
      sweep: SweepMembership(id: UUID(), point: 1),
      parameters: [RunParameter(name: "lr", value: lr, overridden: true), RunParameter(name: "dims", value: "[784, 10]", overridden: false)],
      accuracies: [RunAccuracy(dataset: "train", correct: 857, total: 1000), RunAccuracy(dataset: "test", correct: accuracy, total: 500)],
      losses: [[0.9, 0.8, .nan, 0.6], [0.7, 0.65]],
      cells: [CellTiming(name: "learn", status: "ok", seconds: 3.1)])
  }

  @Test func aRunReadsBackAsItWasWritten() throws {
    let registry = try RunRegistry(path: try Self.temporaryFile())
    var run = Self.sample()
    try registry.record(run)
    let back = try registry.run(matching: run.shortID)
    // Dates go through a double; NaN through NULL.
    #expect(abs(back.startedAt.timeIntervalSince(run.startedAt)) < 1e-3)
    #expect(back.losses[0][2].isNaN)
    run.startedAt = back.startedAt
    run.losses[0][2] = 0
    var fixed = back
    fixed.losses[0][2] = 0
    #expect(fixed == run)
    #expect(back.headline == RunAccuracy(dataset: "test", correct: 412, total: 500))
  }

  @Test func listsNewestFirstAndFiltersByNotebook() throws {
    let registry = try RunRegistry(path: try Self.temporaryFile())
    var old = Self.sample(lr: "0.1")
    old.startedAt = Date(timeIntervalSinceNow: -60)
    let new = Self.sample(lr: "0.3")
    let other = Self.sample(notebook: "/nb/mnist.ffnb")
    for run in [old, new, other] { try registry.record(run) }
    #expect(try registry.runs(notebook: "/nb/quickstart.ffnb").map(\.id) == [new.id, old.id])
    #expect(try registry.runs(limit: 1).count == 1)
    #expect(try registry.count() == 3)
    let listing = RunText.listing(try registry.runs(notebook: "/nb/quickstart.ffnb"))
    let lines = listing.split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines[2].hasPrefix(new.shortID) && lines[2].contains("lr=0.3") && lines[2].contains("test 82.40 %"))
  }

  @Test func idsArePrefixesAndBadOnesAreNamed() throws {
    let path = try Self.temporaryFile()
    let registry = try RunRegistry(path: path)
    let run = Self.sample()
    try registry.record(run)
    #expect(try registry.run(matching: run.id.uuidString.uppercased()).id == run.id)
    for bad in ["zzzz", "ab", "", "00000000", "'; DROP TABLE run; --"] {
      #expect {
        try registry.run(matching: bad)
      } throws: { error in
        (error as? RegistryError)?.problem == .noSuchRun(bad) && "\(error)".contains(path)
      }
    }
  }

  @Test func twoWritersAtOnceLoseNothing() throws {
    let path = try Self.temporaryFile()
    _ = try RunRegistry(path: path)
    let perWriter = 40
    // Two connections of their own, as two processes have; each run is one transaction.
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      do {
        let registry = try RunRegistry(path: path)
        for _ in 0..<perWriter { try registry.record(Self.sample()) }
      } catch {
        failures.add("\(error)")
      }
    }
    #expect(failures.all == [])
    let registry = try RunRegistry(path: path)
    let runs = try registry.runs()
    #expect(runs.count == 2 * perWriter)
    #expect(runs.allSatisfy { $0.losses.count == 2 && $0.parameters.count == 2 && $0.accuracies.count == 2 })
  }

  @Test func aTruncatedFileIsRefusedInOneLine() throws {
    let path = try Self.temporaryFile()
    do {
      let registry = try RunRegistry(path: path)
      for _ in 0..<30 { try registry.record(Self.sample()) }
    }
    let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(size > 8192)
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    try handle.truncate(atOffset: UInt64(size / 2))
    try handle.close()
    #expect {
      _ = try RunRegistry(path: path)
    } throws: { error in
      guard let error = error as? RegistryError, case .unusable = error.problem else { return false }
      return "\(error)".contains(path) && !"\(error)".contains("\n")
    }
    // The recorder says so once and records nothing; it never throws.
    var said: [String] = []
    let recorder = RunRecorder(location: .file(path)) { said.append($0) }
    #expect(!recorder.record(Self.sample()))
    #expect(!recorder.record(Self.sample()))
    #expect(said.count == 1)
  }

  @Test func aFileThatIsNotADatabaseIsRefused() throws {
    let path = try Self.temporaryFile()
    try Data(String(repeating: "not sqlite\n", count: 500).utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: RegistryError.self) { try RunRegistry(path: path) }
    // Nothing was written to it.
    #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("not sqlite"))
  }

  @Test func aDirectoryIsRefused() throws {
    let path = try Self.temporaryFile()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    #expect(throws: RegistryError.self) { try RunRegistry(path: path) }
  }

  @Test func aFIFOIsRefusedAtOnceNotWaitedOn() throws {
    let path = try Self.temporaryFile()
    #expect(mkfifo(path, 0o600) == 0)
    #expect {
      _ = try RunRegistry(path: path)
    } throws: { error in
      "\(error)" == "the run registry \(path) cannot be used: it is a FIFO (named pipe), not a regular file"
    }
  }

  @Test func mergingTwiceAddsEachRunOnce() throws {
    let a = try RunRegistry(path: try Self.temporaryFile("a.sqlite"))
    let b = try RunRegistry(path: try Self.temporaryFile("b.sqlite"))
    let shared = Self.sample()
    try a.record(shared)
    try a.record(Self.sample())
    try b.record(shared)
    try b.record(Self.sample(lr: "0.3"))
    let first = try a.merge(from: b)
    #expect(first.added == 1 && first.present == 1)
    let again = try a.merge(from: b)
    #expect(again.added == 0 && again.present == 2)
    #expect(try a.count() == 3)
    let merged = try a.runs().first { $0.parameters.first?.value == "0.3" }
    #expect(merged?.losses.map(\.count) == [4, 2] && merged?.accuracies.count == 2 && merged?.sweep != nil)
  }

  @Test func comparisonShowsOnlyParametersThatDiffer() throws {
    let one = Self.sample(lr: "0.03", accuracy: 400), two = Self.sample(lr: "0.1", accuracy: 420)
    let comparison = RunComparison([one, two])
    #expect(comparison.differing.map(\.name) == ["lr"])
    let table = comparison.table
    #expect(table.contains("lr") && table.contains("0.03") && table.contains("0.1"))
    #expect(!table.contains("dims"))
    #expect(table.contains("80.00 %") && table.contains("84.00 %"))
    let svg = ComparisonChart.svg(comparison, title: "loss")
    #expect(svg.hasPrefix("<?xml") && svg.contains("lr=0.03") && svg.contains("lr=0.1"))
  }

  @Test func contentHashIsSHA256InHex() {
    #expect(ContentHash.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(ContentHash.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(ContentHash.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
      == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func locationFollowsFlagThenVariableThenXDG() {
    #expect(RegistryLocation.resolve(explicit: nil, disabled: true, environment: ["FFNB_REGISTRY": "/r"]) == .off)
    #expect(RegistryLocation.resolve(explicit: "/x.sqlite", disabled: false, environment: ["FFNB_REGISTRY": "/r"]) == .file("/x.sqlite"))
    #expect(RegistryLocation.resolve(explicit: nil, disabled: false, environment: ["FFNB_REGISTRY": "off"]) == .off)
    #expect(RegistryLocation.resolve(explicit: nil, disabled: false, environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]) == .file("/d/ffnb/runs.sqlite"))
    #expect(RegistryLocation.resolve(explicit: nil, disabled: false, environment: ["HOME": "/h"]) == .file("/h/.local/share/ffnb/runs.sqlite"))
  }

  /// SQLite stores whatever a writer gives, whatever the column's declared type: a registry
  /// edited by hand, damaged, or made by another tool may hold text where a count goes, or
  /// a duration no run takes. Listing it is an error naming the file, not a crash.
  @Test func valuesOfTheWrongTypeAreAnErrorNotACrash() throws {
    for (column, value) in [("threads", "'abc'"), ("seconds", "'slow'"), ("sweepPoint", "'first'"), ("startedAt", "'yesterday'")] {
      let path = try Self.temporaryFile()
      try RunRegistry(path: path).record(Self.sample())
      let queue = try DatabaseQueue(path: path)
      try queue.write { db in try db.execute(sql: "UPDATE run SET \(column) = \(value)") }
      try queue.close()
      let registry = try RunRegistry(path: path)
      #expect("\(column) = \(value)") {
        _ = try registry.runs()
      } throws: { error in
        "\(error)".contains(path) && "\(error)".contains("wrong type") && !"\(error)".contains("\n")
      }
    }
  }

  /// A finite duration far past any run's still formats (`Int(1e300)` would trap).
  @Test func hugeDurationsFormatWithoutTrapping() throws {
    #expect(RunText.duration(185.2) == "3 min 5 s")
    #expect(RunText.duration(1e300) == "1e+300 s")
    #expect(RunText.duration(999_999_999) == "16666666 min 39 s")
    var run = Self.sample()
    run.seconds = 1e300
    run.cells = [CellTiming(name: "learn", status: "ok", seconds: 9.3e18)]
    #expect(RunText.details(run).contains("took 1e+300 s") && RunText.details(run).contains("learn ok 9.3e+18 s"))
    #expect(RunText.listing([run]).contains("1e+300 s"))
  }
}

/// Errors collected from concurrent writers.
final class Failures: @unchecked Sendable {
  private let lock = NSLock()
  private var errors: [String] = []
  func add(_ error: String) { lock.withLock { errors.append(error) } }
  var all: [String] { lock.withLock { errors } }
}
