import FFKernels

/// The model recipe's block in a version-2 model file (see the layout in `Checkpoint`).
///
/// Every choice is a UInt32 code and every number a Float32, in a fixed order, so the block has
/// one size for a given head and a reader needs no parser. The codes are the index of the
/// choice in the tables below: they are part of the format, so a new choice is appended, never
/// inserted (a test checks each table lists every case exactly once).
enum CheckpointRecipe {
  static let normalizations: [ModelRecipe.Normalization] = [.l2, .rms]
  static let goodnesses: [ModelRecipe.Goodness] = [.mean, .sum]
  static let initializations: [ModelRecipe.Initialization] = [.randn, .scaled]
  static let labelEncodings: [ModelRecipe.LabelEncoding] = [.max, .onehot]
  static let optimizers: [ModelRecipe.Optimizer] = [.adam, .smoothed]
  static let names: [ModelRecipe.Name] = [.seed, .hinton]

  /// Choices, numbers (`numbers`), the head's layer count, and one UInt32 per head layer.
  static let choiceCount = 6
  static let numberCount = 8

  /// Bytes of the block for a head reading `headLayers` layers.
  static func size(headLayers: Int) -> Int { 4 * (choiceCount + numberCount + 1 + headLayers) }

  /// The recipe's numbers in file order: temperature, label strength, momentum, weight decay,
  /// peer, peer momentum, head rate, head decay.
  static func numbers(of r: ModelRecipe) -> [Float] {
    [r.temperature, r.labelStrength, r.momentum, r.weightDecay, r.peer, r.peerMomentum, r.headLR, r.headDecay]
  }

  /// Appends the block. The head's layers fit UInt32 because `checkEncodable` ran
  /// `FFModel.check` (they lie in 1...layers, and layers <= `FFModel.maximumLayers`).
  static func append(_ r: ModelRecipe, to out: inout [UInt8]) {
    out.appendLE(code(r.normalization, in: normalizations))
    out.appendLE(code(r.goodness, in: goodnesses))
    out.appendLE(code(r.initialization, in: initializations))
    out.appendLE(code(r.labels, in: labelEncodings))
    out.appendLE(code(r.optimizer, in: optimizers))
    out.appendLE(code(r.name, in: names))
    for number in numbers(of: r) { out.appendLE(number.bitPattern) }
    out.appendLE(UInt32(r.headLayers.count))
    for layer in r.headLayers { out.appendLE(UInt32(layer)) }
  }

  /// Reads the block of a model with `layers` layers. Checks here what decides the size of the
  /// rest of the file (the optimizer: smoothed gradients are stored; the head's layers: its
  /// matrices are stored) and the codes, so what follows never indexes out of range; the
  /// numbers and the head's order are checked after the CRC, by `CheckpointValidation.checkRecipe`.
  static func read(_ r: inout ByteReader, layers: Int) throws(CheckpointError) -> ModelRecipe {
    let file = r.file
    var recipe = ModelRecipe()
    recipe.normalization = try choice(try r.u32(), in: normalizations, named: "normalization", file: file)
    recipe.goodness = try choice(try r.u32(), in: goodnesses, named: "goodness", file: file)
    recipe.initialization = try choice(try r.u32(), in: initializations, named: "initialization", file: file)
    recipe.labels = try choice(try r.u32(), in: labelEncodings, named: "labels", file: file)
    recipe.optimizer = try choice(try r.u32(), in: optimizers, named: "optimizer", file: file)
    recipe.name = try choice(try r.u32(), in: names, named: "recipe name", file: file)
    var numbers: [Float] = []
    for _ in 0..<numberCount { numbers.append(Float(bitPattern: try r.u32())) }
    (recipe.temperature, recipe.labelStrength, recipe.momentum, recipe.weightDecay) = (numbers[0], numbers[1], numbers[2], numbers[3])
    (recipe.peer, recipe.peerMomentum, recipe.headLR, recipe.headDecay) = (numbers[4], numbers[5], numbers[6], numbers[7])
    // Bounded before the list is read, so a count of 4 billion allocates and loops over nothing.
    let count = Int(try r.u32())
    guard count <= layers else {
      throw refuse("the head reads \(Plural.count(count, "layer")), the model has \(layers)", file: file)
    }
    for _ in 0..<count {
      let layer = Int(try r.u32())
      guard layer >= 1 && layer <= layers else {
        throw refuse("the head reads layer \(layer), but the model has layers 1...\(layers)", file: file)
      }
      recipe.headLayers.append(layer)
    }
    return recipe
  }

  /// The code of `choice`: its index in `table` (every case is listed; a test checks it).
  private static func code<Choice: Equatable>(_ choice: Choice, in table: [Choice]) -> UInt32 {
    UInt32(table.firstIndex(of: choice) ?? 0)
  }

  private static func choice<Choice>(
    _ code: UInt32, in table: [Choice], named name: String, file: String
  ) throws(CheckpointError) -> Choice {
    guard code < table.count else {
      let known = table.enumerated().map { "\($0.offset) (\($0.element))" }.joined(separator: ", ")
      throw refuse("\(name) code \(code) is not one of \(known)", file: file)
    }
    return table[Int(code)]
  }

  static func refuse(_ problem: String, file: String) -> CheckpointError {
    CheckpointError(file: file, problem: "recipe: \(problem); the file is not a model ffnb writes")
  }
}
