import FFLanguage
import FFRuntime
import FFTestSupport
import Foundation
import Testing

@testable import FFNotebook

/// What `save model`, `load model` and `plot ... to=` do with paths that are not regular
/// files, and the limits `build` and `learn` share with the runtime.
@Suite struct OutputFileTests {
  @Test func plotsAndModelsWrittenToTheNullDeviceLeaveItInPlace() throws {
    let folder = try makeFolder("out")
    defer { removeFolder(folder) }
    let null = try #require(privateNullDevice(in: folder))
    let (runner, captured) = try tinyRunner()
    runner.runAll()
    for line in ["plot loss to=\"\(null)\"", "save model \"\(null)\""] {
      let report = runner.runTyped(line)
      #expect(report.error == nil, "\(line): \(report.error?.message ?? "")")
    }
    #expect(isCharacterDevice(null), "the device is still a device")
    #expect(captured.text.contains("wrote loss plot to \(null)"))
  }

  @Test func aFIFOIsNeitherReplacedNorWaitedOn() throws {
    let folder = try makeFolder("out")
    defer { removeFolder(folder) }
    let fifo = folder + "/m.ffm"
    try makeFIFO(fifo)
    let (runner, _) = try tinyRunner()
    runner.runAll()
    let save = runner.runTyped("save model \"\(fifo)\"")
    #expect(save.error?.message == "\(fifo): cannot write: it is a FIFO (named pipe) that no process is reading")
    let (load, blocked) = withoutBlocking(on: fifo) { runner.runTyped("load model \"\(fifo)\"") }
    #expect(!blocked)
    #expect(load.error?.message == "\(fifo): it is a FIFO (named pipe), not a regular file")
    let plot = runner.runTyped("plot loss to=\"\(fifo)\"")
    #expect(plot.error?.message == "cannot write the loss plot to \(fifo): it is a FIFO (named pipe) that no process is reading")
    var info = stat()
    #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
  }

  @Test func writeErrorsSayWhyAndNeverNameFoundationErrorDomains() throws {
    let folder = try makeFolder("out")
    defer { removeFolder(folder) }
    let (runner, _) = try tinyRunner()
    runner.runAll()
    try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/file"))
    let report = runner.runTyped("save model \"\(folder)/file/m.ffm\"")
    let message = try #require(report.error?.message)
    #expect(!message.contains("NSCocoaErrorDomain") && !message.contains("error 512"), "\(message)")
    #expect(message.contains("\(folder)/file"), "\(message)")
  }

  @Test func buildAndLearnRefuseWhatTheRuntimeCannotHoldWhereItIsWritten() throws {
    #expect(CommandLimits.epochs == Double(LayerHyperparameters.maximumEpochs))
    #expect(CommandLimits.layerSize == Double(FFModel.maximumLayerSize))
    let (runner, _) = try tinyRunner()
    let build = runner.runTyped("build [784, 20] epochs=5000000000")
    #expect(build.error?.message == "'epochs' must be at most 1000000, got 5000000000")
    let dims = runner.runTyped("build [784, 16777216]")
    #expect(dims.error?.message == "entries of 'dims' must be at most 16777215, got 16777216")
    runner.runAll()
    let learn = runner.runTyped("learn epochs=1000001")
    #expect(learn.error?.message == "'epochs' must be at most 1000000, got 1000001")
    // Through a variable the build follows, checked when learn reads it.
    #expect(runner.runTyped("set epochs = 5000000000").error == nil)
    let followed = runner.runTyped("learn")
    #expect(followed.error?.message == "epochs follows the variable epochs, which is now 5000000000; it must be between 1 and 1000000")
    #expect(runner.runTyped("set epochs = 4").error == nil)
    let folder = try makeFolder("out")
    defer { removeFolder(folder) }
    #expect(runner.runTyped("save model \"\(folder)/m.ffm\"").error == nil)
    #expect(runner.runTyped("load model \"\(folder)/m.ffm\"").error == nil)
  }
}
