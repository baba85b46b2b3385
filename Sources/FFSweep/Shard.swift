import Foundation

/// Which part of a sweep this process runs: shard `index` of `count` runs points index,
/// index + count, index + 2 count... (1-based, as `--shard 1/2` reads). A sweep too large for
/// one machine is spread by an engine that starts one ffnb per shard: Open MPI's `mpirun`
/// or a Slurm job array, whose variables name the shard.
package struct Shard: Sendable, Equatable, CustomStringConvertible {
  package var index: Int
  package var count: Int

  package init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  package var description: String { "\(index)/\(count)" }

  /// Where a shard came from, for the line that says which one runs.
  package enum Source: Sendable, Equatable {
    case option, openMPI, slurm
  }

  /// `--shard I/N`.
  package static func parse(_ text: String) throws(SweepError) -> Shard {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
      throw SweepError(.badShard(text, why: "expected I/N, as in 1/4 (shard 1 of 4)"))
    }
    guard count >= 1 else { throw SweepError(.badShard(text, why: "the number of shards must be at least 1")) }
    guard index >= 1 && index <= count else { throw SweepError(.badShard(text, why: "the shard must be from 1 to \(count)")) }
    return Shard(index: index, count: count)
  }

  /// The shard the environment gives: Open MPI's rank and size (`OMPI_COMM_WORLD_RANK`,
  /// `OMPI_COMM_WORLD_SIZE`), else a Slurm array task (`SLURM_ARRAY_TASK_ID` counted from
  /// `SLURM_ARRAY_TASK_MIN` in steps of `SLURM_ARRAY_TASK_STEP`, of `SLURM_ARRAY_TASK_COUNT`).
  /// Nil when neither is there, or it says one process (nothing to share).
  ///
  /// A variable that is set but is not a whole number is an error, not absent: read as absent,
  /// every rank of an `mpirun` would run the whole sweep. The arithmetic cannot overflow: the
  /// values are any 64-bit integers a hostile or broken environment sets.
  package static func fromEnvironment(_ environment: [String: String]) throws(SweepError) -> (Shard, Source)? {
    func number(_ name: String, from source: String) throws(SweepError) -> Int? {
      guard let text = environment[name] else { return nil }
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
        throw SweepError(.badShard(source, why: "\(name)=\(text.debugDescription) is not a whole number"))
      }
      return value
    }
    let mpi = "from Open MPI", slurm = "from Slurm"
    if let rank = try number("OMPI_COMM_WORLD_RANK", from: mpi), let size = try number("OMPI_COMM_WORLD_SIZE", from: mpi) {
      guard size >= 1, rank >= 0, rank < size else {
        throw SweepError(.badShard(mpi, why: "OMPI_COMM_WORLD_RANK=\(rank) is not below OMPI_COMM_WORLD_SIZE=\(size)"))
      }
      return size > 1 ? (Shard(index: rank + 1, count: size), .openMPI) : nil
    }
    if let id = try number("SLURM_ARRAY_TASK_ID", from: slurm), let count = try number("SLURM_ARRAY_TASK_COUNT", from: slurm) {
      let minimum = try number("SLURM_ARRAY_TASK_MIN", from: slurm) ?? 0
      let step = max(1, try number("SLURM_ARRAY_TASK_STEP", from: slurm) ?? 1)
      let (offset, overflow) = id.subtractingReportingOverflow(minimum)
      guard count >= 1, !overflow, offset >= 0, offset % step == 0, offset / step < count else {
        throw SweepError(.badShard(slurm, why: "SLURM_ARRAY_TASK_ID=\(id) is not one of the \(count) tasks from SLURM_ARRAY_TASK_MIN=\(minimum) in steps of \(step)"))
      }
      return count > 1 ? (Shard(index: offset / step + 1, count: count), .slurm) : nil
    }
    return nil
  }
}
