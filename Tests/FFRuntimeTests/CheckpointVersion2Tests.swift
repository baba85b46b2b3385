import FFKernels
import FFTestSupport
import Foundation
import Testing

@testable import FFRuntime

/// Model file version 2: the recipe, the smoothed gradients, the peer means and the softmax head
/// are saved, so a Hinton-recipe model resumes exactly; version-1 files still load as the seed
/// recipe; and a crafted file is refused field by field.
@Suite struct CheckpointVersion2Tests {
  // MARK: A Hinton-recipe model and its training

  /// A fresh model with Hinton's recipe (smoothed optimizer, peer normalisation, a head).
  func hintonModel(dims: [Int] = [20, 8, 6]) throws -> FFModel {
    var g = Generator(seed: 5, stream: "hinton init")
    return try FFModel(dims: dims, hyper: LayerHyperparameters(epochs: 1, lr: 0.05, threshold: 2),
                       recipe: .hinton(layers: dims.count - 1), generator: &g)
  }

  /// 12 small random images (the first 10 columns are where the labels go) and labels 0...9.
  func data(columns: Int = 20) -> (images: Matrix, labels: [Int]) {
    var g = Generator(seed: 9, stream: "images")
    let x = Matrix(rows: 12, cols: columns)
    for i in 0..<x.count { x.base[i] = g.nextUniform() }
    return (x, (0..<12).map { ($0 * 7) % 10 })
  }

  /// `epochs` epochs of mini-batches of 4 with hard negatives, the generators seeded from `seed`.
  func train(_ model: FFModel, epochs: Int, seed: UInt64) throws {
    let (x, labels) = data(columns: model.layers[0].inputs)
    var shuffle = Generator(seed: seed, stream: "shuffle")
    var draws = Generator(seed: seed, stream: "negatives")
    let outcome = try model.learnTogether(
      images: x, labels: labels, epochs: epochs, schedule: LearningSchedule(batch: 4, order: .together, rate: .constant),
      negatives: .hard, overlayValue: 1, shuffle: &shuffle, negativeDraws: &draws)
    #expect(outcome == .completed)
  }

  /// A trained Hinton-recipe model: every piece of state away from its initial value.
  func trainedHintonModel(dims: [Int] = [20, 8, 6]) throws -> FFModel {
    let m = try hintonModel(dims: dims)
    try train(m, epochs: 2, seed: 3)
    return m
  }

  func bits(_ m: Matrix) -> [UInt32] { m.array.map(\.bitPattern) }

  /// Every piece of the model's state, bit for bit, each named. Adam's gradient buffers are
  /// scratch (every step overwrites them), so they are state only with the smoothed optimizer.
  func state(_ m: FFModel) -> [(String, [UInt32])] {
    var s: [(String, [UInt32])] = []
    for (k, l) in m.layers.enumerated() {
      if m.recipe.optimizer == .smoothed {
        s += [("layer \(k + 1) G_W", bits(l.weightGradient)), ("layer \(k + 1) G_b", bits(l.biasGradient))]
      }
      s += [("layer \(k + 1) W", bits(l.weights)), ("layer \(k + 1) b", bits(l.bias)),
            ("layer \(k + 1) peer means", bits(l.peerMeans)),
            ("layer \(k + 1) Adam", (bits(l.adamW.m) + bits(l.adamW.v) + bits(l.adamB.m) + bits(l.adamB.v))),
            ("layer \(k + 1) losses", l.lossHistory.map(\.bitPattern) + [UInt32(l.adamSteps)])]
    }
    if let head = m.head {
      for (k, l) in head.layers.enumerated() {
        s += [("head W \(l)", bits(head.weights[k])), ("head G \(l)", bits(head.gradients[k]))]
      }
      s.append(("head steps", [UInt32(head.steps)]))
    }
    return s
  }

  /// The names of the arrays that differ between two models of the same shape.
  func differences(_ a: FFModel, _ b: FFModel) -> [String] {
    zip(state(a), state(b)).filter { $0.0.1 != $0.1.1 }.map(\.0.0)
  }

  // MARK: Round trip

