/// The variables a notebook has defined with `set` (and any the interpreter predefines).
public struct Environment: Sendable, Hashable {
  public var variables: [String: Value]

  public init(variables: [String: Value] = [:]) {
    self.variables = variables
  }

  public subscript(name: String) -> Value? {
    get { variables[name] }
    set { variables[name] = newValue }
  }

  /// Variable names sorted, for suggestions and `show vars`.
  public var names: [String] { variables.keys.sorted() }
}
