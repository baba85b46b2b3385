import FFNotebook

/// A colon-prefixed REPL command: it acts on the REPL (cells, history, saving), never on the
/// command language itself, so `:run 3` and `run` can never be confused.
public enum MetaCommand: Sendable, Equatable {
  /// `:next`, `:n`, or an empty line in step mode: run the cell under the cursor.
  case next
  /// `:run 3`, `:run 2-5`, `:run main`: run those cells and move the cursor past them.
  case run(CellSelection)
  /// `:run stale`: re-run every stale cell in notebook order.
  case runStale
  /// `:all`: run every cell from the cursor to the end.
  case all
  /// `:again`, `:rerun`: run the last cell that ran once more.
  case again
  /// `:cells`: the notebook's cells with status (stale, with why), execution count and the cursor.
  case cells
  /// `:show [N|name]`: a cell's source (the cursor's cell without an argument).
  case show(CellSelection?)
  /// `:vars`: the session's variables.
  case vars
  /// `:hyper`: the hyperparameters the next `learn` uses.
  case hyper
  /// `:history`: the lines entered in this session.
  case history
  /// `:log`: what ran, in order, as `:save` writes it.
  case log
  /// `:time LINE`: run a line (a command or a meta-command) and print how long it took.
  case time(String)
  /// `:save PATH`: the session record (what ran, in order) as a new `.ffnb`.
  case save(path: String)
  /// `:edit N|name`: edit a cell in $VISUAL / $EDITOR.
  case edit(CellSelection?)
  /// `:reload`: re-read the notebook file after an outside edit, keeping the session.
  case reload
  /// `:write`, `:write!`: save the notebook's current cells back to its file.
  case write(force: Bool)
  /// `:reactive on|off`: re-run stale cells at once after every cell or line.
  case reactive(Bool?)
  /// `:undo`: the state before the last cell or typed line that ran.
  case undo
  /// `:back N|name`: the state right after cell N last ran.
  case back(CellSelection)
  /// `:snapshots`: what is kept and its size; `:snapshots budget SIZE` sets the budget.
  case snapshots(budget: SnapshotBudget?)
  /// `:runs [N]`: the last N runs of this notebook in the run registry.
  case runs(count: Int?)
  /// `:compare ID ID...`: recorded runs side by side, their loss curves overlaid.
  case compare([String])
  /// `:help`: the meta-commands.
  case help
  /// `:quit`, `:q`: leave (asking first when the session record is not saved).
  case quit
}

/// Which cells a meta-command names: one (by 1-based index or by name) or an inclusive range.
public enum CellSelection: Sendable, Equatable, CustomStringConvertible {
  case index(Int)
  case name(String)
  case range(ClosedRange<Int>)

  public var description: String {
    switch self {
    case .index(let i): String(i)
    case .name(let name): name
    case .range(let r): "\(r.lowerBound)-\(r.upperBound)"
    }
  }
}

/// The meta-commands by name: one case each; `spec` (for `:help`, completion and "did you
/// mean") and the parser switch over it exhaustively, so they cannot disagree.
package enum MetaCommandName: String, CaseIterable, Sendable {
  case next, run, all, again, cells, show, vars, hyper, history, log, time, save, edit, reload, write, reactive, undo, back, snapshots, runs, compare, help, quit

  package var spec: MetaCommandSpec {
    switch self {
    case .next: .init(name: rawValue, aliases: ["n"], summary: "run the cell under the cursor (an empty line does the same in step mode)")
    case .run: .init(name: rawValue, aliases: [], argument: "N|N-M|name|stale", summary: "run cell N, cells N to M, the cell with that name, or every stale cell")
    case .all: .init(name: rawValue, aliases: [], summary: "run every cell from the cursor to the end")
    case .again: .init(name: rawValue, aliases: ["rerun"], summary: "run the last cell that ran once more")
    case .cells: .init(name: rawValue, aliases: [], summary: "list the cells: status (stale, and why), execution count, cursor (>)")
    case .show: .init(name: rawValue, aliases: [], argument: "[N|name]", summary: "print a cell's source (default: the cursor's cell)")
    case .vars: .init(name: rawValue, aliases: [], summary: "list the variables")
    case .hyper: .init(name: rawValue, aliases: [], summary: "show the hyperparameters the next `learn` uses")
    case .history: .init(name: rawValue, aliases: [], summary: "list the lines entered in this session")
    case .log: .init(name: rawValue, aliases: [], summary: "what ran, in order (cells, typed lines, -p values), as :save writes it")
    case .time: .init(name: rawValue, aliases: [], argument: "LINE", summary: "run a line and print how long it took")
    case .save: .init(name: rawValue, aliases: [], argument: "PATH", summary: "write what ran, in order, as a .ffnb that replays to the same numbers")
    case .edit: .init(name: rawValue, aliases: [], argument: "[N|name]", summary: "edit a cell in $VISUAL/$EDITOR (default: the cursor's cell); it and what depends on it become stale")
    case .reload: .init(name: rawValue, aliases: [], summary: "re-read the notebook file after an outside edit, keeping the session's state")
    case .write: .init(name: rawValue, aliases: ["write!"], summary: "save the cells back to the notebook file (:write! even if it changed on disk)")
    case .reactive: .init(name: rawValue, aliases: [], argument: "[on|off]", summary: "re-run stale cells at once after each cell or line (learn cells ask first)")
    case .undo: .init(name: rawValue, aliases: [], summary: "return to the state before the last cell or line that ran (again: one further back)")
    case .back: .init(name: rawValue, aliases: [], argument: "N|name", summary: "return to the state right after cell N last ran; the cells run since become stale")
    case .snapshots: .init(name: rawValue, aliases: [], argument: "[budget SIZE]", summary: "list the kept snapshots and their sizes; set their memory budget (512M, 1G, 0 = off)")
    case .runs: .init(name: rawValue, aliases: [], argument: "[N]", summary: "the last N (default 10) recorded runs of this notebook, newest first (`ffnb runs` lists all)")
    case .compare: .init(name: rawValue, aliases: [], argument: "ID ID...", summary: "recorded runs side by side: parameters that differ, results, loss curves")
    case .help: .init(name: rawValue, aliases: [], summary: "this list (`help` lists the notebook commands)")
    case .quit: .init(name: rawValue, aliases: ["q"], summary: "leave ffnb (Ctrl-D does the same)")
    }
  }

  /// The name or alias `word` stands for.
  init?(word: String) {
    guard let match = Self.allCases.first(where: { $0.rawValue == word || $0.spec.aliases.contains(word) }) else { return nil }
    self = match
  }
}

/// One entry of the meta-command table: what `:help` lists, what completion offers and what
/// "did you mean" compares against.
public struct MetaCommandSpec: Sendable {
  public var name: String
  public var aliases: [String]
  /// The argument as `:help` shows it (`N|N-M|name`), or nil.
  public var argument: String?
  public var summary: String

  /// The meta-commands in the order `:help` lists them.
  public static let all: [MetaCommandSpec] = MetaCommandName.allCases.map(\.spec)

  /// Every accepted name without the colon: full names first, so "did you mean" prefers
  /// `:run` to `:n` for `:rn` (ties go to the earlier candidate).
  public static var names: [String] { all.map(\.name) + all.flatMap(\.aliases) }
}
