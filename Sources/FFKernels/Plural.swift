/// A count with its noun in the right number: "1 layer", "2 layers", "0 cells". Every message
/// that counts something says it through here, so none reads "1 layers".
///
/// It lives in FFKernels, the module every module that prints counts (FFData, FFRuntime,
/// FFNotebook, FFREPL, ffnb) already builds on.
public enum Plural {
  /// "1 layer", "3 layers"; `number` replaces the digits ("354,100 parameters"), `plural`
  /// names an irregular plural ("1 batch", "2 batches").
  public static func count(_ n: Int, _ singular: String, plural: String? = nil, number: String? = nil) -> String {
    (number ?? String(n)) + " " + noun(n, singular, plural: plural)
  }

  /// The noun alone in the number `n` asks for: `singular` for 1 (and -1), else the plural
  /// (`singular + "s"` unless given).
  public static func noun(_ n: Int, _ singular: String, plural: String? = nil) -> String {
    abs(n) == 1 ? singular : plural ?? singular + "s"
  }
}
