/// A colon-prefixed REPL command: it acts on the REPL (cells, history, saving), never on the
/// command language itself, so `:run 3` and `run` can never be confused.
public enum MetaCommand: Sendable, Equatable {
  /// `:next`, `:n`, or an empty line in step mode: run the cell under the cursor.
  case next
  /// `:run 3`, `:run 2-5`, `:run main`: run those cells and move the cursor past them.
  case run(CellSelection)
  /// `:all`: run every cell from the cursor to the end.
  case all
  /// `:again`, `:rerun`: run the last cell that ran once more.
  case again
  /// `:cells`: the notebook's cells with status, execution count and the cursor.
  case cells
  /// `:show [N|name]`: a cell's source (the cursor's cell without an argument).
  case show(CellSelection?)
  /// `:vars`: the session's variables.
  case vars
  /// `:hyper`: the hyperparameters the next `learn` uses.
  case hyper
  /// `:history`: the lines entered in this session.
  case history
  /// `:time LINE`: run a line (a command or a meta-command) and print how long it took.
  case time(String)
  /// `:save PATH`: the notebook's cells plus the typed ones, as a new `.ffnb`.
  case save(path: String)
  /// `:help`: the meta-commands.
  case help
  /// `:quit`, `:q`: leave (asking first when typed cells are not saved).
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

/// One entry of the meta-command table: what `:help` lists, what completion offers and what
/// "did you mean" compares against (one table, so they cannot disagree).
public struct MetaCommandSpec: Sendable {
  public var name: String
  public var aliases: [String]
  /// The argument as `:help` shows it (`N|N-M|name`), or nil.
  public var argument: String?
  public var summary: String

  /// The meta-commands in the order `:help` lists them.
  public static let all: [MetaCommandSpec] = [
    .init(name: "next", aliases: ["n"], summary: "run the cell under the cursor (an empty line does the same in step mode)"),
    .init(name: "run", aliases: [], argument: "N|N-M|name", summary: "run cell N, cells N to M, or the cell with that name"),
    .init(name: "all", aliases: [], summary: "run every cell from the cursor to the end"),
    .init(name: "again", aliases: ["rerun"], summary: "run the last cell that ran once more"),
    .init(name: "cells", aliases: [], summary: "list the cells: status, execution count, cursor (>)"),
    .init(name: "show", aliases: [], argument: "[N|name]", summary: "print a cell's source (default: the cursor's cell)"),
    .init(name: "vars", aliases: [], summary: "list the variables"),
    .init(name: "hyper", aliases: [], summary: "show the hyperparameters the next `learn` uses"),
    .init(name: "history", aliases: [], summary: "list the lines entered in this session"),
    .init(name: "time", aliases: [], argument: "LINE", summary: "run a line and print how long it took"),
    .init(name: "save", aliases: [], argument: "PATH", summary: "write the notebook plus the typed cells as a new .ffnb"),
    .init(name: "help", aliases: [], summary: "this list (`help` lists the notebook commands)"),
    .init(name: "quit", aliases: ["q"], summary: "leave ffnb (Ctrl-D does the same)"),
  ]

  /// Every accepted name without the colon: full names first, so "did you mean" prefers
  /// `:run` to `:n` for `:rn` (ties go to the earlier candidate).
  public static var names: [String] { all.map(\.name) + all.flatMap(\.aliases) }
}
