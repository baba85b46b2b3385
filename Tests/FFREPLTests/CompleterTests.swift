import FFTestSupport
import Foundation
import Testing
@testable import FFREPL

@Suite("Tab completion candidates")
struct CompleterTests {
  let context = CompletionContext(
    variables: ["lr", "num_epochs", "dims"], cellNames: ["parameters", "data", "model", "learn"], datasets: ["train", "test"],
    listDirectory: { _ in nil })

  func candidates(_ prefix: String) -> [String] { Completer.complete(prefix, context: context).candidates }

  @Test("the word is what follows the last break character")
  func word() {
    #expect(Completer.word(in: "learn neg") == "neg")
    #expect(Completer.word(in: "learn negatives=ra") == "ra")
    #expect(Completer.word(in: "transform to-ten") == "to-ten")
    #expect(Completer.word(in: "save model \"runs/m") == "runs/m")
    #expect(Completer.word(in: ":ru") == ":ru")
    #expect(Completer.word(in: "") == "")
  }

  @Test("commands first on a line; one match gets a space")
  func commands() {
    let completion = Completer.complete("lea", context: context)
    #expect(completion == Completion(candidates: ["learn"], suffix: " "))
    #expect(candidates("s") == ["save", "seed", "set", "show"])
    #expect(candidates("").contains("predict"))
  }

