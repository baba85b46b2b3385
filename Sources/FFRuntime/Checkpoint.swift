import FFFiles
import FFKernels
import Foundation

/// The `.ffm` model file: everything needed to predict with a model and to resume its training.
///
/// Layout, version 2 (all integers and floats little-endian):
/// ```
/// offset  size  field
/// 0       8     magic "FFNBMODL"
/// 8       4     format version (UInt32) = 2 (version 1 files are still read; see below)
/// 12      4     layer count L (UInt32)
/// then per layer, a header (36 bytes; its shape and hyperparameters, and the sizes of its arrays):
///         4     inputs (UInt32)      4  outputs (UInt32)
///         4     epochs (UInt32)      4  lr (Float32)   4  threshold (Float32)   4  eps (Float32)
///         8     optimizer steps taken (UInt64): Adam's bias correction, the loss-history bound
///         4     loss-history length H (UInt32)
/// then the model recipe (60 + 4K bytes; what every layer computes, stored once for the model):
///         4 each  normalization, goodness, initialization, labels, optimizer, recipe name (UInt32
///                 codes: the index of the choice in `CheckpointRecipe`'s tables, e.g. 0 l2,
///                 1 rms; the name gives `learn` and `predict` their defaults)
///         4 each  temperature, label strength, momentum, weight decay, peer, peer momentum,
///                 head lr, head decay (Float32)
///         4     head layer count K (UInt32; 0: no softmax head)
///         4K    the head's layers (UInt32, 1-based, increasing)
///         8     head steps taken (UInt64), only when K > 0
/// then per layer, its arrays (Float32):
///         W (out*in), b (out), Adam m_W, v_W (out*in each), m_b, v_b (out each), loss history (H),
///         only with the smoothed optimizer: its smoothed gradients G_W (out*in), G_b (out) (the
///           optimizer's state, as Adam's moments are Adam's; Adam's gradients are scratch,
///           recomputed every step, so they are not stored),
///         peer means (out) (the running mean activity peer normalisation regresses to)
/// then per head layer k (in the order listed), the head's W_k and its smoothed gradient G_k,
///         (10 * outputs of layer k each) (10 = `LabelOverlay.classes`)
/// last    4     CRC-32 (IEEE, as zlib's crc32) of every byte before it
/// ```
/// Version 1 is the same without the recipe block, the gradients, the peer means and the head:
/// it was written before recipes existed, so it reads as `ModelRecipe.seed` (Adam, no head),
/// with zero gradients and peer means at their initial 0.5, exactly as the model was.
///
/// Readers check the magic, the version, that every size fits the file exactly and the CRC, so a
/// truncated or corrupted file is rejected with a message saying which; then every field, as
/// `build` checks its arguments (`CheckpointValidation`), so a file whose checksum is right but
/// whose contents no ffnb could have written (an Adam step count of Int.max, a NaN weight, a
/// momentum of 1, a head reading layer 9 of 2) is refused at `load model` rather than trapping
/// or training on garbage later. The fields that decide sizes (shapes, history lengths, the
/// optimizer, the head's layers) are checked before the size, so nothing is allocated or
/// indexed from an unchecked count.
public enum Checkpoint {
  static let magic = Array("FFNBMODL".utf8)
  /// The version `encode` writes.
  public static let version: UInt32 = 2
  /// The versions `decode` reads.
  public static let readableVersions: ClosedRange<UInt32> = 1...2

  /// The largest model file `load model` reads: 4 GiB (the seed's 784-1000-500-200 is 33 MB).
  public static let maximumFileBytes = 1 << 32

