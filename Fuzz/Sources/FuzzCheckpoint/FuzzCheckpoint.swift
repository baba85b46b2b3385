// libFuzzer target: bytes -> `Checkpoint.decode` (what `load model "m.ffm"` reads), then what
// a notebook does with a loaded model.
//
// Random mutations almost always break the trailing CRC-32, which only exercises the
// rejection path; so each input is also decoded with its CRC recomputed, letting the fuzzer
// reach the header and size checks behind it. (A crash found that way reproduces with the
// CRC-fixed file: scripts/fuzz saves it next to the libFuzzer artifact.)
//
// A model that loads must re-encode to the same bytes (`save model` after `load model`; a
// version-1 file is saved as version 2, which must then load and re-encode to itself), and,
// when small, survive `predict` and one epoch of `learn` on a few rows. Errors are fine; a
// crash, hang or runaway allocation is a bug.
import FFKernels
import FFRuntime

/// CRC-32 (IEEE, as zlib's crc32), as the `.ffm` trailer stores it.
private let crcTable: [UInt32] = (0..<256).map { n in
  var c = UInt32(n)
  for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
  return c
}

private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
  var c: UInt32 = 0xFFFF_FFFF
  for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
  return c ^ 0xFFFF_FFFF
}

/// The bytes with their last four replaced by the CRC-32 of the rest.
func withFixedCRC(_ bytes: [UInt8]) -> [UInt8] {
  guard bytes.count >= 4 else { return bytes }
  var fixed = bytes
  let crc = crc32(bytes[..<(bytes.count - 4)])
  for k in 0..<4 { fixed[bytes.count - 4 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
  return fixed
}

func exercise(_ bytes: [UInt8]) {
  guard let model = try? Checkpoint.decode(bytes, file: "fuzz.ffm") else { return }
  // What `load model` prints.
  _ = (model.dims, model.parameterCount, model.layers.map(\.adamSteps))
  // Checked after the training below, so that a crash there is the one reported.
  let roundTrips = savesAsLoaded(model, from: bytes)

  // `predict` and `learn epochs=1` as a notebook would run them next, on small models only
  // (the file's size already bounds the model; this bounds the time per input).
  let inputs = model.layers[0].inputs
  defer {
    if !roundTrips { fatalError("a loaded model does not re-encode to the bytes it came from (save model after load model)") }
  }
  guard inputs >= LabelOverlay.classes, model.parameterCount <= 1 << 16 else { return }
  let rows = 4
  let x = Matrix(rows: rows, cols: inputs, values: (0..<rows * inputs).map { Float($0 % 7) / 7 })
  _ = try? model.predict(x)
  let positive = Matrix(rows: rows, cols: inputs)
  let negative = Matrix(rows: rows, cols: inputs)
  LabelOverlay.apply(x, labels: [0, 1, 2, 3], value: 1, into: positive)
  LabelOverlay.apply(x, labels: [5, 6, 7, 8], value: 1, into: negative)
  _ = try? model.learn(positive: positive, negative: negative, epochs: 1)
  _ = try? model.predict(x)
}

/// Whether saving `model`, loaded from `bytes`, writes `bytes` again; for a version-1 file,
/// whether the version-2 file it is saved as loads and saves to itself.
func savesAsLoaded(_ model: FFModel, from bytes: [UInt8]) -> Bool {
  guard let saved = try? Checkpoint.encode(model) else { return false }
  if saved == bytes { return true }
  let versionOne = bytes.count >= 12 && bytes[8..<12].elementsEqual([1, 0, 0, 0])
  guard versionOne, let reloaded = try? Checkpoint.decode(saved, file: "fuzz-v2.ffm") else { return false }
  return (try? Checkpoint.encode(reloaded)) == saved
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  exercise(bytes)
  let fixed = withFixedCRC(bytes)
  if fixed != bytes { exercise(fixed) }
  return 0
}
