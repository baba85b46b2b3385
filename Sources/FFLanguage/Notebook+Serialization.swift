extension Notebook {
  /// The notebook as `.ffnb` text.
  ///
  /// Headers are written in canonical form (`%% code name [tag, tag]`). Cells keep the file
  /// lines they were parsed from: blank lines are added before a header to reach its recorded
  /// `headerLine`, so `Notebook.parse(text: nb.serialized(), path: nb.path).0 == nb` for every
  /// parsed notebook, line numbers included. Cells built in code with positions that do not fit
  /// (say, all `firstLine: 1`) are laid out one after another with one blank line between.
  public func serialized() -> String {
    var lines: [Substring] = []
    for cell in cells {
      if let headerLine = cell.headerLine {
        padBlankLines(&lines, upTo: headerLine - 1)
        lines.append(Substring(cell.header))
        // Leading blank source lines are kept in `source`; nothing to pad here.
      } else {
        padBlankLines(&lines, upTo: cell.firstLine - 1)
      }
      if !cell.source.isEmpty {
        lines.append(contentsOf: cell.source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewlineSeparator))
      }
    }
    if lines.isEmpty { return "" }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Adds blank lines until `lines.count == target`; when the text already reaches past the
  /// target (positions that do not fit), adds one blank line as a separator instead.
  private func padBlankLines(_ lines: inout [Substring], upTo target: Int) {
    let needed = target >= lines.count ? target - lines.count : (lines.isEmpty ? 0 : 1)
    lines.append(contentsOf: repeatElement("", count: needed))
  }
}
