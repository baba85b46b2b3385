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

  /// 1386700 -> "1,386,700": digits grouped by thousands, as counts in messages are written.
  public static func grouped(_ n: Int) -> String {
    let digits = Array(String(n.magnitude))
    var out = n < 0 ? "-" : ""
    for (i, digit) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return out
  }
}
