/// Records runs for one process (a replay, a REPL session): opens the registry once, and if
/// it cannot be used says so once, in one line, and records nothing more, so a broken
/// registry never stops a replay.
package final class RunRecorder {
  package let location: RegistryLocation
  private let warn: (String) -> Void
  private var state: State = .closed

  private enum State {
    case closed
    case open(RunRegistry)
    case unusable
  }

  /// `warn` prints the one line saying the registry is not used.
  package init(location: RegistryLocation, warn: @escaping (String) -> Void) {
    self.location = location
    self.warn = warn
  }

  /// The registry, opened on first use; nil when off or unusable (said once).
  package var registry: RunRegistry? {
    switch state {
    case .open(let registry): return registry
    case .unusable: return nil
    case .closed:
      guard let path = location.path else {
        state = .unusable
        return nil
      }
      do {
        let registry = try RunRegistry(path: path)
        state = .open(registry)
        return registry
      } catch {
        disable(error)
        return nil
      }
    }
  }

  /// Stores `run`; false when it was not recorded.
  @discardableResult
  package func record(_ run: RunRecord) -> Bool {
    guard let registry else { return false }
    do {
      try registry.record(run)
      return true
    } catch {
      disable(error)
      return false
    }
  }

  private func disable(_ error: RegistryError) {
    state = .unusable
    warn("note: \(error.description); runs are not recorded")
  }
}