  /// Serialises a model. Throws when a field does not fit its fixed-width slot (a model that
  /// `build` and `learn` would never make), instead of trapping in the integer conversion.
  public static func encode(_ model: FFModel, file: String = "model") throws(CheckpointError) -> [UInt8] {
    try CheckpointValidation.checkEncodable(model, file: file)
    let smoothed = model.recipe.optimizer == .smoothed
    var out: [UInt8] = []
    out.reserveCapacity(model.layers.reduce(128 + 8 * (model.head?.parameterCount ?? 0)) {
      $0 + 28 * $1.parameterCount + 4 * $1.lossHistory.count + 64
    })
    out += magic
    out.appendLE(version)
    out.appendLE(UInt32(model.layers.count))
    for layer in model.layers {
      out.appendLE(UInt32(layer.inputs)); out.appendLE(UInt32(layer.outputs))
      out.appendLE(UInt32(layer.hyper.epochs))
      out.appendLE(layer.hyper.lr.bitPattern); out.appendLE(layer.hyper.threshold.bitPattern)
      out.appendLE(layer.hyper.eps.bitPattern)
      out.appendLE(UInt64(layer.adamSteps))
      out.appendLE(UInt32(layer.lossHistory.count))
    }
    CheckpointRecipe.append(model.recipe, to: &out)
    if let head = model.head { out.appendLE(UInt64(head.steps)) }
    for layer in model.layers {
      precondition(!layer.weightGradientPrescaled, "a model is saved only between learns, with its smoothed gradients whole")
      for m in [layer.weights, layer.bias, layer.adamW.m, layer.adamW.v, layer.adamB.m, layer.adamB.v] {
        out.appendFloats(UnsafeBufferPointer(m.elements))
      }
      layer.lossHistory.withUnsafeBufferPointer { out.appendFloats($0) }
      for m in (smoothed ? [layer.weightGradient, layer.biasGradient] : []) + [layer.peerMeans] {
        out.appendFloats(UnsafeBufferPointer(m.elements))
      }
    }
    for (w, g) in zip(model.head?.weights ?? [], model.head?.gradients ?? []) {
      out.appendFloats(UnsafeBufferPointer(w.elements))
      out.appendFloats(UnsafeBufferPointer(g.elements))
    }
    out.appendLE(CRC32.checksum(out))
    return out
  }

  /// One layer's header fields, as read (checked by `CheckpointValidation.checkHeader`).
  struct Header { var inputs, outputs, epochs: Int; var lr, threshold, eps: Float; var steps: Int; var history: Int }

  /// Parses a model; `file` names the source in error messages.
  public static func decode(_ bytes: [UInt8], file: String) throws(CheckpointError) -> FFModel {
    var r = ByteReader(bytes: bytes, file: file)
    guard bytes.count >= 20 else { throw CheckpointError(file: file, problem: "too short to be a model file (\(Plural.count(bytes.count, "byte")))") }
    guard Array(bytes[0..<8]) == magic else { throw CheckpointError(file: file, problem: "not an ffnb model file (bad magic number)") }
    let stored = UInt32(littleEndianBytes: bytes[(bytes.count - 4)...])
    let computed = CRC32.checksum(bytes[0..<(bytes.count - 4)])
    r.offset = 8
    let v = try r.u32()
    guard readableVersions.contains(v) else {
      throw CheckpointError(file: file, problem: "format version \(v), this ffnb reads versions \(readableVersions.lowerBound) to \(readableVersions.upperBound)")
    }
    let count = Int(try r.u32())
    guard count >= 1 && count <= FFModel.maximumLayers else { throw CheckpointError(file: file, problem: "implausible layer count \(count)") }
    let headers = try readHeaders(&r, count: count)
    // Version 1 predates recipes: its models are the seed's.
    let recipe = v >= 2 ? try CheckpointRecipe.read(&r, layers: count) : .seed
    let headSteps = recipe.hasHead ? Int(clamping: try r.u64()) : 0
    let expected = expectedSize(headers: headers, recipe: recipe, version: v)
    guard bytes.count == expected else {
      throw CheckpointError(file: file, problem: bytes.count < expected
        ? "truncated: the header describes \(Plural.count(expected, "byte")), the file has \(bytes.count)"
        : "\(bytes.count - expected) unexpected trailing \(Plural.noun(bytes.count - expected, "byte")) after the model")
    }
    guard stored == computed else {
      throw CheckpointError(file: file, problem: String(format: "checksum mismatch (stored %08x, computed %08x): the file is corrupted", stored, computed))
    }
    for (k, h) in headers.enumerated() {
      try CheckpointValidation.checkHeader(
        layer: k + 1, epochs: h.epochs, lr: h.lr, threshold: h.threshold, eps: h.eps, steps: h.steps, history: h.history, file: file)
    }
    try CheckpointValidation.checkRecipe(recipe, layers: count, headSteps: headSteps, file: file)
    let dims = [headers[0].inputs] + headers.map(\.outputs)
    do {
      let (needed, overflow) = FFModel.parameterBytes(dims: dims).addingReportingOverflow(headBytes(recipe, dims: dims))
      try MemoryGuard.check("the model in \(file) (dims \(dims))", bytes: overflow ? Int.max : needed)
    } catch {
      throw CheckpointError(file: file, problem: error.description)
    }
    var layers: [FFLayer] = []
    for (k, h) in headers.enumerated() {
      layers.append(try readLayer(&r, header: h, number: k + 1, recipe: recipe, version: v))
    }
    let head = try readHead(&r, recipe: recipe, units: Array(dims.dropFirst()), steps: headSteps)
    return FFModel(layers: layers, recipe: recipe, head: head)
  }

