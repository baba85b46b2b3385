import Foundation
import Testing

@testable import FFLanguage

/// No input may crash, hang or recurse without bound: every case here must end in
/// diagnostics, quickly. Times are generous for debug builds on a shared 2-core machine.
@Suite("Robustness")
struct RobustnessTests {
  /// A small deterministic generator (SplitMix64) so failures reproduce.
  struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// Parses as a notebook, checks it, and renders every diagnostic.
  func exercise(_ bytes: [UInt8]) -> Int {
    let (nb, headerDiagnostics) = Notebook.parse(bytes: bytes, path: "fuzz.ffnb")
    let diagnostics = headerDiagnostics + Checker.check(nb)
    let source = SourceText(String(decoding: bytes, as: UTF8.self))
    for diagnostic in diagnostics.prefix(50) { _ = diagnostic.rendered(in: source, color: false) }
    _ = Notebook.parse(text: nb.serialized(), path: "fuzz.ffnb")
    return diagnostics.count
  }

  @Test("random garbage bytes")
  func garbage() {
    var random = SplitMix(state: 2024)
    let alphabet = Array("seed load learn set = | [ ] ( ) , \" \\ # - + * / 1 0.5 e9 %% code [skip] \n\t".utf8)
    for round in 0..<300 {
      let count = Int(random.next() % 400)
      let bytes = (0..<count).map { _ -> UInt8 in
        let r = random.next()
        return round % 2 == 0 ? UInt8(truncatingIfNeeded: r) : alphabet[Int(r % UInt64(alphabet.count))]
      }
      _ = exercise(bytes)
    }
  }

  @Test("statement fragments shuffled into lines")
  func fragments() {
    var random = SplitMix(state: 7)
    let pieces = [
      "learn", "set", "x", "=", "[", "]", "(", ")", "normalize(", "mean=", "0.1", ",", "|", "\"s", "\"",
      "-", "--", "1e999", "99999999999999999999", "#", "\n", "%% code", "%% markdown", "lr", "epochs-1", "\u{0}",
    ]
    for _ in 0..<300 {
      let text = (0..<Int(random.next() % 30)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
        .joined(separator: random.next() % 3 == 0 ? "" : " ")
      _ = exercise(Array(text.utf8))
    }
  }

  @Test("long lines: up to the limit parsed, past it one diagnostic and no work")
  func hugeLines() {
    let start = Date()
    let list = "build [" + Array(repeating: "784", count: 24_000).joined(separator: ",") + "]"
    #expect(list.utf8.count < maximumLineLength)
    let (statements, diagnostics) = parseStatements(text: list, origin: .input)
    #expect(statements.count == 1)
    #expect(diagnostics.isEmpty)

    let identifier = "learn " + String(repeating: "x", count: 90_000) + "=1"
    let errors = check(identifier).filter(\.isError)
    #expect(errors.first?.message.hasPrefix("unknown argument 'xxxxxxxx") == true)
    #expect((errors.first?.message.count ?? 0) < 300)
    #expect(errors.count == 1)

    // Past the limit: one diagnostic naming the length, and the line is not lexed at all.
    for text in ["build [" + Array(repeating: "784", count: 250_000).joined(separator: ",") + "]",
                 "seed " + String(repeating: "@", count: 1_000_000)] {
      let (statements, diagnostics) = parseStatements(text: "print 1\n" + text + "\nprint 2", origin: .input)
      #expect(statements.count == 2)
      #expect(diagnostics.count == 1)
      #expect(diagnostics.first?.message == "line is \(text.utf8.count) bytes long; ffnb reads lines of at most 100000 bytes")
      #expect(diagnostics.first?.location.line == 2)
    }
    #expect(Date().timeIntervalSince(start) < 60)
  }

  @Test("deep nesting is an error, not a stack overflow", arguments: ["[", "(", "-", "f("])
  func deepNesting(_ opener: String) throws {
    let closer = opener == "[" ? "]" : opener == "-" ? "" : ")"
    let depth = 10_000
    let text = "print " + String(repeating: opener, count: depth) + "1" + String(repeating: closer, count: depth)
    let diagnostic = try onlyDiagnostic(text)
    #expect(diagnostic.message == "nesting too deep (more than 64 levels)")
    // Exactly at the limit is fine.
    let ok = "print " + String(repeating: opener, count: 64) + "1" + String(repeating: closer, count: 64)
    #expect(parseStatements(text: ok, origin: .input).1.isEmpty)
  }

  @Test("long operator chains are bounded too")
  func longChains() throws {
    let long = "set x = " + Array(repeating: "1", count: 10_000).joined(separator: " + ")
    #expect(try onlyDiagnostic(long).message == "expression nested too deeply (more than 64 levels)")
    let fine = "set x = " + Array(repeating: "1", count: 60).joined(separator: " + ")
    #expect(try evaluate(String(fine.dropFirst("set x = ".count))) == .int(60))
    let pipes = "transform " + Array(repeating: "flatten", count: 9_000).joined(separator: " | ")
    #expect(try bind(pipes).steps.count == 9_000)
  }

  @Test("unclosed brackets everywhere stay linear and keep reporting")
  func unclosedEverywhere() {
    let start = Date()
    let text = Array(repeating: "build [784,", count: 20_000).joined(separator: "\n")
    let (_, diagnostics) = parseStatements(text: text, origin: .input)
    #expect(diagnostics.count >= 19_000)
    #expect(Date().timeIntervalSince(start) < 30)
    let opened = String(repeating: "[", count: 10_000)
    #expect(parseStatements(text: opened + "\nlern\n", origin: .input).1.count == 1)
  }

  @Test("absurd numbers and invalid UTF-8")
  func absurd() throws {
    for text in ["seed 1e999999", "seed -99999999999999999999999", "seed 0x10", "seed 1_000", "set x = 1e-999999"] {
      _ = check(text)
    }
    #expect(try onlyDiagnostic("set x = 1e-400").message.hasPrefix("number 1e-400 is out of range (too small"))
    let bytes: [UInt8] = Array("seed ".utf8) + [0xFF, 0xFE, 0xC3] + Array("\nlearn\n".utf8)
    let diagnostics = exercise(bytes)
    #expect(diagnostics >= 1)
    let nul: [UInt8] = Array("%% code\u{0}\nseed \u{0}1\n".utf8)
    #expect(exercise(nul) >= 2)
  }
}
