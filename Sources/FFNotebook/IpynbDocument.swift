import FFLanguage
import Foundation

/// A `.ffnb` notebook as a Jupyter notebook (nbformat 4.5), either converted as written
/// (`ffnb export`) or executed (`ffnb run --output`), laid out as papermill lays out the
/// notebooks it executes so tools that read those (nbconvert, scrapbook, papermill's own
/// reports) read these too.
///
/// An executed notebook keeps, for every cell: its execution count and outputs (printed text as
/// stdout streams, plots as SVG `display_data`, a failure as an `error`), its status and times
/// in `metadata.papermill` and `metadata.execution`, and the `-p` overrides as an injected code
/// cell tagged `injected-parameters` right after the parameters cell they replace values of.
public struct IpynbDocument: Sendable {
  public var notebook: Notebook
  /// What happened to each cell, in cell order; nil for a notebook converted without running.
  public var records: [CellRecord]?
  /// The `-p` overrides the run applied.
  public var overrides: [ParameterOverride]
  /// The ffnb version that wrote the notebook (`metadata.ffnb.version`, `language_info.version`).
  public var ffnbVersion: String
  /// Where the executed notebook is written, for `metadata.papermill.output_path`.
  public var outputPath: String?

  /// A notebook converted without running: no outputs, every execution count null.
  public init(notebook: Notebook, ffnbVersion: String) {
    self.notebook = notebook
    self.records = nil
    self.overrides = []
    self.ffnbVersion = ffnbVersion
  }

  /// The notebook `runner` ran, with what each cell did.
  public init(runner: NotebookRunner, ffnbVersion: String, outputPath: String? = nil) {
    self.notebook = runner.notebook
    self.records = runner.records
    self.overrides = runner.overrides
    self.ffnbVersion = ffnbVersion
    self.outputPath = outputPath
  }

  /// The notebook as JSON, ready for `JSONValue.encoded()`.
  public var json: JSONValue {
    var cells: [JSONValue] = []
    for (position, cell) in notebook.cells.enumerated() {
      let record = records.map { $0[safe: position] ?? CellRecord() }
      cells.append(self.cell(cell, record: record))
      if records != nil, cell.kind == .code, let injected = injectedCell(after: cell, record: record) {
        cells.append(injected)
      }
    }
    return .object([
      "cells": .array(cells),
      "metadata": metadata,
      "nbformat": .int(4),
      "nbformat_minor": .int(5),
    ])
  }

  /// The file's text: Jupyter's layout, ending with a newline.
  public func encoded() -> String { json.encoded() }

  // MARK: Cells

  private func cell(_ cell: Cell, record: CellRecord?) -> JSONValue {
    var metadata: [String: JSONValue] = [:]
    if !cell.tags.isEmpty { metadata["tags"] = .array(cell.tags.map(JSONValue.string)) }
    // nbformat expects names to be unique; a duplicated name (a warning in .ffnb) is left out.
    if let name = cell.name, notebook.cells.filter({ $0.name == name }).count == 1 {
      metadata["name"] = .string(name)
    }
    if let record {
      metadata["papermill"] = Self.papermill(record)
      metadata["ffnb"] = .object(["status": .string(record.status.rawValue)])
      if cell.kind == .code, let execution = Self.execution(record) { metadata["execution"] = execution }
    }
    var json: [String: JSONValue] = [
      "id": .string(IpynbCellID.id(for: cell)),
      "cell_type": .string(cell.kind == .code ? "code" : "markdown"),
      "metadata": .object(metadata),
      "source": IpynbText.json(cell.kind == .code ? IpynbCellPragma.line(for: cell) + "\n" + cell.source : cell.source),
    ]
    if cell.kind == .code {
      json["execution_count"] = record?.executionCount.map(JSONValue.int) ?? .null
      json["outputs"] = .array(record.map { IpynbOutputs.json($0.outputs) } ?? [])
    }
    return .object(json)
  }