  /// The layer headers, each shape checked (positive, at most `FFModel.maximumLayerSize`, and
  /// chained) as it is read, since the shapes decide the file's size.
  static func readHeaders(_ r: inout ByteReader, count: Int) throws(CheckpointError) -> [Header] {
    var headers: [Header] = []
    for k in 0..<count {
      let h = Header(inputs: Int(try r.u32()), outputs: Int(try r.u32()), epochs: Int(try r.u32()),
                     lr: Float(bitPattern: try r.u32()), threshold: Float(bitPattern: try r.u32()),
                     eps: Float(bitPattern: try r.u32()), steps: Int(clamping: try r.u64()), history: Int(try r.u32()))
      guard h.inputs > 0, h.outputs > 0, h.inputs <= FFModel.maximumLayerSize, h.outputs <= FFModel.maximumLayerSize else {
        throw CheckpointError(file: r.file, problem: "layer \(k + 1) has implausible shape \(h.inputs) -> \(h.outputs)")
      }
      if k > 0 && headers[k - 1].outputs != h.inputs {
        throw CheckpointError(file: r.file, problem: "layer \(k + 1) takes \(Plural.count(h.inputs, "input")) but layer \(k) gives \(headers[k - 1].outputs)")
      }
      headers.append(h)
    }
    return headers
  }

  /// The file's size as its headers and recipe describe it. No overflow: sizes are below 2^24,
  /// histories below 2^32 and layers at most 1024, so the layers' arrays stay under
  /// 1024 * 4 * (4 * 2^48 + 5 * 2^24 + 2^32) < 2^63 - 2^45, and the head adds under 2^40.
  static func expectedSize(headers: [Header], recipe: ModelRecipe, version: UInt32) -> Int {
    var expected = 8 + 4 + 4 + headers.count * 36 + 4
    for h in headers {
      expected += 4 * (3 * h.inputs * h.outputs + 3 * h.outputs + h.history)
    }
    guard version >= 2 else { return expected }
    expected += CheckpointRecipe.size(headLayers: recipe.headLayers.count) + (recipe.hasHead ? 8 : 0)
    for h in headers {
      expected += 4 * (h.outputs + (recipe.optimizer == .smoothed ? h.inputs * h.outputs + h.outputs : 0))
    }
    for l in recipe.headLayers {
      expected += 2 * 4 * LabelOverlay.classes * headers[l - 1].outputs
    }
    return expected
  }

  /// Bytes of the head's weights and gradients (the recipe's head layers are within `dims`).
  static func headBytes(_ recipe: ModelRecipe, dims: [Int]) -> Int {
    recipe.headLayers.reduce(0) { $0 + 2 * 4 * LabelOverlay.classes * dims[$1] }
  }

  /// One layer's arrays, into a fresh layer, checked (`CheckpointValidation.checkArrays`).
  static func readLayer(
    _ r: inout ByteReader, header h: Header, number k: Int, recipe: ModelRecipe, version: UInt32
  ) throws(CheckpointError) -> FFLayer {
    let layer = FFLayer(inputs: h.inputs, outputs: h.outputs,
                        hyper: LayerHyperparameters(epochs: h.epochs, lr: h.lr, threshold: h.threshold, eps: h.eps),
                        recipe: recipe)
    for m in [layer.weights, layer.bias, layer.adamW.m, layer.adamW.v, layer.adamB.m, layer.adamB.v] {
      try r.floats(into: m.elements)
    }
    var history = [Float](repeating: 0, count: h.history)
    try history.withUnsafeMutableBufferPointer { b throws(CheckpointError) in try r.floats(into: b) }
    layer.lossHistory = history
    layer.adamSteps = h.steps
    if version >= 2 {
      for m in (recipe.optimizer == .smoothed ? [layer.weightGradient, layer.biasGradient] : []) + [layer.peerMeans] {
        try r.floats(into: m.elements)
      }
    }
    try CheckpointValidation.checkArrays(of: layer, number: k, file: r.file)
    return layer
  }