  @Test func aHintonModelResumesBitForBitFromItsFile() throws {
    let original = try trainedHintonModel()
    #expect(original.layers.allSatisfy { $0.peerMeans.array.contains { $0 != 0.5 } }, "peer means moved")
    #expect(try #require(original.head).steps == 6)
    let folder = try makeFolder("ckpt2")
    defer { removeFolder(folder) }
    try Checkpoint.save(original, to: folder + "/m.ffm")
    let loaded = try Checkpoint.load(from: folder + "/m.ffm")
    #expect(loaded.recipe == original.recipe && loaded.recipe == .hinton(layers: 2))
    #expect(loaded.dims == original.dims && loaded.layers.map(\.hyper) == original.layers.map(\.hyper))
    #expect(differences(original, loaded) == [])
    #expect(try Checkpoint.encode(loaded) == Checkpoint.encode(original))

    try train(original, epochs: 1, seed: 77)
    try train(loaded, epochs: 1, seed: 77)
    #expect(differences(original, loaded) == [])
    #expect(original.layers[1].adamSteps == 9 && original.head?.steps == 9)
  }

  /// The round trip above would notice a piece of state the file forgot: resuming without the
  /// smoothed gradients, the peer means or the head's gradients ends somewhere else.
  @Test func resumingWithoutAnyPieceOfTheSavedStateDiverges() throws {
    let original = try trainedHintonModel()
    let bytes = try Checkpoint.encode(original)
    try train(original, epochs: 1, seed: 77)
    // Each piece, reset to its initial value, and an array it changes within one epoch.
    let forgetters: [(String, (FFModel) -> Void, String)] = [
      ("smoothed gradients", { m in for l in m.layers { l.weightGradient.fill(0); l.biasGradient.fill(0) } }, "layer 1 W"),
      ("peer means", { m in for l in m.layers { l.peerMeans.fill(0.5) } }, "layer 1 W"),
      ("head gradients", { m in for g in m.head?.gradients ?? [] { g.fill(0) } }, "head W 2"),
    ]
    for (piece, forget, changed) in forgetters {
      let copy = try Checkpoint.decode(bytes, file: "m.ffm")
      forget(copy)
      try train(copy, epochs: 1, seed: 77)
      #expect(differences(original, copy).contains(changed), "resumed without the \(piece)")
    }
  }

  @Test func aSeedModelStoresNoGradientsAndReadsThemAsZero() throws {
    var g = Generator(seed: 21, stream: "init")
    let m = try FFModel(dims: [12, 6, 4], hyper: LayerHyperparameters(epochs: 3, lr: 0.05, threshold: 1.5), generator: &g)
    let p = Matrix(rows: 4, cols: 12), n = Matrix(rows: 4, cols: 12)
    g.fillNormal(p.elements)
    g.fillNormal(n.elements)
    _ = try m.learn(positive: p, negative: n)
    let bytes = try Checkpoint.encode(m)
    let versionOne = try VersionOne.encode(m)
    // v1's size, plus the recipe block (no head) and the peer means; Adam's gradients are scratch.
    #expect(bytes.count == versionOne.count + 60 + 4 * (6 + 4))
    let r = try Checkpoint.decode(bytes, file: "m.ffm")
    #expect(r.recipe == .seed && r.head == nil)
    #expect(r.layers.allSatisfy { $0.weightGradient.array.allSatisfy { $0 == 0 } && $0.peerMeans.array.allSatisfy { $0 == 0.5 } })
    #expect(try Checkpoint.encode(r) == bytes)
  }

  @Test func everyRecipeChoiceHasExactlyOneFileCode() {
    #expect(CheckpointRecipe.normalizations.count == ModelRecipe.Normalization.allCases.count)
    #expect(Set(CheckpointRecipe.normalizations) == Set(ModelRecipe.Normalization.allCases))
    #expect(CheckpointRecipe.goodnesses.count == ModelRecipe.Goodness.allCases.count)
    #expect(Set(CheckpointRecipe.goodnesses) == Set(ModelRecipe.Goodness.allCases))
    #expect(CheckpointRecipe.initializations.count == ModelRecipe.Initialization.allCases.count)
    #expect(Set(CheckpointRecipe.initializations) == Set(ModelRecipe.Initialization.allCases))
    #expect(CheckpointRecipe.labelEncodings.count == ModelRecipe.LabelEncoding.allCases.count)
    #expect(Set(CheckpointRecipe.labelEncodings) == Set(ModelRecipe.LabelEncoding.allCases))
    #expect(CheckpointRecipe.optimizers.count == ModelRecipe.Optimizer.allCases.count)
    #expect(Set(CheckpointRecipe.optimizers) == Set(ModelRecipe.Optimizer.allCases))
    #expect(CheckpointRecipe.names.count == ModelRecipe.Name.allCases.count)
    #expect(Set(CheckpointRecipe.names) == Set(ModelRecipe.Name.allCases))
  }

