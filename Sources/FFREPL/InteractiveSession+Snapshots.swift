import FFKernels
import FFLanguage
import FFNotebook
import Foundation

// `:undo`, `:back N` and `:snapshots`: the REPL's side of the session's snapshots (kept by
// `SnapshotHistory`, restored by the runner). Here: when to keep one, where the cursor goes,
// and what is printed.
extension InteractiveSession {
  /// Keeps the state after a cell or typed line that just ran; says so if the budget dropped
  /// older snapshots.
  func keepSnapshot(after point: SnapshotPoint, wrote: Set<StateKey>) {
    if let note = runner.keepSnapshot(after: point, wrote: wrote, in: snapshots) { console.line(note) }
  }

  /// The budget from the command line (`--snapshot-budget`), before the session starts: no note.
  package func setSnapshotBudget(_ budget: SnapshotBudget) {
    _ = runner.changeSnapshotBudget(budget, in: snapshots)
  }

  /// `:snapshots budget SIZE`.
  func changeSnapshotBudget(_ budget: SnapshotBudget) {
    let wasOff = snapshots.budget.isOff
    let note = runner.changeSnapshotBudget(budget, in: snapshots)
    if let note { console.line(note) }
    if budget.isOff {
      console.line("snapshots are off: nothing run from now on can be undone (`:snapshots budget 256M` turns them on)")
    } else {
      console.line("snapshot budget: \(budget)" + (wasOff ? "; snapshots start from the session as it is now" : ""))
    }
  }

  /// `:undo`: the state before the last cell or line; the cursor goes back to an undone cell.
  func undo() {
    let rewind: Rewind
    do throws(SnapshotError) {
      rewind = try runner.undo(in: snapshots)
    } catch {
      failures += 1
      printError(error.message)
      return
    }
    if isStepping, let cell = rewind.undone.first?.cell, cell <= notebook.cells.count { cursor = cell }
    let what = rewind.undone.first.map { "undid \($0)" } ?? "nothing undone"
    reportStale(after: "\(what); the session is as it was \(rewind.now.state)")
  }

  /// `:back N`: the state right after cell N last ran; the cursor goes to the cell after it.
  func back(toCell index: Int) {
    let rewind: Rewind
    do throws(SnapshotError) {
      rewind = try runner.back(toCell: index, in: snapshots)
    } catch {
      failures += 1
      printError(error.message)
      return
    }
    if isStepping {
      cursor = index + 1
      passMarkdown()
    }
    guard !rewind.undone.isEmpty else {
      console.line("the session is already \(rewind.now.state)")
      return
    }
    reportStale(after: "back to \(rewind.now.state); undid \(Self.listing(rewind.undone.reversed()))")
  }

  /// `cell 5 (learn), cell 6 (evaluate) and typed line 2 (print 1)`, at most five named.
  static func listing(_ points: [SnapshotPoint]) -> String {
    let names = points.map(\.description)
    if names.count > 5 { return names.prefix(4).joined(separator: ", ") + " and \(names.count - 4) more" }
    guard let last = names.last else { return "nothing" }
    return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last
  }

  /// `:snapshots`: each kept snapshot (what it follows, when, its size) and the total against
  /// the budget. A buffer shared by several snapshots is counted under the oldest; one the
  /// live session holds too is not counted.
  func snapshotListing() -> String {
    guard !snapshots.budget.isOff else {
      return "snapshots are off; `:snapshots budget 256M` turns them on\n"
    }
    let live = runner.session.liveBuffers
    let sizes = snapshots.sizes(live: live)
    let total = sizes.reduce(0, +)
    let dropped = snapshots.firstKept
    var text = "\(Plural.count(snapshots.kept.count, "snapshot")) kept, \(SnapshotBudget.format(total)) (\(Plural.grouped(total)) bytes) of the \(snapshots.budget) budget"
    text += dropped > 0 ? "; \(dropped) older dropped\n" : "\n"
    let clock = DateFormatter()
    clock.dateFormat = "HH:mm:ss"
    struct Row {
      var number: String, point: String, taken: String, size: String
    }
    var rows: [Row] = []
    for (offset, snapshot) in snapshots.kept.enumerated() {
      rows.append(Row(number: String(snapshots.firstKept + offset + 1), point: snapshot.point.description,
                      taken: clock.string(from: snapshot.taken), size: SnapshotBudget.format(sizes[offset])))
    }
    let numberWidth = rows.map(\Row.number.count).max() ?? 1
    let pointWidth = max(5, rows.map(\Row.point.count).max() ?? 0)
    let sizeWidth = max(4, rows.map(\Row.size.count).max() ?? 0)
    text += "  " + pad("#", numberWidth, right: true) + "  " + pad("after", pointWidth) + "  taken     " + pad("size", sizeWidth, right: true) + "\n"
    for (i, row) in rows.enumerated() {
      let now = i == rows.count - 1 ? "  (now)" : ""
      let columns = [pad(row.number, numberWidth, right: true), pad(row.point, pointWidth), row.taken, pad(row.size, sizeWidth, right: true)]
      text += "  " + columns.joined(separator: "  ") + now + "\n"
    }
    text += "`:undo` returns to the one before the newest, `:back N` to the newest after cell N\n"
    return text
  }

  private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
  }
}
