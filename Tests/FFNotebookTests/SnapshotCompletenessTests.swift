import FFKernels
import FFLanguage
import FFRuntime
import FFTestSupport
import Foundation
import Testing

@testable import FFNotebook

/// Snapshots hold the whole session: every piece of `Session` a later command can read is in
/// `SessionState`, `restore` puts every piece back, and what snapshots share by reference
/// (loaded data, training pairs) is never changed once made.
@Suite struct SnapshotCompletenessTests {
  /// The stored properties of `Session` that are not state, and why. A new stored property
  /// must go into `SessionState` or here, with its reason.
  static let notState: [String: String] = [
    "baseDirectory": "where the notebook is: fixed for the session",
    "shouldStop": "how Ctrl-C is polled: a setting of the REPL",
    "precisionNoted": "whether a note was printed once: about the terminal, not the state",
    "rawCache": "files read from disk: a cache, never changed by a command",
    "secondsPerEpoch": "a measurement of the machine, for cost estimates: still true after an undo",
  ]

  /// The stored properties of `NotebookRunner`, and how a rewind treats each.
  static let runnerProperties: [String: String] = [
    "notebook": "the document: edits are not units, an undo keeps them",
    "interpreter": "holds the session (restored)",
    "records": "kept; the cells whose runs are undone are marked stale (`rewound`)",
    "overrides": "the command line's -p values",
    "overridesByCell": "the command line's -p values",
    "executionCounter": "monotonic, as Jupyter's: counts stay unique",
    "printsMarkdown": "a setting",
    "log": "the session record: cut back to what the snapshot had",
    "typedCount": "monotonic: a typed line's unit key (and its random streams) is never reused",
  ]

  static func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }

  @Test("every stored property of Session is in SessionState or listed as not state")
  func sessionStateIsComplete() {
    let session = Session()
    let stateLabels = Set(Self.labels(session.capture()))
    for label in Self.labels(session) {
      #expect(stateLabels.contains(label) || Self.notState[label] != nil,
              "Session.\(label) is neither snapshotted (SessionState) nor listed as not state")
      #expect(!(stateLabels.contains(label) && Self.notState[label] != nil), "Session.\(label) is listed twice")
    }
    #expect(stateLabels.isSubset(of: Set(Self.labels(session))), "SessionState has a field Session does not")
  }

  @Test("every stored property of NotebookRunner is accounted for by the rewind")
  func runnerPropertiesAreAccountedFor() throws {
    let (runner, _) = try tinyRunner()
    #expect(Set(Self.labels(runner)) == Set(Self.runnerProperties.keys))
  }

  /// A field's value as far as a restore is concerned: class instances by identity.
  static func identity(_ value: Any) -> String {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
      return mirror.children.first.map { identity($0.value) } ?? "nil"
    }
    if mirror.displayStyle == .class { return "\(ObjectIdentifier(value as AnyObject))" }
    return String(reflecting: value)
  }

  @Test("restore puts back every field: a fresh session's state over one that ran everything")
  func restoreIsComplete() throws {
    let (runner, _) = try tinyRunner(RecipeNotebookTests.hintonNotebook)
    // With a replay cache, so the provenance it keys reads by is filled too.
    let cacheFolder = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-restore-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: cacheFolder) }
    runner.interpreter.cache = ResultCache(folder: cacheFolder, environment: "tests", report: { _ in })
    let fresh = runner.session.capture()
    #expect(runner.runAll() == nil)
    for line in ["set lr = 0.1", "build [784, 10, 10] recipe=hinton lr=lr epochs=2", "learn schedule=greedy negatives=wrong",
                 "learn batch=10 eval=validation eval_every=1", "seed 3", "precision bf16", "predict train"] {
      #expect(runner.runTyped(line).error == nil, "\(line)")
    }
    let busy = runner.session.capture()
    let freshFields = Mirror(reflecting: fresh).children, busyFields = Mirror(reflecting: busy).children
    for (a, b) in zip(freshFields, busyFields) where a.label != "changeCounter" {
      #expect(Self.identity(a.value) != Self.identity(b.value), "\(a.label ?? "?") is the same in both states: the test would not see it restored")
    }
    runner.session.restore(fresh)
    for (a, b) in zip(freshFields, Mirror(reflecting: runner.session.capture()).children) {
      if a.label == "changeCounter" {
        #expect(b.value as? Int == busy.changeCounter, "the change counter never goes back")
      } else {
        #expect(Self.identity(a.value) == Self.identity(b.value), "\(a.label ?? "?") was not restored")
      }
    }
  }

  /// Every bit of a matrix.
  static func bits(_ m: Matrix) -> [UInt32] { m.array.map(\.bitPattern) }

  @Test("loaded data and training pairs are never changed by training or prediction: snapshots share them")
  func dataIsImmutable() throws {
    let (runner, _) = try tinyRunner()
    #expect(runner.runAll() == nil)
    let session = runner.session
    let data = session.datasetOrder.compactMap { session.datasets[$0] }
    let before = data.map { Self.bits($0.batch.features) }
    let pairs = try #require(session.trainingPairs)
    let pairBits = [Self.bits(pairs.positive), Self.bits(pairs.negative)]
    for line in ["learn epochs=2", "learn schedule=together batch=10 epochs=2 shift=1", "learn layer=2 epochs=1 batch=8",
                 "predict train layers=true", "predict test confusion=true"] {
      #expect(runner.runTyped(line).error == nil, "\(line)")
    }
    #expect(data.map { Self.bits($0.batch.features) } == before)
    #expect([Self.bits(pairs.positive), Self.bits(pairs.negative)] == pairBits)
    let same = session.datasets["train"].map { ObjectIdentifier($0.batch.features) } == data.first.map { ObjectIdentifier($0.batch.features) }
    #expect(same, "the same object, not a copy")
  }
}