  @Test func everyRecipeRoundTrips() throws {
    var recipe = ModelRecipe()
    recipe.normalization = .rms
    recipe.goodness = .sum
    recipe.temperature = 2.5
    recipe.initialization = .scaled
    recipe.labels = .onehot
    recipe.labelStrength = 3
    recipe.momentum = 0.5
    recipe.weightDecay = 0.25
    recipe.peer = 0.125
    recipe.peerMomentum = 0.75
    recipe.headLayers = [1, 3]
    recipe.headLR = 0.5
    recipe.headDecay = 0.0625
    var g = Generator(seed: 2, stream: "recipe")
    for optimizer in ModelRecipe.Optimizer.allCases {
      recipe.optimizer = optimizer
      let m = try FFModel(dims: [10, 3, 2, 4], hyper: LayerHyperparameters(), recipe: recipe, generator: &g)
      let r = try Checkpoint.decode(Checkpoint.encode(m), file: "m.ffm")
      #expect(r.recipe == recipe)
      #expect(r.head?.layers == [1, 3] && r.head?.weights.map(\.cols) == [3, 4])
    }
  }

  // MARK: Version 1

  /// A model file written by the version-1 `Checkpoint.encode` (before recipes): dims 10-3-2,
  /// 2 Adam steps per layer.
  static let versionOneFile = """
    RkZOQk1PREwBAAAAAgAAAAoAAAADAAAAAgAAAM3MTD0AAMA/F7fROAIAAAAAAAAAAgAAAAMAAAACAAAAAgAAAM3MTD0AAMA/F7fROAIA\
    AAAAAAAAAgAAANN1AD8xgYy/OZv0P6quo74xdZe+QKenujs9Sr6TXLi90LQWvwMaoL+MWpk/hKhgv747+D+85Bq/QrEvvqldXz4WIP8+\
    XxpvP7eEZr/OXo4/voR7v8qqiz/4A38/hNBDPI9Koz9lC6G/HtUXQLxXpL+gm4Y7tE+yvo8KhD1UdSK/zNeYP5xT4zvySzQ7rCpmPG4R\
    rbreuKY7TxxZupJtEbtI2IC8lmBqO0xHKjzwRos7HgTAOqa51ztsWJa64tIRO+5ppbmOaIE6iBD0u43vnDo8nwM7VjlfvDztADx+vkA9\
    1Fa2PP50PD0z1a27UPyCPW62JL1738e6hG7GPN42NzboR+U0rh46Nw/L2DOi+MI1NtYkM2eVkjTYW2k3uK4/NXhAyTbTHIw1HSgFNNoR\
    KDZURKMzFJiZND6ixTGv63Ez0SBXNuTksTOKRHo0LE4sN/rAaDZiOQE55B/mN1Le9jiUzNQ1QFRuOQRVvTiMYxg0ZRAJOGrkXzx2ITw8\
    rErHPYryNDcZpf82CXIKOpyq1T9sSMU/oXjDPuGzAj+mjkU+UWjev8LYIr87Ll6/GhD5vigc5b8AAAAAAAAAAAAAAAAAAAAAAAAAAAAA\
    AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0o9zP9KPcz9YfzmG
    """

  @Test func aVersionOneFileFromThePreviousFfnbLoadsAsTheSeedRecipe() throws {
    let bytes = try #require(Data(base64Encoded: Self.versionOneFile)).map { $0 }
    #expect(bytes.count == 600)
    let m = try Checkpoint.decode(bytes, file: "v1.ffm")
    #expect(m.dims == [10, 3, 2] && m.recipe == .seed && m.head == nil)
    #expect(m.layers.map(\.adamSteps) == [2, 2] && m.layers.map(\.lossHistory.count) == [2, 2])
    #expect(m.layers.allSatisfy { $0.recipe == .seed })
    #expect(m.layers.allSatisfy { $0.weightGradient.array.allSatisfy { $0 == 0 } && $0.biasGradient.array.allSatisfy { $0 == 0 } })
    #expect(m.layers.allSatisfy { $0.peerMeans.array == [Float](repeating: 0.5, count: $0.outputs) })
    // Every version-1 field was read as it is: writing them back gives the file.
    #expect(try VersionOne.encode(m) == bytes)
    // Saved again, it is a version-2 file that loads to the same model.
    let again = try Checkpoint.encode(m)
    #expect(again[8] == 2)
    #expect(differences(m, try Checkpoint.decode(again, file: "v2.ffm")) == [])
  }

