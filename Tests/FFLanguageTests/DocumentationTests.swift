import Foundation
import Testing

@testable import FFLanguage

/// docs/language.md is the language reference; these keep it in step with the command table.
@Suite("Documentation")
struct DocumentationTests {
  static func reference() throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8)
  }

  @Test("every command's usage line appears in the reference")
  func usageLines() throws {
    let text = try Self.reference()
    for spec in CommandSpec.builtins + [CommandSpec.assignment] {
      #expect(text.contains("```\n\(spec.usage)\n```"), "docs/language.md lacks the usage of \(spec.name): \(spec.usage)")
    }
  }

  @Test("every parameter, default and transform step is documented")
  func parameters() throws {
    let text = try Self.reference()
    for spec in CommandSpec.builtins {
      for parameter in spec.allParameters {
        #expect(text.contains("| `\(parameter.name)` |"), "\(spec.name) \(parameter.name)")
        if let value = parameter.defaultValue {
          #expect(text.contains("`\(value)`"), "\(spec.name) \(parameter.name) default \(value)")
        }
      }
    }
    for step in CommandSpec.transformSteps {
      #expect(text.contains("| `\(step.name)` |"), "step \(step.name)")
    }
  }

  @Test("the reference's examples check clean")
  func examples() throws {
    // The first notebook in the reference, and every command's examples.
    let text = try Self.reference()
    let start = try #require(text.range(of: "```\n%% markdown"))
    let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
    let notebookText = String(text[text.index(start.lowerBound, offsetBy: 4)..<end.lowerBound])
    #expect(check(notebookText).isEmpty)
    for spec in CommandSpec.builtins + CommandSpec.transformSteps + [CommandSpec.assignment] {
      // A command's examples run in order (set's examples build on each other), after loads
      // of train (with a validation split, which `learn eval=` measures) and test.
      let examples = spec.examples.joined(separator: "\n")
      let prelude = "load mnist train validation=10000\nload mnist test\nset lr = 0.1\nset epochs = 3\n"
      let diagnostics = check(prelude + examples).filter(\.isError)
      #expect(diagnostics.isEmpty, "\(spec.name): \(diagnostics)")
    }
  }
}
