/// Why the registry could not be used or a run not found: one line, naming the file.
package struct RegistryError: Error, Sendable, CustomStringConvertible {
  package enum Problem: Sendable, Equatable {
    /// The file could not be opened, read or written (corrupt, not a database, permissions...).
    case unusable(String)
    /// No run's id starts with this.
    case noSuchRun(String)
    /// More than one run's id starts with this.
    case ambiguous(String, candidates: [String])
    /// A newer ffnb changed the schema (these migrations are unknown here): runs are read, but
    /// none is written, as rows missing what the newer schema expects would corrupt it for that ffnb.
    case newerSchema([String])
  }

  package var path: String
  package var problem: Problem

  package init(path: String, _ problem: Problem) {
    self.path = path
    self.problem = problem
  }

  package var description: String {
    switch problem {
    case .unusable(let reason):
      "the run registry \(path) cannot be used: \(reason)"
    case .noSuchRun(let id):
      "no run \(id) in \(path) (`ffnb runs` lists them)"
    case .ambiguous(let id, let candidates):
      "run id \(id) is ambiguous in \(path): it starts \(candidates.joined(separator: ", ")); give more digits"
    case .newerSchema(let migrations):
      "the run registry \(path) was written by a newer ffnb (its schema has \(migrations.map { "'\($0)'" }.joined(separator: ", ")), "
        + "unknown to this one): it is only read; upgrade ffnb, or give another --registry, to record runs"
    }
  }
}
