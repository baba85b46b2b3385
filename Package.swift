// swift-tools-version:6.0
// ffnb: replay, step through and tweak Forward-Forward notebooks from a terminal.
//
// Dependencies point one way:
//   ffnb -> FFREPL -> FFNotebook -> (FFLanguage, FFRuntime, FFData, FFPlots)
//   ffnb, FFREPL -> FFRegistry (SQLite through GRDB) -> FFPlots
//   ffnb -> FFSweep (plans, shards, worker processes) -> FFLanguage, FFRegistry
//   ffnb -> FFJupyter -> (FFREPL's completer, FFNotebook), libzmq through CZMQ, HMAC from swift-crypto
//   FFRuntime, FFData -> FFKernels -> OpenBLAS (loaded with dlopen once its core is chosen)
//   every module that reads or writes a file -> FFFiles (Glibc only)
import PackageDescription

let numerics = Target.Dependency.product(name: "RealModule", package: "swift-numerics")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")

let package = Package(
  name: "ffnb",
  products: [
    .executable(name: "ffnb", targets: ["ffnb"]),
    // For the fuzz targets in Fuzz/ (a separate package that depends on this one by path);
    // the normal build does not use them.
    .library(name: "FFLanguage", targets: ["FFLanguage"]),
    .library(name: "FFData", targets: ["FFData"]),
    .library(name: "FFRuntime", targets: ["FFRuntime"]),
    .library(name: "FFKernels", targets: ["FFKernels"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    // SHA-256 for the replay cache's keys and entry checksums and the registry's notebook hashes;
    // HMAC-SHA256 for signing Jupyter messages.
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    // SQLite for the run registry (FFRegistry), built on the system's libsqlite3.
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    // C shims only: one system library each, imported by exactly one Swift module.
    // No pkgConfig: readline's .pc injects flags SwiftPM rejects.
    .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
    .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CZMQ", providers: [.apt(["libzmq3-dev"])]),
    // oneDNN's bf16 matmul, loaded with dlopen (libdnnl-dev gives the header), for FFKernels only.
    .target(name: "CDNNL", linkerSettings: [.linkedLibrary("dl")]),

    // Reading only regular files (never blocking on a FIFO), and the one atomic writer.
    .target(name: "FFFiles"),
    // Numeric kernels: matrices, BLAS calls, fused elementwise passes, the seeded generator, memory limits.
    .target(name: "FFKernels", dependencies: ["CDNNL", "FFFiles", numerics]),
    // IDX files (raw or gzip), verified datasets, transforms, batching.
    .target(name: "FFData", dependencies: ["FFKernels", "FFFiles", "CZlib"]),
    // The Forward-Forward algorithm: layers, loss, Adam, greedy training, prediction, checkpoints.
    .target(name: "FFRuntime", dependencies: ["FFKernels", "FFFiles"]),
    // Pure renderers: SVG and terminal charts, digit images.
    .target(name: "FFPlots"),
    // The .ffnb file format and command language: source locations, lexer, parser, AST, diagnostics.
    .target(name: "FFLanguage", dependencies: ["FFFiles"]),
    // The interpreter over a session, `run`, `check`, executed-notebook output, the replay cache.
    .target(name: "FFNotebook", dependencies: ["FFLanguage", "FFRuntime", "FFData", "FFPlots", "FFKernels", "FFFiles", crypto]),
    // The run registry: every replay, learn and predict recorded in SQLite; listings, comparisons, merging.
    .target(name: "FFRegistry", dependencies: ["FFPlots", "FFFiles", crypto, .product(name: "GRDB", package: "GRDB.swift")]),
    // Sweeps: the plan (`-p` value lists, sweep files), shards, worker processes, the results table.
    .target(name: "FFSweep", dependencies: ["FFLanguage", "FFRegistry", "FFFiles"]),
    // The interactive REPL: readline on a terminal, plain lines otherwise.
    .target(name: "FFREPL", dependencies: ["FFNotebook", "FFLanguage", "FFKernels", "FFFiles", "FFRegistry", "CReadline"]),
    // The Jupyter kernel: the messaging protocol over ZeroMQ, running cells in one persistent session.
    .target(
      name: "FFJupyter",
      dependencies: ["CZMQ", "FFREPL", "FFNotebook", "FFLanguage", "FFFiles", crypto]),
    // The command line: argument parsing only.
    .executableTarget(
      name: "ffnb",
      dependencies: [
        "FFREPL", "FFJupyter", "FFNotebook", "FFKernels", "FFData", "FFFiles", "FFRegistry", "FFSweep",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // `make bench`: figures and ratios for the runtime (sgemm ceiling, per-layer training, prediction, loading).
    .executableTarget(name: "ffnb-bench", dependencies: ["FFRuntime", "FFData", "FFKernels"], path: "Sources/FFBench"),

    .testTarget(name: "FFFilesTests", dependencies: ["FFFiles", "FFTestSupport"]),
    .testTarget(name: "FFKernelsTests", dependencies: ["FFKernels", numerics]),
    .testTarget(name: "FFDataTests", dependencies: ["FFData", "FFKernels", "FFTestSupport"]),
    .testTarget(name: "FFRuntimeTests", dependencies: ["FFRuntime", "FFKernels", "FFTestSupport"]),
    .testTarget(name: "FFPlotsTests", dependencies: ["FFPlots"]),
    .testTarget(name: "FFLanguageTests", dependencies: ["FFLanguage", "FFTestSupport"]),
    .testTarget(name: "FFNotebookTests", dependencies: ["FFNotebook", "FFLanguage", "FFRuntime", "FFData", "FFPlots", "FFFiles", "FFTestSupport"]),
    // Shared by the tests that run the built binary (pipes, a pseudo-terminal through tmux).
    .target(name: "FFTestSupport", path: "Tests/FFTestSupport"),
    .testTarget(name: "FFREPLTests", dependencies: ["FFREPL", "FFNotebook", "FFRuntime", "FFTestSupport"]),
    .testTarget(name: "FFRegistryTests", dependencies: ["FFRegistry", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "FFSweepTests", dependencies: ["FFSweep", "FFLanguage", "FFRegistry"]),
    .testTarget(name: "FFJupyterTests", dependencies: ["FFJupyter", "FFNotebook"]),
    .testTarget(name: "EndToEndTests", dependencies: ["FFTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
  ],
  swiftLanguageModes: [.v6]
)
