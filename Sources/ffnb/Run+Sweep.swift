import ArgumentParser
import FFFiles
import FFLanguage
import FFNotebook
import FFRegistry
import FFREPL
import FFSweep
import Foundation

extension Run {
  /// Runs a sweep when the command line asks for one (a `-p` with several values, `--sweep`,
  /// `--shard`, or a shard from mpirun or Slurm for such a sweep); false for a plain run.
  func runSweepIfAsked() throws -> Bool {
    // A worker runs exactly its point.
    guard registry.sweepID == nil else { return false }
    let listed = SweepPlan.isSweep(parameters: options.parameters, sweepFile: sweep.file)
    guard listed || sweep.shard != nil else {
      if sweep.jobs != nil { throw ValidationError("--jobs runs a sweep's points side by side; give several values (-p lr=0.03,0.1) or --sweep FILE") }
      return false
    }
    try SweepLaunch(run: self).start()
    return true
  }
}

/// A sweep from `ffnb run`: plans the points, starts a worker per point, prints the results.
struct SweepLaunch {
  let run: Run
  let id = UUID()

  func start() throws {
    let (nb, parseDiagnostics) = try NotebookLoading.read(run.notebook)
    let plan = try reportingSweep { () throws(SweepError) in
      try SweepPlan.make(parameters: run.options.parameters, sweepFile: try sweepFile())
    }
    try checkNames(plan, in: nb)
    // The notebook itself, before any worker starts; a value that fails only some points
    // (dims=[784, 0]) fails those points, in their workers, and not the others.
    try NotebookCheck.beforeRunning(nb, parse: parseDiagnostics, overrides: [])
    let shard = try reportingSweep { () throws(SweepError) -> (Shard, String)? in
      if let text = run.sweep.shard { return (try Shard.parse(text), "--shard") }
      return try Shard.fromEnvironment(ProcessInfo.processInfo.environment).map { shard, source in
        switch source {
        case .option: (shard, "--shard")
        case .openMPI: (shard, "Open MPI's rank")
        case .slurm: (shard, "the Slurm array task")
        }
      }
    }
    let points = plan.indices(in: shard?.0)
    let console = Console.standardOutput()
    let stem = ((run.notebook as NSString).lastPathComponent as NSString).deletingPathExtension
    let folders = try SweepFolders(output: run.output, stem: stem, id: id)
    let registryPath = recordingRegistry(folders)
    let jobs = min(run.sweep.jobs ?? 1, max(1, points.count))
    let threads = run.options.threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
    var header = "sweep \(RunRecord.short(id)) of \(VisibleText.escaping(run.notebook)): \(points.count) of \(plan.points.count) point\(plan.points.count == 1 ? "" : "s")"
    if let (shard, source) = shard { header += " (shard \(shard) from \(source))" }
    header += ", \(jobs) worker\(jobs == 1 ? "" : "s") of \(threads) thread\(threads == 1 ? "" : "s")"
    console.line(header)
    guard !points.isEmpty else {
      console.line("this shard has no point to run")
      return
    }
    let queue = points.map { point in
      SweepJob(point: point, arguments: arguments(plan.points[point], point: point, threads: threads, registry: registryPath, folders: folders, stem: stem),
               log: folders.log(point, stem: stem))
    }
    Interrupt.install()
    let total = plan.points.count
    let workers = SweepWorkers(
      executable: Self.executable, jobs: jobs, shouldStop: { Interrupt.isRequested },
      started: { job in
        if jobs > 1 { console.line("[\(job.point + 1)/\(total)] \(VisibleText.escaping(plan.label(job.point))): started") }
      },
      ended: { outcome in
        console.line(Self.describe(outcome, label: plan.label(outcome.point), total: total, registry: registryPath, sweep: id))
      })
    let (outcomes, stopped) = workers.run(queue)
    let runs = (try? RunRegistry(path: registryPath).runs(sweep: id)) ?? []
    let table = SweepTable(plan: plan, outcomes: outcomes, runs: runs)
    console.line("")
    console.write(VisibleText.escaping(table.text))
    if !table.comparison.lossSeries.isEmpty {
      let svg = folders.plot(stem: stem)
      do {
        try ComparisonChart.write(table.comparison, title: "\(stem): loss per epoch, sweep \(RunRecord.short(id))", to: svg)
        console.line("wrote the sweep's loss curves to \(VisibleText.escaping(svg))")
      } catch {
        NotebookLoading.printError(error.description)
      }
    }
    folders.cleanUp(keeping: outcomes.filter { $0.ending != .exited(0) }.map(\.log), registry: registryPath)
    if stopped {
      NotebookLoading.printError("sweep stopped by Ctrl-C; \(outcomes.filter { $0.ending == .exited(0) }.count) of \(points.count) points finished")
      throw ExitCode(130)
    }
    let failed = outcomes.filter { $0.ending != .exited(0) }.count
    if failed > 0 {
      NotebookLoading.printError("\(failed) of \(points.count) point\(points.count == 1 ? "" : "s") did not finish")
      throw ExitCode(1)
    }
  }

