import FFData
import Foundation
import Testing

/// explicit > FFNB_DATA > the package's data folder (from the executable) > ./data.
@Suite struct DataDirectoryTests {
  @Test func rulesApplyInOrder() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let package = tmp.appendingPathComponent("repo")
    try FileManager.default.createDirectory(
      at: package.appendingPathComponent("data"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: package.appendingPathComponent(".build/release"), withIntermediateDirectories: true)
    try write(Array("// swift-tools-version:6.0\n".utf8), to: package.appendingPathComponent("Package.swift"))
    let exe = package.appendingPathComponent(".build/release/ffnb").path
    let elsewhere = tmp.appendingPathComponent("elsewhere")

    let explicit = DataDirectory.resolve(
      explicit: "mine", environment: ["FFNB_DATA": "/env/data"], executablePath: exe, base: elsewhere)
    #expect(explicit.rule == .explicit && explicit.url.path == elsewhere.appendingPathComponent("mine").path)

    let env = DataDirectory.resolve(explicit: nil, environment: ["FFNB_DATA": "/env/data"], executablePath: exe)
    #expect(env.rule == .environment && env.url.path == "/env/data")
    #expect(env.description == "/env/data (from FFNB_DATA)")

    let fromExe = DataDirectory.resolve(explicit: nil, environment: [:], executablePath: exe, base: elsewhere)
    #expect(fromExe.rule == .packageRoot)
    #expect(fromExe.url.resolvingSymlinksInPath().path
      == package.appendingPathComponent("data").resolvingSymlinksInPath().path)

    let fallback = DataDirectory.resolve(
      explicit: nil, environment: [:], executablePath: "/nonexistent/bin/ffnb", base: elsewhere)
    #expect(fallback.rule == .currentDirectory && fallback.url.path == elsewhere.appendingPathComponent("data").path)

    // Package.swift without a data folder beside it is not the package root ffnb wants.
    try FileManager.default.removeItem(at: package.appendingPathComponent("data"))
    #expect(DataDirectory.resolve(explicit: nil, environment: [:], executablePath: exe, base: elsewhere).rule
      == .currentDirectory)
  }

  @Test func emptyValuesAreIgnored() {
    let d = DataDirectory.resolve(explicit: "", environment: ["FFNB_DATA": "/env/data"], executablePath: "/x/y")
    #expect(d.rule == .environment)
  }
}
