import FFData
import FFKernels
import FFLanguage
import FFRuntime

/// Everything in a `Session` that a later command can read, as one value: what a REPL
/// snapshot keeps so `:undo` and `:back` can put it back.
///
/// Each field is the `Session` property of the same name. `capture()` fills them through the
/// memberwise initializer, so the compiler refuses a field left out; `SnapshotCompletenessTests`
/// fails when `Session` gains a stored property that is neither here nor listed there as not
/// state (a setting, a cache, a measurement), and when `restore` misses a field.
///
/// Copying the value is cheap: every field is a value type sharing its storage until changed,
/// except three references. The model is mutable (training updates it in place), so a snapshot
/// holds its own copy (`SessionSnapshot`). Loaded data sets and training pairs are immutable
/// once made (training and prediction only read their matrices), so snapshots share them.
package struct SessionState {
  var seed: UInt64
  var precision: Precision
  var environment: Environment
  var transform: TransformPipeline
  var transformIsExplicit: Bool
  var datasets: [String: LoadedData]
  var datasetOrder: [String]
  var model: FFModel?
  var hyper: LayerHyperparameters
  var linkedHyperparameters: [String: String]
  var trainingPairs: TrainingPairs?
  var evaluations: [String: Evaluation]
  var errorHistory: [ErrorMeasurement]
  var versions: [StateKey: Int]
  var newestInFamily: [StateKey: StateKey]
  var changes: [StateKey: StateChange]
  var changeCounter: Int
  var provenance: [StateKey: String]
}

extension Session {
  /// The session's state now. The model is the live one (not a copy): a snapshot copies it.
  func capture() -> SessionState {
    SessionState(
      seed: seed, precision: precision, environment: environment, transform: transform, transformIsExplicit: transformIsExplicit,
      datasets: datasets, datasetOrder: datasetOrder, model: model, hyper: hyper,
      linkedHyperparameters: linkedHyperparameters, trainingPairs: trainingPairs, evaluations: evaluations,
      errorHistory: errorHistory, versions: versions, newestInFamily: newestInFamily, changes: changes,
      changeCounter: changeCounter, provenance: provenance)
  }

  /// Puts `state` back, model included as given (the caller hands a copy it may train).
  ///
  /// The change counter never goes back: versions restored are those the cells saw then, and
  /// a change made from here on gets a number no record of the undone timeline holds.
  func restore(_ state: SessionState) {
    seed = state.seed
    precision = state.precision
    environment = state.environment
    transform = state.transform
    transformIsExplicit = state.transformIsExplicit
    datasets = state.datasets
    datasetOrder = state.datasetOrder
    model = state.model
    hyper = state.hyper
    linkedHyperparameters = state.linkedHyperparameters
    trainingPairs = state.trainingPairs
    evaluations = state.evaluations
    errorHistory = state.errorHistory
    versions = state.versions
    newestInFamily = state.newestInFamily
    changes = state.changes
    changeCounter = max(changeCounter, state.changeCounter)
    provenance = state.provenance
  }
}
