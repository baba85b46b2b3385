// swift-tools-version:5.4
// libFuzzer targets for ffnb's parsers: notebook text, IDX files, `.ffm` checkpoints.
// Built only by scripts/fuzz (`make fuzz`), with the fuzzer and address sanitizers:
//   swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --product FuzzNotebook
// Each target is one file defining LLVMFuzzerTestOneInput; libFuzzer supplies `main`.
// Tools version 5.4: with 6.0, SwiftPM renames an executable's `main` (for testing) and links
// with `--defsym main=<Target>_main`, which fails when `main` is libFuzzer's.
import Foundation
import PackageDescription

// A path dependency's identity is its directory's name (lowercased), which depends on the clone.
let ffnb = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
func library(_ name: String) -> Target.Dependency {
  .product(name: name, package: ffnb.lastPathComponent.lowercased())
}

let package = Package(
  name: "ffnb-fuzz",
  dependencies: [.package(path: ffnb.path)],
  targets: [
    // Notebook text -> Notebook.parse, Checker.check, rendered diagnostics, serialization.
    .executableTarget(name: "FuzzNotebook", dependencies: [library("FFLanguage")]),
    // Bytes -> IDX.readImages / IDX.readLabels, raw and through zlib.
    .executableTarget(name: "FuzzIDX", dependencies: [library("FFData")]),
    // Bytes -> Checkpoint.decode (what `load model` reads), then re-encoding, predicting and
    // one epoch of training on small models.
    .executableTarget(name: "FuzzCheckpoint", dependencies: [library("FFRuntime"), library("FFKernels")]),
  ]
)
