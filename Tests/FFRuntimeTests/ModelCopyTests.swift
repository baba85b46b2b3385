import FFKernels
import Testing

@testable import FFRuntime

/// `FFModel.copy()`, which the REPL's snapshots rely on: every field of every layer and of
/// the head copied, no buffer shared, and the copy trains on exactly as the original would.
@Suite struct ModelCopyTests {
  /// A trained model with a head, every buffer then filled with distinct values, so a buffer
  /// the copy left out (still zero, or shared) cannot pass for copied.
  static func filledModel() throws -> FFModel {
    let model = try RecipeTrainingTests.hintonModel()
    #expect(try RecipeTrainingTests.train(model, epochs: 2) == .completed)
    var g = Generator(seed: 11, stream: "fill")
    visitMatrices(model) { g.fillNormal($0.elements) }
    return model
  }

  /// Calls `body` on every matrix reachable from `value` through stored properties.
  static func visitMatrices(_ value: Any, _ body: (Matrix) -> Void) {
    if let matrix = value as? Matrix { return body(matrix) }
    for child in Mirror(reflecting: value).children { visitMatrices(child.value, body) }
  }

  /// Walks both values field by field: a matrix must be another object with the same bits, a
  /// class instance another object, a leaf the same value.
  static func expectDeepCopy(_ a: Any, _ b: Any, path: String) {
    if let x = a as? Matrix, let y = b as? Matrix {
      let shared = x === y
      #expect(!shared, "\(path) is shared, not copied")
      #expect(x.rows == y.rows && x.cols == y.cols && x.array.map(\.bitPattern) == y.array.map(\.bitPattern), "\(path) differs")
      return
    }
    let ma = Mirror(reflecting: a), mb = Mirror(reflecting: b)
    if ma.displayStyle == .class {
      let shared = ObjectIdentifier(a as AnyObject) == ObjectIdentifier(b as AnyObject)
      #expect(!shared, "\(path) is shared, not copied")
    }
    let ca = Array(ma.children), cb = Array(mb.children)
    #expect(ca.count == cb.count, "\(path): \(ca.count) fields vs \(cb.count)")
    if ca.isEmpty {
      #expect(String(reflecting: a) == String(reflecting: b), "\(path): \(a) vs \(b)")
      return
    }
    for (i, (x, y)) in zip(ca, cb).enumerated() {
      expectDeepCopy(x.value, y.value, path: path + "." + (x.label ?? String(i)))
    }
  }

  @Test("a copy equals the original in every field of every layer and the head, and shares no buffer")
  func copyIsDeepAndComplete() throws {
    let model = try Self.filledModel()
    #expect(model.head != nil && model.layers.allSatisfy { $0.adamSteps > 0 && !$0.lossHistory.isEmpty })
    let copy = model.copy()
    Self.expectDeepCopy(model, copy, path: "model")
    #expect(copy.storageBytes == model.storageBytes)
    var total = 0
    Self.visitMatrices(model) { total += $0.byteCount }
    #expect(model.storageBytes == total + model.layers.reduce(0) { $0 + 4 * $1.lossHistory.count })
  }

  @Test("training the copy gives the original's numbers bit for bit, and leaves the original alone")
  func copyTrainsOnAlike() throws {
    let model = try RecipeTrainingTests.hintonModel()
    _ = try RecipeTrainingTests.train(model, epochs: 2)
    let copy = model.copy()
    let before = model.layers.flatMap(\.buffers).map { $0.array.map(\.bitPattern) }
    _ = try RecipeTrainingTests.train(copy, epochs: 2)
    #expect(model.layers.flatMap(\.buffers).map { $0.array.map(\.bitPattern) } == before, "the original moved")
    _ = try RecipeTrainingTests.train(model, epochs: 2)
    Self.expectDeepCopy(model, copy, path: "model")
  }
}