  /// Papermill's injected cell: the overrides of `cell`'s parameters as `set` lines. They took
  /// effect when the parameters cell finished, so that is when this cell "ran".
  private func injectedCell(after cell: Cell, record: CellRecord?) -> JSONValue? {
    let mine = overrides.filter { $0.cell == cell.index }
    guard !mine.isEmpty else { return nil }
    var injected = CellRecord()
    if let record, record.status == .ok {
      injected.status = .ok
      injected.start = record.end
      injected.end = record.end
    }
    let source = mine.map { "set \($0.name) = \($0.value)" }.joined(separator: "\n")
    return .object([
      "id": .string(IpynbCellID.injectedParameters(after: cell.index)),
      "cell_type": .string("code"),
      "execution_count": .null,
      "metadata": .object([
        "tags": .array([.string("injected-parameters")]),
        "papermill": Self.papermill(injected),
      ]),
      "outputs": .array([]),
      "source": IpynbText.json(source),
    ])
  }

  /// `{start_time, end_time, duration, status, exception}` with papermill's statuses:
  /// `completed`, `failed`, or `pending` for a cell that did not run (skipped, or never reached).
  /// ffnb's own status ("interrupted", "skipped", ...) is kept in `metadata.ffnb.status`.
  static func papermill(_ record: CellRecord) -> JSONValue {
    let status: String
    switch record.status {
    case .ok: status = "completed"
    case .failed, .interrupted: status = "failed"
    case .skipped, .notRun: status = "pending"
    }
    return .object([
      "start_time": .string(record.start.map(IpynbTimestamp.papermill)),
      "end_time": .string(record.end.map(IpynbTimestamp.papermill)),
      "duration": record.duration.map(JSONValue.double) ?? .null,
      "status": .string(status),
      "exception": .bool(record.status == .failed),
    ])
  }

  /// Jupyter's `metadata.execution` timestamps, for a code cell that ran.
  static func execution(_ record: CellRecord) -> JSONValue? {
    guard record.executionCount != nil, let start = record.start, let end = record.end else { return nil }
    return .object([
      "iopub.status.busy": .string(IpynbTimestamp.jupyter(start)),
      "iopub.execute_input": .string(IpynbTimestamp.jupyter(start)),
      "shell.execute_reply": .string(IpynbTimestamp.jupyter(end)),
      "iopub.status.idle": .string(IpynbTimestamp.jupyter(end)),
    ])
  }

  // MARK: Notebook metadata

  private var metadata: JSONValue {
    var metadata: [String: JSONValue] = [
      "kernelspec": .object(["name": .string("ffnb"), "display_name": .string("ffnb"), "language": .string("ffnb")]),
      "language_info": .object([
        "name": .string("ffnb"), "file_extension": .string(".ffnb"), "version": .string(ffnbVersion),
        "mimetype": .string("text/x-ffnb"),
        // Pygments has no ffnb lexer; naming plain text keeps nbconvert from warning about it.
        "pygments_lexer": .string("text"),
      ]),
      "ffnb": .object(["version": .string(ffnbVersion), "source": .string(notebook.path)]),
    ]
    if let records { metadata["papermill"] = papermill(records) }
    return .object(metadata)
  }

  /// The run as a whole: papermill's notebook-level metadata.
  private func papermill(_ records: [CellRecord]) -> JSONValue {
    let start = records.compactMap(\.start).min()
    let end = records.compactMap(\.end).max()
    let stopped = zip(notebook.cells, records).contains { cell, record in
      record.status == .interrupted || (record.status == .failed && !cell.expectsError)
    }
    var parameters: [String: JSONValue] = [:]
    for o in overrides { parameters[o.name] = Self.json(o.value) }
    return .object([
      "parameters": .object(parameters),
      "input_path": .string(notebook.path),
      "output_path": .string(outputPath),
      "start_time": .string(start.map(IpynbTimestamp.papermill)),
      "end_time": .string(end.map(IpynbTimestamp.papermill)),
      "duration": (start.flatMap { s in end.map { $0.timeIntervalSince(s) } }).map(JSONValue.double) ?? .null,
      "exception": .bool(stopped),
    ])
  }

  /// A parameter value as JSON: numbers, booleans, strings and lists as themselves; transform
  /// calls and pipelines as their source text.
  static func json(_ value: Value) -> JSONValue {
    switch value {
    case .int(let i): .int(i)
    case .number(let d): .double(d)
    case .bool(let b): .bool(b)
    case .string(let s), .word(let s): .string(s)
    case .list(let items): .array(items.map(json))
    case .call, .pipeline: .string(value.description)
    }
  }
}