  @Test func aVersionOneFileOfATrainedModelLoadsIdentically() throws {
    var g = Generator(seed: 21, stream: "init")
    let m = try FFModel(dims: [12, 6, 4], hyper: LayerHyperparameters(epochs: 3, lr: 0.05, threshold: 1.5), generator: &g)
    let p = Matrix(rows: 4, cols: 12), n = Matrix(rows: 4, cols: 12)
    g.fillNormal(p.elements)
    g.fillNormal(n.elements)
    _ = try m.learn(positive: p, negative: n)
    let r = try Checkpoint.decode(try VersionOne.encode(m), file: "v1.ffm")
    #expect(differences(m, r) == [] && r.layers.map(\.hyper) == m.layers.map(\.hyper))
    // Both resume alike.
    _ = try m.learn(positive: p, negative: n, epochs: 2)
    _ = try r.learn(positive: p, negative: n, epochs: 2)
    #expect(differences(m, r) == [])
  }

  @Test func theVersion2SeedInTheFuzzCorpusLoadsAndRoundTrips() throws {
    let path = Binary.packageRoot.appendingPathComponent("Fuzz/corpus/checkpoint/written-v2-hinton-12-6-4.ffm").path
    let bytes = try #require(FileManager.default.contents(atPath: path)).map { $0 }
    #expect(bytes.count < 4096)
    let m = try Checkpoint.decode(bytes, file: path)
    #expect(m.recipe == .hinton(layers: 2) && m.head?.steps == 6)
    #expect(try Checkpoint.encode(m) == bytes)
  }