  /// The softmax head, when the recipe has one: its matrices, checked, and its step count.
  static func readHead(
    _ r: inout ByteReader, recipe: ModelRecipe, units: [Int], steps: Int
  ) throws(CheckpointError) -> SoftmaxHead? {
    guard recipe.hasHead else { return nil }
    let head = SoftmaxHead(layers: recipe.headLayers, units: units)
    for (w, g) in zip(head.weights, head.gradients) {
      try r.floats(into: w.elements)
      try r.floats(into: g.elements)
    }
    head.steps = steps
    try CheckpointValidation.checkArrays(of: head, file: r.file)
    return head
  }

  /// Writes atomically through `AtomicFile`: a temporary file in the same directory, renamed
  /// over the target only once complete, so a crash never leaves a half-written model.
  public static func save(_ model: FFModel, to path: String) throws(CheckpointError) {
    let bytes = try encode(model, file: path)
    do {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw CheckpointError(file: path, problem: "cannot write: \(error.problem)")
    }
  }

  /// Reads and validates a model file: a regular file (never a FIFO or a device) of at most
  /// `maximumFileBytes`, within the memory limits.
  public static func load(from path: String) throws(CheckpointError) -> FFModel {
    let bytes: [UInt8]
    do {
      let file = try ReadableFile(path: path)
      if file.size <= maximumFileBytes {
        do {
          try MemoryGuard.check("reading the model file \(path)", bytes: file.size)
        } catch {
          throw CheckpointError(file: path, problem: error.description)
        }
      }
      bytes = try file.readAll(limit: maximumFileBytes, what: "a model file")
    } catch let error as FileError {
      throw CheckpointError(file: path, problem: error.problem)
    } catch let error as CheckpointError {
      throw error
    } catch {
      throw CheckpointError(file: path, problem: "\(error)")
    }
    return try decode(bytes, file: path)
  }
}

/// A model file that cannot be read, and why.
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
  public let file: String
  public let problem: String
  public var description: String { "\(file): \(problem)" }
}

struct ByteReader {
  let bytes: [UInt8]
  let file: String
  var offset = 0

  mutating func take(_ n: Int) throws(CheckpointError) -> ArraySlice<UInt8> {
    guard n >= 0, offset + n <= bytes.count else {
      throw CheckpointError(file: file, problem: "truncated at byte \(offset)")
    }
    defer { offset += n }
    return bytes[offset..<(offset + n)]
  }
  mutating func u32() throws(CheckpointError) -> UInt32 { UInt32(littleEndianBytes: try take(4)) }
  mutating func u64() throws(CheckpointError) -> UInt64 {
    let lo = UInt64(try u32()), hi = UInt64(try u32())
    return lo | hi << 32
  }
  mutating func floats(into b: UnsafeMutableBufferPointer<Float>) throws(CheckpointError) {
    let raw = try take(4 * b.count)
    raw.withUnsafeBytes { src in
      for i in 0..<b.count { b[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
    }
  }
}

extension UInt32 {
  init(littleEndianBytes s: ArraySlice<UInt8>) {
    var v: UInt32 = 0
    for (k, b) in s.prefix(4).enumerated() { v |= UInt32(b) << (8 * UInt32(k)) }
    self = v
  }
}

extension Array where Element == UInt8 {
  mutating func appendLE<T: FixedWidthInteger>(_ v: T) {
    Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
  }
  mutating func appendFloats(_ b: UnsafeBufferPointer<Float>) {
    let start = count
    append(contentsOf: repeatElement(0, count: 4 * b.count))
    withUnsafeMutableBytes { dst in
      for i in 0..<b.count { dst.storeBytes(of: b[i].bitPattern.littleEndian, toByteOffset: start + 4 * i, as: UInt32.self) }
    }
  }
}

/// CRC-32 (IEEE 802.3 polynomial, reflected), the checksum zlib and PNG use.
enum CRC32 {
  static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }
  static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}
