// libFuzzer target: `.ffnb` bytes -> what `ffnb check` does with them.
//
// Parses the bytes as a notebook, checks every code cell (binding and evaluating `set`),
// renders the first diagnostics against the source, and parses the notebook's serialized
// form again. Any crash, hang or runaway allocation is a bug: the parser and checker promise
// diagnostics for every input.
import FFLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotebook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  let (notebook, headerDiagnostics) = Notebook.parse(bytes: bytes, path: "fuzz.ffnb")
  let diagnostics = headerDiagnostics + Checker.check(notebook)
  let source = SourceText(String(decoding: bytes, as: UTF8.self))
  for diagnostic in diagnostics.prefix(50) {
    _ = diagnostic.rendered(in: source, color: false)
  }
  let (again, _) = Notebook.parse(text: notebook.serialized(), path: "fuzz.ffnb")
  _ = Checker.check(again)
  return 0
}
