import FFLanguage
import FFSweep
import Testing

/// Sweep plans from `-p` value lists and sweep files, and shards from options and the environment.
@Suite struct SweepPlanTests {
  func values(_ text: String) throws -> [String] {
    try SweepSyntax.alternatives(text).map { "\($0.name)=\($0.value)" }
  }

  @Test func commasSplitOnlyOutsideBracketsAndStrings() throws {
    #expect(try values("lr=0.03,0.1,0.3") == ["lr=0.03", "lr=0.1", "lr=0.3"])
    #expect(try values("dims=[784, 400, 100], [784, 100]") == ["dims=[784, 400, 100]", "dims=[784, 100]"])
    #expect(try values("name=\"a,b\",\"c\"") == ["name=\"a,b\"", "name=\"c\""])
    #expect(try values("t=normalize(mean=0.1, std=0.1) | flatten") == ["t=normalize(mean=0.1, std=0.1) | flatten"])
    // One value is exactly what `-p` reads today.
    let single = try SweepSyntax.alternatives("lr=0.05")
    let today = try parseAssignment("lr=0.05")
    #expect(single.count == 1 && single[0].name == today.name && single[0].value == today.value)
  }

  @Test func badListsAreNamed() {
    for text in ["lr=0.1,", "lr=,0.1", "lr=0.1,,0.3", "lr=0.1,[1", "=0.1,0.2"] {
      #expect(throws: SweepError.self, "\(text)") { try SweepPlan.make(parameters: [text], sweepFile: nil) }
      #expect {
        try SweepPlan.make(parameters: [text], sweepFile: nil)
      } throws: { error in
        "\(error)".hasPrefix("-p \(text): ")
      }
    }
  }

  @Test func theProductOfListsInCommandLineOrder() throws {
    let plan = try SweepPlan.make(parameters: ["lr=0.03,0.1", "num_epochs=50,100", "seed_value=1"], sweepFile: nil)
    #expect(plan.points.count == 4)
    #expect(plan.swept == ["lr", "num_epochs"])
    #expect((0..<4).map(plan.label) == ["lr=0.03 num_epochs=50", "lr=0.03 num_epochs=100", "lr=0.1 num_epochs=50", "lr=0.1 num_epochs=100"])
    #expect(plan.points.allSatisfy { $0.contains { $0.name == "seed_value" && $0.text == "1" } })
    #expect(!SweepPlan.isSweep(parameters: ["lr=0.1", "dims=[784, 100]", "name=\"a,b\""], sweepFile: nil))
    #expect(SweepPlan.isSweep(parameters: ["lr=0.1,0.2"], sweepFile: nil))
    #expect(SweepPlan.isSweep(parameters: ["lr=0.1,,0.2"], sweepFile: nil))
    #expect(SweepPlan.isSweep(parameters: [], sweepFile: "grid.txt"))
  }

  @Test func aSweepFileHasOneCombinationPerLine() throws {
    let text = """
      # learning rates against widths
      lr=0.03 dims=[784, 400]

      lr=0.1   dims=[784, 100]   # wider is slower
      """
    let plan = try SweepPlan.make(parameters: ["num_epochs=5,10"], sweepFile: ("grid.txt", text))
    #expect(plan.points.count == 4)
    #expect(plan.label(0) == "lr=0.03 dims=[784, 400] num_epochs=5")
    #expect(plan.points[3].map(\.text) == ["0.1", "[784, 100]", "10"])
  }

  @Test func badSweepFilesNameTheFileAndLine() {
    let cases: [(String, String)] = [
      ("lr=0.1\nlr 0.2\n", "grid.txt:2: "),
      ("lr=0.1\n0.2\n", "grid.txt:2: "),
      ("lr=0.1 lr=0.2\n", "grid.txt:1: "),
      ("lr=[0.1\n", "grid.txt:1: "),
      ("# nothing\n\n", "grid.txt: the sweep file has no combination"),
      ("num_epochs=3\n", "num_epochs is given twice"),
    ]
    for (text, expected) in cases {
      #expect {
        try SweepPlan.make(parameters: ["num_epochs=5"], sweepFile: ("grid.txt", text))
      } throws: { error in
        "\(error)".hasPrefix(expected) || "\(error)".contains(expected)
      }
    }
  }

  @Test func aShardRunsEveryNthPointFromItsIndex() throws {
    let plan = try SweepPlan.make(parameters: ["lr=1,2,3,4,5"], sweepFile: nil)
    #expect(plan.indices(in: try Shard.parse("1/2")) == [0, 2, 4])
    #expect(plan.indices(in: try Shard.parse("2/2")) == [1, 3])
    #expect(plan.indices(in: try Shard.parse("3/3")) == [2])
    #expect(plan.indices(in: try Shard.parse("7/8")) == [])
    for bad in ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", ""] {
      #expect(throws: SweepError.self, "\(bad)") { try Shard.parse(bad) }
    }
  }

  @Test func theEnvironmentNamesTheShard() throws {
    #expect(try Shard.fromEnvironment(["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "4"])?.0 == Shard(index: 2, count: 4))
    #expect(try Shard.fromEnvironment(["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "1"]) == nil)
    // Slurm arrays may start anywhere (--array=5-8) and step (--array=0-6:2).
    #expect(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "6", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "5"])?.0 == Shard(index: 2, count: 4))
    #expect(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_STEP": "2"])?.0 == Shard(index: 3, count: 4))
    #expect(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "3"]) == nil)
    #expect(try Shard.fromEnvironment([:]) == nil)
    #expect(throws: SweepError.self) { try Shard.fromEnvironment(["OMPI_COMM_WORLD_RANK": "4", "OMPI_COMM_WORLD_SIZE": "4"]) }
    #expect(throws: SweepError.self) { try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "5"]) }
  }

  /// Values a broken or hostile environment may hold: an error naming the variable, never an
  /// overflow trap, and never a silent fall-back to running every point on every rank.
  @Test func garbageInTheEnvironmentIsAnErrorNotACrash() {
    let hostile: [[String: String]] = [
      ["SLURM_ARRAY_TASK_ID": "-9223372036854775808", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"],
      ["SLURM_ARRAY_TASK_ID": "9223372036854775807", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "-1"],
      ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "four"],
      ["OMPI_COMM_WORLD_RANK": "one", "OMPI_COMM_WORLD_SIZE": "4"],
      ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "99999999999999999999"],
    ]
    for environment in hostile {
      #expect(throws: SweepError.self, "\(environment)") { try Shard.fromEnvironment(environment) }
    }
    do {
      _ = try Shard.fromEnvironment(["OMPI_COMM_WORLD_RANK": "one", "OMPI_COMM_WORLD_SIZE": "4"])
    } catch {
      #expect(error.description.contains("OMPI_COMM_WORLD_RANK=\"one\" is not a whole number"))
    }
  }

  /// The point limit holds for a file's lines too, not only for products of `-p` lists, and
  /// is checked while reading, before a million-line file is planned.
  @Test func aSweepFileWithTooManyLinesIsRefused() {
    let text = String(repeating: "lr=0.1\n", count: SweepPlan.maximumPoints + 1)
    #expect {
      try SweepPlan.make(parameters: [], sweepFile: ("grid.txt", text))
    } throws: { error in
      "\(error)" == "grid.txt: the sweep file has more than \(SweepPlan.maximumPoints) combinations, the most ffnb runs"
    }
    let most = String(repeating: "lr=0.1\n", count: SweepPlan.maximumPoints)
    #expect((try? SweepPlan.make(parameters: [], sweepFile: ("grid.txt", most)))?.points.count == SweepPlan.maximumPoints)
  }

  /// Invalid UTF-8 names its line and column; a byte-order mark is not part of the first name.
  @Test func aSweepFileMustBeUTF8() throws {
    let bad = Array("lr=0.1\nname=\"caf".utf8) + [0xE9] + Array("\"\n".utf8)
    #expect {
      try SweepPlan.text(ofSweepFile: "grid.txt", bytes: bad)
    } throws: { error in
      "\(error)".hasPrefix("grid.txt:2: invalid UTF-8 at column 10")
    }
    let text = try SweepPlan.text(ofSweepFile: "grid.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("lr=0.1,0.2\n".utf8))
    #expect(text == "lr=0.1,0.2\n")
  }
}
