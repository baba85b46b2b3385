import FFLanguage
import FFTestSupport
import Foundation
@testable import FFNotebook

/// Output captured from a console.
final class Captured: @unchecked Sendable {
  var text = ""
  /// The lines saying an accuracy, in order.
  var accuracies: [String] { text.split(separator: "\n").map(String.init).filter { $0.contains("accuracy:") } }
}

/// A runner over `text` (default: the tiny notebook) with captured output.
func tinyRunner(_ text: String = TinyData.notebookText, overrides: [(name: String, value: Value)] = []) throws -> (NotebookRunner, Captured) {
  let captured = Captured()
  let console = Console { captured.text += $0 }
  let (notebook, diagnostics) = Notebook.parse(text: text, path: "tiny.ffnb")
  precondition(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
  return (try NotebookRunner(notebook: notebook, session: Session(), console: console, overrides: overrides), captured)
}