  /// The sweep file's text with its path, if one was given.
  private func sweepFile() throws(SweepError) -> (path: String, text: String)? {
    guard let path = run.sweep.file else { return nil }
    let bytes: [UInt8]
    do {
      bytes = try ReadableFile.readAll(path: path, limit: 4 << 20, what: "sweep file")
    } catch {
      throw SweepError(.unreadable(path, error))
    }
    return (path, try SweepPlan.text(ofSweepFile: path, bytes: bytes))
  }

  /// Every swept name must be a parameter of the notebook: said now, not by every worker.
  private func checkNames(_ plan: SweepPlan, in nb: Notebook) throws {
    let known = NotebookRunner.parameters(of: nb).map(\.name)
    var seen = Set<String>()
    for point in plan.points {
      for a in point where seen.insert(a.name).inserted && !known.contains(a.name) {
        let suggestion = Suggestions.closest(to: a.name, in: known)
        NotebookLoading.printError(known.isEmpty
          ? "unknown parameter '\(a.name)': \(nb.path) has no cell tagged [parameters]"
          : "unknown parameter '\(a.name)'\(Suggestions.didYouMean(suggestion)); the notebook's parameters are: \(Suggestions.listing(known))")
        throw ExitCode(2)
      }
    }
  }

  /// The registry the workers record into: the one in force, or, when it is off or cannot
  /// be used, a temporary one in the sweep's folder that lives as long as the sweep.
  private func recordingRegistry(_ folders: SweepFolders) -> String {
    if case .file(let path) = run.registry.location {
      do {
        _ = try RunRegistry(path: path)
        return path
      } catch {
        NotebookLoading.printError("note: \(error.description); the sweep records into a temporary registry for its table only")
      }
    }
    return folders.temporaryRegistry
  }

  private func arguments(_ point: [SweepSyntax.Assignment], point index: Int, threads: Int, registry: String, folders: SweepFolders, stem: String) -> [String] {
    var arguments = ["run", run.notebook]
    for a in point { arguments += ["-p", "\(a.name)=\(a.text)"] }
    arguments += ["--threads", String(threads), "--precision", run.options.precision.rawValue]
    // The points share one replay cache: a sweep run again, or points that differ only
    // downstream of a `learn`, reuse what was computed (entries are written atomically).
    if let cacheDir = run.options.cacheDir {
      arguments += ["--cache-dir", URL(fileURLWithPath: cacheDir).standardizedFileURL.path]
    } else if run.options.cache {
      arguments += ["--cache"]
    }
    arguments += ["--registry", registry, "--sweep-id", id.uuidString, "--sweep-point", String(index)]
    if let notebook = folders.executedNotebook(index, stem: stem) { arguments += ["--output", notebook] }
    return arguments
  }

  /// `[2/4] lr=0.1 num_epochs=50: ok in 12.3 s, test accuracy 82.40 % (run 3f2a9c1e)`, or
  /// why it did not finish with the end of its output.
  static func describe(_ outcome: SweepOutcome, label: String, total: Int, registry: String, sweep: UUID) -> String {
    let head = "[\(outcome.point + 1)/\(total)] \(VisibleText.escaping(label)): "
    let recorded = (try? RunRegistry(path: registry).runs(sweep: sweep))?.first { $0.sweep?.point == outcome.point }
    switch outcome.ending {
    case .exited(0):
      let result = recorded?.headline.map { ", \($0.description)" } ?? ""
      return head + "ok in \(RunText.duration(outcome.seconds))\(result)" + (recorded.map { " (run \($0.shortID))" } ?? "")
    case .exited(130):
      return head + "stopped by Ctrl-C" + (recorded.map { "; recorded as run \($0.shortID)" } ?? "")
    case .exited(let status), .signalled(let status):
      let how = outcome.ending == .exited(status) ? "exit status \(status)" : "signal \(status)"
      let tail = Self.tail(of: outcome.log, lines: 4).map { "    " + $0 }.joined(separator: "\n")
      return head + "failed (\(how)); the end of its output (\(VisibleText.escaping(outcome.log))):\n" + VisibleText.escaping(tail)
    case .notStarted(let reason):
      return head + "not started: " + VisibleText.escaping(reason)
    }
  }

  static func tail(of path: String, lines: Int) -> [String] {
    guard let bytes = try? ReadableFile.readAll(path: path, limit: 16 << 20, what: "log") else { return [] }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").suffix(lines).map(String.init)
  }

  /// This binary, for the workers.
  static var executable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
  }

  private func reportingSweep<T>(_ body: () throws(SweepError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      NotebookLoading.printError(error.description)
      throw ExitCode(2)
    }
  }
}
