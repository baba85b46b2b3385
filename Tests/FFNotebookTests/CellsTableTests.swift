import FFLanguage
import Testing

@testable import FFNotebook

/// The `:cells` table.
@Suite struct CellsTableTests {
  @Test(":cells cuts a long first line at 40 columns with an ellipsis; a short one is whole")
  func cellsTableEllipsis() throws {
    let long = "print \"" + String(repeating: "a", count: 50) + "\""
    let fits = "print \"" + String(repeating: "b", count: 32) + "\""  // exactly 40
    let (notebook, _) = Notebook.parse(text: "%% code long\n\(long)\n\n%% code fits\n\(fits)\n", path: "c.ffnb")
    let runner = try NotebookRunner(notebook: notebook, session: Session(), console: Console { _ in })
    let rows = runner.cellsTable().split(separator: "\n").map(String.init)
    #expect(rows[0].hasSuffix(" " + String(long.prefix(39)) + "…"), "\(rows[0])")
    #expect(rows[1].hasSuffix(" " + fits), "\(rows[1])")
    #expect(!rows[1].contains("…"))
  }
}
