import FFFiles
import FFLanguage

/// The points of a sweep: every combination of the `-p` value lists (`-p lr=0.03,0.1 -p
/// num_epochs=50,100` is four points), times the lines of a `--sweep` file if one is given.
/// State only; the scheduler runs it and the table presents it.
package struct SweepPlan: Sendable, Equatable {
  /// Each point's assignments, in the order the command line and the file name them.
  package var points: [[SweepSyntax.Assignment]]
  /// The parameters that differ between points, in first-named order (the table's columns).
  package var swept: [String]

  /// The most points a plan may have: a typo such as `-p lr=` plus a pasted list of thousands
  /// should be refused, not run for days.
  package static let maximumPoints = 10_000

  package init(points: [[SweepSyntax.Assignment]]) {
    self.points = points
    var names: [String] = []
    for point in points { for a in point where !names.contains(a.name) { names.append(a.name) } }
    swept = names.filter { name in Set(points.map { $0.first { $0.name == name }?.value }).count > 1 }
  }

  /// Whether the command line asks for a sweep rather than one run: a `-p` with more than one
  /// value, or a sweep file. A single value each keeps a plain run.
  package static func isSweep(parameters: [String], sweepFile: String?) -> Bool {
    sweepFile != nil || parameters.contains(where: SweepSyntax.isList)
  }

  /// The plan of `-p` texts and an optional sweep file's lines.
  package static func make(parameters: [String], sweepFile: (path: String, text: String)?) throws(SweepError) -> SweepPlan {
    var axes: [[SweepSyntax.Assignment]] = []
    var named: [String: String] = [:]
    for text in parameters {
      let alternatives: [SweepSyntax.Assignment]
      do { alternatives = try SweepSyntax.alternatives(text) } catch { throw SweepError(.badParameter(text, error)) }
      let name = alternatives[0].name
      if let earlier = named[name] { throw SweepError(.repeated(name, first: earlier, second: "-p \(text)")) }
      named[name] = "-p \(text)"
      axes.append(alternatives)
    }
    var points: [[SweepSyntax.Assignment]] = [[]]
    if let sweepFile {
      var lines: [[SweepSyntax.Assignment]] = []
      for (i, line) in sweepFile.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let origin = SourceOrigin(file: sweepFile.path, firstLine: i + 1)
        let assignments: [SweepSyntax.Assignment]
        do { assignments = try SweepSyntax.line(String(line), origin: origin) } catch { throw SweepError(.badLine(sweepFile.path, line: i + 1, error)) }
        guard !assignments.isEmpty else { continue }
        for a in assignments {
          if let earlier = named[a.name] { throw SweepError(.repeated(a.name, first: earlier, second: "\(sweepFile.path):\(i + 1)")) }
        }
        lines.append(assignments)
        // Refused as soon as it is too long: a file of a million short lines is not planned first.
        guard lines.count <= maximumPoints else { throw SweepError(.tooManyLines(sweepFile.path)) }
      }
      guard !lines.isEmpty else { throw SweepError(.emptyFile(sweepFile.path)) }
      points = lines
    }
    for axis in axes {
      guard points.count * axis.count <= maximumPoints else { throw SweepError(.tooMany(points.count * axis.count)) }
      points = points.flatMap { point in axis.map { point + [$0] } }
    }
    return SweepPlan(points: points)
  }

  /// A sweep file's text from its bytes. Invalid UTF-8 is an error at its line and column, not
  /// a U+FFFD quietly swept as a value (`name="caf\xE9"` would run with `"caf\u{FFFD}"`); a
  /// leading byte-order mark is dropped, as for notebooks.
  package static func text(ofSweepFile path: String, bytes: [UInt8]) throws(SweepError) -> String {
    if let place = UTF8Validation.places(in: bytes).reported.first {
      let at = SourceLocation(file: path, line: place.line, column: place.column)
      throw SweepError(.badLine(path, line: place.line, Diagnostic(
        .error, "invalid UTF-8 at column \(place.column): \(place.length == 1 ? "a byte" : "\(place.length) bytes") not part of any character; save the sweep file as UTF-8",
        at: at)))
    }
    let text = String(decoding: bytes, as: UTF8.self)
    return text.hasPrefix("\u{FEFF}") ? String(text.unicodeScalars.dropFirst()) : text
  }

  /// `lr=0.03 num_epochs=50`: the swept values of a point.
  package func label(_ index: Int) -> String {
    swept.compactMap { name in points[index].first { $0.name == name }.map { "\(name)=\($0.value)" } }.joined(separator: " ")
  }

  /// The points (0-based) shard `shard` runs: every `count`-th from its index.
  package func indices(in shard: Shard?) -> [Int] {
    guard let shard else { return Array(points.indices) }
    return Array(stride(from: shard.index - 1, to: points.count, by: shard.count))
  }
}

/// Why a sweep cannot be planned or run, naming the `-p`, the file and line, or the file.
package struct SweepError: Error, Sendable, CustomStringConvertible {
  package enum Problem: Sendable {
    case badParameter(String, Diagnostic)
    case badLine(String, line: Int, Diagnostic)
    case repeated(String, first: String, second: String)
    case emptyFile(String)
    case unreadable(String, FileError)
    case tooMany(Int)
    case tooManyLines(String)
    case badShard(String, why: String)
  }

  package var problem: Problem

  package init(_ problem: Problem) { self.problem = problem }

  package var description: String {
    switch problem {
    case let .badParameter(text, diagnostic):
      "-p \(text): \(diagnostic.message)"
    case let .badLine(path, line, diagnostic):
      "\(path):\(line): \(diagnostic.message)"
    case let .repeated(name, first, second):
      "\(name) is given twice: by \(first) and by \(second)"
    case .emptyFile(let path):
      "\(path): the sweep file has no combination (one per line, as in lr=0.03 num_epochs=50)"
    case let .unreadable(path, error):
      "cannot read the sweep file \(path): \(error.description)"
    case .tooMany(let count):
      "the sweep has \(count) points, more than the \(SweepPlan.maximumPoints) ffnb runs at most"
    case .tooManyLines(let path):
      "\(path): the sweep file has more than \(SweepPlan.maximumPoints) combinations, the most ffnb runs"
    case let .badShard(text, why):
      "--shard \(text): \(why)"
    }
  }
}
