import ArgumentParser

/// `run`'s sweep options: a sweep file, parallel workers, a shard.
struct SweepOptions: ParsableArguments {
  @Option(name: .customLong("sweep"), help: ArgumentHelp(
    "Run one point per line of this file (name=value pairs, as in `lr=0.03 num_epochs=50`), each recorded as its own run.",
    valueName: "file"), completion: .file())
  var file: String?

  @Option(help: ArgumentHelp("Worker processes for a sweep's points (default 1); the cores are shared, each gets cores / jobs threads.", valueName: "n"))
  var jobs: Int?

  @Option(help: ArgumentHelp(
    "Run only shard I of N of a sweep: points I, I+N, I+2N... (default: from mpirun's OMPI_COMM_WORLD_RANK/SIZE or a Slurm array's SLURM_ARRAY_TASK_ID/COUNT).",
    valueName: "I/N"))
  var shard: String?

  func validate() throws {
    if let jobs, jobs < 1 || jobs > 256 { throw ValidationError("--jobs must be between 1 and 256, got \(jobs)") }
  }
}
