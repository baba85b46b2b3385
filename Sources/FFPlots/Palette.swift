/// Series colours, one per series in order, cycling after ten.
enum Palette {
  /// matplotlib's "tab10": distinct for most forms of colour blindness and familiar to anyone
  /// who has looked at the seed notebook's PyTorch plots.
  static let tab10 = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  ]

  /// ANSI 256-colour indices closest to tab10, in the same order, for terminal charts.
  static let ansi256 = [33, 208, 34, 160, 98, 130, 169, 244, 142, 37]

  static func svg(_ index: Int) -> String { tab10[index % tab10.count] }

  /// The SGR sequence that sets the foreground to series `index`'s colour.
  static func ansiForeground(_ index: Int) -> String {
    "\u{1B}[38;5;\(ansi256[index % ansi256.count])m"
  }

  static let ansiReset = "\u{1B}[0m"
}