  @Test func aNewerVersionIsRefused() throws {
    var bytes = try Checkpoint.encode(try hintonModel())
    bytes[8] = 3
    #expect(throws: CheckpointError(file: "m.ffm", problem: "format version 3, this ffnb reads versions 1 to 2")) {
      try Checkpoint.decode(Self.withCRC(bytes), file: "m.ffm")
    }
  }

  // MARK: Hostile files

  /// The fields of `model`'s version-2 file, in order (the layout in Checkpoint.swift).
  static func fields(of model: FFModel) -> [(name: String, offset: Int, bytes: Int)] {
    var list: [(name: String, offset: Int, bytes: Int)] = []
    var at = 0
    func add(_ name: String, _ bytes: Int) {
      list.append((name, at, bytes))
      at += bytes
    }
    add("magic", 8); add("version", 4); add("layer count", 4)
    for k in model.layers.indices { add("layer \(k + 1) header", 36) }
    for name in ["normalization", "goodness", "initialization", "labels", "optimizer", "recipe name", "temperature", "label strength",
                 "momentum", "weight decay", "peer", "peer momentum", "head lr", "head decay", "head count"] {
      add(name, 4)
    }
    for k in model.recipe.headLayers.indices { add("head layer \(k + 1)", 4) }
    if model.head != nil { add("head steps", 8) }
    for (k, l) in model.layers.enumerated() {
      let (i, o) = (l.inputs, l.outputs)
      for (name, n) in [("W", o * i), ("b", o), ("m_W", o * i), ("v_W", o * i), ("m_b", o), ("v_b", o), ("history", l.lossHistory.count)] {
        add("layer \(k + 1) \(name)", 4 * n)
      }
      if model.recipe.optimizer == .smoothed { add("layer \(k + 1) G_W", 4 * o * i); add("layer \(k + 1) G_b", 4 * o) }
      add("layer \(k + 1) peer means", 4 * o)
    }
    for (k, l) in (model.head?.layers ?? []).enumerated() {
      add("head W \(l)", 4 * model.head!.weights[k].count)
      add("head G \(l)", 4 * model.head!.gradients[k].count)
    }
    add("crc", 4)
    return list
  }

  static func offset(_ name: String, in model: FFModel) -> Int {
    fields(of: model).first { $0.name == name }!.offset
  }

  /// The bytes with their CRC recomputed, so only the validation can refuse them.
  static func withCRC(_ bytes: [UInt8]) -> [UInt8] {
    var fixed = bytes
    let crc = CRC32.checksum(bytes[0..<(bytes.count - 4)])
    for i in 0..<4 { fixed[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
    return fixed
  }

  static func put32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
    for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
  }

  /// The file of `model` with `field` set to `value` (and the CRC recomputed).
  func crafted(_ model: FFModel, _ field: String, _ value: UInt32, plus: Int = 0) throws -> [UInt8] {
    var bytes = try Checkpoint.encode(model)
    Self.put32(value, at: Self.offset(field, in: model) + plus, in: &bytes)
    return Self.withCRC(bytes)
  }

  func refusal(_ bytes: [UInt8]) -> String? {
    do {
      _ = try Checkpoint.decode(bytes, file: "m.ffm")
      return nil
    } catch {
      return error.description
    }
  }

  @Test func theFieldListMatchesTheFile() throws {
    for dims in [[20, 8, 6], [20, 8, 6, 6]] {
      let m = try trainedHintonModel(dims: dims)
      let last = try #require(Self.fields(of: m).last)
      let bytes = try Checkpoint.encode(m)
      #expect(last.offset + last.bytes == bytes.count)
    }
  }

  @Test func aFileCutAtAnyFieldOfTheNewBlocksIsRefused() throws {
    let m = try trainedHintonModel(dims: [20, 8, 6, 6])
    let bytes = try Checkpoint.encode(m)
    let fields = Self.fields(of: m)
    let recipeStart = Self.offset("normalization", in: m)
    var cuts = 0
    for field in fields where field.offset >= recipeStart && field.name != "crc" {
      for cut in Set([field.offset, field.offset + field.bytes / 2]) {
        // The prefix with a valid CRC of its own: the sizes, not the checksum, must refuse it.
        let truncated = Array(bytes.prefix(cut)) + [0, 0, 0, 0]
        let message = refusal(Self.withCRC(truncated))
        #expect(message != nil && message?.contains("checksum") == false, "cut at \(cut) (\(field.name)): \(message ?? "accepted")")
        cuts += 1
      }
    }
    #expect(cuts > 40)
  }

  @Test func aRecipeChoiceOutsideItsCodesIsRefused() throws {
    let m = try hintonModel()
    #expect(refusal(try crafted(m, "optimizer", 2))
      == "m.ffm: recipe: optimizer code 2 is not one of 0 (adam), 1 (smoothed); the file is not a model ffnb writes")
    #expect(refusal(try crafted(m, "normalization", 0xFFFF_FFFF))?.contains("recipe: normalization code 4294967295 is not one of 0 (l2), 1 (rms)") == true)
    for field in ["goodness", "initialization", "labels"] {
      #expect(refusal(try crafted(m, field, 7))?.contains("recipe: \(field) code 7 is not one of") == true, "\(field)")
    }
  }

  @Test func recipeNumbersOutsideWhatBuildAcceptsAreRefused() throws {
    let m = try hintonModel()
    let cases: [(String, UInt32, String)] = [
      ("momentum", Float.nan.bitPattern, "recipe: momentum must be at least 0 and below 1, got nan"),
      ("momentum", Float(1).bitPattern, "recipe: momentum must be at least 0 and below 1, got 1.0"),
      ("peer momentum", Float(-0.5).bitPattern, "recipe: peer_momentum must be at least 0 and below 1, got -0.5"),
      ("temperature", Float(0).bitPattern, "recipe: temperature must be a positive number"),
      ("label strength", Float.infinity.bitPattern, "recipe: label_strength must be a positive number"),
      ("weight decay", Float(-1).bitPattern, "recipe: decay must be a non-negative number"),
      ("peer", Float.nan.bitPattern, "recipe: peer must be a non-negative number"),
      ("head lr", Float.infinity.bitPattern, "recipe: head_lr must be a positive number"),
      ("head decay", Float(-0.5).bitPattern, "recipe: head_decay must be a non-negative number"),
    ]
    for (field, value, expected) in cases {
      let message = refusal(try crafted(m, field, value))
      #expect(message?.hasPrefix("m.ffm: " + expected) == true, "\(field): got \(message ?? "accepted")")
    }
    #expect(refusal(try crafted(m, "momentum", Float.nan.bitPattern))
      == "m.ffm: recipe: momentum must be at least 0 and below 1, got nan; the file is not a model ffnb writes")
  }

  @Test func aHeadReadingLayersTheModelLacksIsRefused() throws {
    let m = try hintonModel()  // 2 layers, head [2]
    #expect(refusal(try crafted(m, "head layer 1", 3))
      == "m.ffm: recipe: the head reads layer 3, but the model has layers 1...2; the file is not a model ffnb writes")
    #expect(refusal(try crafted(m, "head layer 1", 0))?.contains("the head reads layer 0") == true)
    #expect(refusal(try crafted(m, "head count", 3))?.contains("recipe: the head reads 3 layers, the model has 2") == true)
    #expect(refusal(try crafted(m, "head count", UInt32.max))?.contains("the head reads 4294967295 layers") == true)
  }

  @Test func aHeadListNotIncreasingIsRefused() throws {
    let m = try hintonModel(dims: [20, 8, 6, 6])  // head [2, 3], both 6 units: swapping keeps the size
    var swapped = try Checkpoint.encode(m)
    Self.put32(3, at: Self.offset("head layer 1", in: m), in: &swapped)
    Self.put32(2, at: Self.offset("head layer 2", in: m), in: &swapped)
    #expect(refusal(Self.withCRC(swapped))?.contains("recipe: list the head's layers in increasing order, got [3, 2]") == true)
    #expect(refusal(try crafted(m, "head layer 2", 2))?.contains("recipe: the head lists a layer twice: [2, 2]") == true)
  }

  @Test func aHeadStepCountPastTheLimitIsRefused() throws {
    let m = try hintonModel()
    var bytes = try Checkpoint.encode(m)
    let at = Self.offset("head steps", in: m)
    for i in 0..<8 { bytes[at + i] = 0xFF }
    #expect(refusal(Self.withCRC(bytes))?.contains("head: step count 9223372036854775807 is outside 0...4294967295") == true)
  }

  @Test func nonFiniteGradientsPeerMeansAndHeadWeightsAreRefused() throws {
    let m = try trainedHintonModel()
    let nan = Float.nan.bitPattern
    #expect(refusal(try crafted(m, "layer 1 G_W", nan, plus: 4 * 3))
      == "m.ffm: layer 1: smoothed weight gradient entry 3 is nan; the file is not a model ffnb writes")
    #expect(refusal(try crafted(m, "layer 2 G_b", Float.infinity.bitPattern))?.contains("layer 2: smoothed bias gradient entry 0 is inf") == true)
    #expect(refusal(try crafted(m, "layer 2 peer means", nan, plus: 4))?.contains("layer 2: peer mean entry 1 is nan") == true)
    #expect(refusal(try crafted(m, "layer 1 peer means", Float(-1).bitPattern))?.contains("layer 1: peer mean entry 0 is -1.0") == true)
    #expect(refusal(try crafted(m, "head W 2", nan, plus: 8))
      == "m.ffm: head: weight entry 2 for layer 2 is nan; the file is not a model ffnb writes")
    #expect(refusal(try crafted(m, "head G 2", Float.infinity.bitPattern))?.contains("head: smoothed gradient entry 0 for layer 2 is inf") == true)
  }

  @Test func aModelWhoseRecipeAFileCannotHoldIsRefusedAtSave() throws {
    var recipe = ModelRecipe.seed
    recipe.momentum = 1
    let layer = FFLayer(inputs: 10, outputs: 2, hyper: LayerHyperparameters(), recipe: recipe)
    #expect(throws: CheckpointError(file: "model", problem: "cannot save: recipe: momentum must be at least 0 and below 1, got 1.0")) {
      try Checkpoint.encode(FFModel(layers: [layer], recipe: recipe))
    }
  }
}

/// The version-1 writer, as `Checkpoint.encode` was before recipes: the test's own copy, so
/// version-1 files of any model can still be made.
enum VersionOne {
  static func encode(_ model: FFModel) throws -> [UInt8] {
    var out = Array("FFNBMODL".utf8)
    out.appendLE(UInt32(1))
    out.appendLE(UInt32(model.layers.count))
    for l in model.layers {
      out.appendLE(UInt32(l.inputs)); out.appendLE(UInt32(l.outputs)); out.appendLE(UInt32(l.hyper.epochs))
      out.appendLE(l.hyper.lr.bitPattern); out.appendLE(l.hyper.threshold.bitPattern); out.appendLE(l.hyper.eps.bitPattern)
      out.appendLE(UInt64(l.adamSteps)); out.appendLE(UInt32(l.lossHistory.count))
    }
    for l in model.layers {
      for m in [l.weights, l.bias, l.adamW.m, l.adamW.v, l.adamB.m, l.adamB.v] {
        for v in m.array { out.appendLE(v.bitPattern) }
      }
      for v in l.lossHistory { out.appendLE(v.bitPattern) }
    }
    out.appendLE(CRC32.checksum(out))
    return out
  }
}