  @Test("argument names of the current command, without those already given; no space after '='")
  func argumentNames() {
    #expect(Completer.complete("learn neg", context: context) == Completion(candidates: ["negatives="], suffix: ""))
    #expect(candidates("learn ") == [
      "batch=", "data=", "epochs=", "eval=", "eval_every=", "every=", "layer=", "lr_schedule=", "negatives=", "precision=", "schedule=", "shift=",
    ])
    #expect(candidates("learn layer=1 e") == ["epochs=", "eval=", "eval_every=", "every="])
    #expect(candidates("learn epochs=5   e") == ["eval=", "eval_every=", "every="])
    #expect(candidates("build [784, 100] ") == [
      "decay=", "dims=", "epochs=", "eps=", "goodness=", "head=", "head_decay=", "head_lr=", "init=", "label_strength=",
      "labels=", "lr=", "momentum=", "norm=", "optimizer=", "peer=", "peer_momentum=", "recipe=", "temperature=", "threshold=",
    ])
  }

  @Test("choices after name=, and variables")
  func values() {
    #expect(candidates("learn negatives=") == ["dims", "hard", "lr", "num_epochs", "random", "wrong"])
    #expect(candidates("learn negatives=w") == ["wrong"])
    #expect(candidates("predict test confusion=t") == ["true"])
    #expect(candidates("learn data=") == ["dims", "lr", "num_epochs", "test", "train"])
    #expect(candidates("build epochs=num") == ["num_epochs"])
  }

  @Test("positional slots offer their choices")
  func positionals() {
    #expect(candidates("load ") .contains("fashion-mnist"))
    #expect(candidates("load mnist t") == ["test", "train"])
    #expect(candidates("predict t") == ["test", "train"])
    #expect(candidates("show m") == ["model"])
    #expect(candidates("help lea") == ["learn"])
    #expect(candidates("plot c") == ["confusion"])
  }

  @Test("Hinton's recipe: the new arguments and their choices complete")
  func recipe() {
    #expect(candidates("build [784, 100] rec") == ["recipe="])
    #expect(candidates("build [784, 100] recipe=h") == ["hinton"])
    #expect(candidates("build [784, 100] head") == ["head=", "head_decay=", "head_lr="])
    #expect(candidates("build [784, 100] norm=") == ["dims", "l2", "lr", "num_epochs", "rms"])
    #expect(candidates("build [784, 100] optimizer=s") == ["smoothed"])
    #expect(candidates("learn schedule=t") == ["together"])
    #expect(candidates("learn lr_schedule=l") == ["linear", "lr"], "and the variable lr")
    #expect(candidates("learn negatives=h") == ["hard"])
    #expect(candidates("learn eval=t") == ["test", "train"], "eval= names a loaded data set")
    #expect(candidates("predict test by=s") == ["softmax"])
    #expect(candidates("predict test l") == ["layers="])
    #expect(candidates("plot e") == ["errors"])
    #expect(candidates("load mnist train v") == ["validation="])
  }

  @Test("transform steps and their parameters")
  func transformSteps() {
    #expect(candidates("transform to") == ["to-tensor"])
    #expect(candidates("transform to-tensor | n") == ["normalize"])
    #expect(candidates("transform to-tensor | normalize(m") == ["mean="])
    #expect(candidates("transform normalize(mean=0.1, s") == ["std="])
  }

  @Test("set completes variable names")
  func assignment() {
    #expect(candidates("set l") == ["lr"])
    #expect(candidates("set lr = num") == ["num_epochs"])
  }

  @Test("meta-commands, and cell names after :run and :show")
  func meta() {
    #expect(candidates(":ru") == [":run", ":runs"])
    #expect(candidates(":co") == [":compare"])
    #expect(candidates(":h") == [":help", ":history", ":hyper"])
    #expect(candidates(":run m") == ["model"])
    #expect(candidates(":show ") == ["data", "learn", "model", "parameters"])
    #expect(candidates(":run model x").isEmpty)
    #expect(candidates(":time lea") == ["learn"])
    #expect(candidates(":time learn neg") == ["negatives="])
  }

  @Test("unknown commands complete nothing")
  func unknown() {
    #expect(candidates("frobnicate x").isEmpty)
  }

  @Test("file paths inside a string and after :save, from the real file system")
  func paths() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-completion-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("runs"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    _ = FileManager.default.createFile(atPath: root.appendingPathComponent("runs/mnist.ffm").path, contents: Data())
    _ = FileManager.default.createFile(atPath: root.appendingPathComponent("runs/mnist-2.ffm").path, contents: Data())
    _ = FileManager.default.createFile(atPath: root.appendingPathComponent("runs/.hidden").path, contents: Data())
    let real = CompletionContext(listDirectory: FileSystemListing.list)
    let dir = root.path

    let inString = Completer.complete("save model \"\(dir)/ru", context: real)
    #expect(inString == Completion(candidates: ["\(dir)/runs/"], suffix: ""))
    let files = Completer.complete("load model \"\(dir)/runs/", context: real)
    #expect(files.candidates == ["\(dir)/runs/mnist-2.ffm", "\(dir)/runs/mnist.ffm"])
    let one = Completer.complete("load model \"\(dir)/runs/mnist.", context: real)
    #expect(one == Completion(candidates: ["\(dir)/runs/mnist.ffm"], suffix: "\""))
    #expect(Completer.complete("load model \"\(dir)/runs/.h", context: real).candidates == ["\(dir)/runs/.hidden"])
    let save = Completer.complete(":save \(dir)/runs/mnist-", context: real)
    #expect(save == Completion(candidates: ["\(dir)/runs/mnist-2.ffm"], suffix: " "))
    #expect(Completer.complete("load model \"\(dir)/nowhere/x", context: real).candidates.isEmpty)
  }

  @Test("paths in strings complete from the notebook's folder, as the command resolves them; :save from the working directory")
  func pathsRelativeToTheNotebook() throws {
    // The notebook's folder has runs/ with a model; the working directory has other things.
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-completion-\(UUID().uuidString)")
    let notebookFolder = root.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebookFolder.appendingPathComponent("runs"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    _ = FileManager.default.createFile(atPath: notebookFolder.appendingPathComponent("runs/mnist.ffm").path, contents: Data())
    _ = FileManager.default.createFile(atPath: notebookFolder.appendingPathComponent("loss.svg").path, contents: Data())
    let context = CompletionContext(baseDirectory: notebookFolder.path, listDirectory: FileSystemListing.list)

    // As typed, not as resolved.
    #expect(Completer.complete("load model \"ru", context: context) == Completion(candidates: ["runs/"], suffix: ""))
    #expect(Completer.complete("load model \"runs/mn", context: context) == Completion(candidates: ["runs/mnist.ffm"], suffix: "\""))
    #expect(Completer.complete("plot loss to=\"lo", context: context).candidates == ["loss.svg"])
    #expect(Completer.complete("load model \"./runs/", context: context).candidates == ["./runs/mnist.ffm"])
    #expect(Completer.complete("load model \"../notebooks/runs/", context: context).candidates == ["../notebooks/runs/mnist.ffm"])
    // Absolute paths stay absolute.
    let absolute = notebookFolder.appendingPathComponent("runs").path
    #expect(Completer.complete("load model \"\(absolute)/m", context: context).candidates == ["\(absolute)/mnist.ffm"])

    // `:save` writes relative to the working directory: it lists there, not in the notebook's folder.
    let listed = Listing()
    let recording = CompletionContext(baseDirectory: "/nb", listDirectory: { listed.append($0); return [] })
    _ = Completer.complete("save model \"runs/m", context: recording)
    _ = Completer.complete(":save runs/m", context: recording)
    _ = Completer.complete("save model \"m", context: recording)
    _ = Completer.complete(":save m", context: recording)
    #expect(listed.paths == ["/nb/runs/", "runs/", "/nb/", "."])
  }
}

/// The directories a completion asked to list.
final class Listing: @unchecked Sendable {
  private let lock = NSLock()
  private var recorded: [String] = []
  var paths: [String] { lock.withLock { recorded } }
  func append(_ path: String) { lock.withLock { recorded.append(path) } }
}
