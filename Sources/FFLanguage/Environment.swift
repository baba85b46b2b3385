/// The variables a notebook has defined with `set` (and any the interpreter predefines).
///
/// It also keeps each variable's `ValueMeasure`, so that building a value from variables
/// (`set t = [s]`) checks the value limits in constant time instead of walking `s` again on
/// every statement: a thousand lines that each wrap a big variable would otherwise cost a
/// thousand walks of it. The measures are a cache: equality and hashing look at the variables
/// only.
public struct Environment: Sendable, Hashable {
  public private(set) var variables: [String: Value]
  /// The measure of each variable's value.
  private var measures: [String: ValueMeasure] = [:]
  /// The children of each variable's value by storage, with how many variables hold that
  /// storage: a value built from variables finds their parts here without walking them. An
  /// entry lives exactly as long as a variable holds its storage, so its address cannot be
  /// reused while it is here.
  private var storage: [StorageID: (children: ValueMeasure.Children, holders: Int)] = [:]

  public init(variables: [String: Value] = [:]) {
    self.variables = [:]
    for (name, value) in variables { self[name] = value }
  }

  public subscript(name: String) -> Value? {
    get { variables[name] }
    set {
      let old = variables[name]
      if let newValue {
        var memo: [StorageID: ValueMeasure.Children] = [:]
        let measure = newValue.measure(memo: &memo) { storage[$0]?.children }
        // Registered before the old value lets go, so storage shared by both stays known.
        if let id = StorageID(childrenOf: newValue), let children = memo[id] ?? storage[id]?.children {
          storage[id] = (children, (storage[id]?.holders ?? 0) + 1)
        }
        measures[name] = measure
      } else {
        measures[name] = nil
      }
      if let old, let id = StorageID(childrenOf: old), let entry = storage[id] {
        storage[id] = entry.holders > 1 ? (entry.children, entry.holders - 1) : nil
      }
      variables[name] = newValue
    }
  }

  /// The measure of a variable's value, without walking it.
  public func measure(of name: String) -> ValueMeasure? { measures[name] }

  /// Variable names sorted, for suggestions and `show vars`.
  public var names: [String] { variables.keys.sorted() }

  public static func == (lhs: Environment, rhs: Environment) -> Bool { lhs.variables == rhs.variables }
  public func hash(into hasher: inout Hasher) { hasher.combine(variables) }
}
