import Foundation

/// Timestamps in the two forms executed notebooks carry, both UTC with microseconds:
/// papermill's `datetime.utcnow().isoformat()` (`2024-05-01T09:30:12.345678`, no zone) and
/// Jupyter's message dates (`2024-05-01T09:30:12.345678Z`).
package enum IpynbTimestamp {
  /// Papermill's form, as in `metadata.papermill.start_time`.
  static func papermill(_ date: Date) -> String { iso(date) }

  /// Jupyter's form, as in `metadata.execution["iopub.status.busy"]`.
  package static func jupyter(_ date: Date) -> String { iso(date) + "Z" }

  private static func iso(_ date: Date) -> String {
    let since1970 = date.timeIntervalSince1970
    var seconds = since1970.rounded(.down)
    var micros = Int(((since1970 - seconds) * 1_000_000).rounded())
    if micros >= 1_000_000 {
      seconds += 1
      micros -= 1_000_000
    }
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d",
                  Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                  Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
  }
}
