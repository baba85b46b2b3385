/// A minimal SVG 1.1 writer: elements are appended as text, attribute values and character data
/// are escaped here so no renderer can forget to.
struct SVGDocument {
  let width: Int
  let height: Int
  private var body: [String] = []
  private var definitions: [String] = []

  /// The font stack for all text: DejaVu Sans is what librsvg finds on Debian, the rest are
  /// what browsers have.
  static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

  init(width: Int, height: Int, background: String = "#ffffff") {
    self.width = max(1, width)
    self.height = max(1, height)
    rect(x: 0, y: 0, width: Double(self.width), height: Double(self.height), fill: background)
  }

  /// Appends `<name attr="value" ...>content</name>`, or a self-closing tag without content.
  mutating func element(
    _ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil
  ) {
    body.append(Self.tag(name, attributes, text: text))
  }

  mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String,
    stroke: String? = nil, strokeWidth: Double = 1, extra: KeyValuePairs<String, String> = [:]
  ) {
    var attrs: [(String, String)] = [
      ("x", PlotNumber.svg(x)), ("y", PlotNumber.svg(y)),
      ("width", PlotNumber.svg(max(0, width))), ("height", PlotNumber.svg(max(0, height))),
      ("fill", fill),
    ]
    if let stroke {
      attrs.append(("stroke", stroke))
      attrs.append(("stroke-width", PlotNumber.svg(strokeWidth)))
    }
    attrs.append(contentsOf: extra.map { ($0.key, $0.value) })
    body.append(Self.tag("rect", attrs, text: nil))
  }

  mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
    extra: KeyValuePairs<String, String> = [:]
  ) {
    var attrs: [(String, String)] = [
      ("x1", PlotNumber.svg(x1)), ("y1", PlotNumber.svg(y1)),
      ("x2", PlotNumber.svg(x2)), ("y2", PlotNumber.svg(y2)),
      ("stroke", stroke), ("stroke-width", PlotNumber.svg(width)),
    ]
    attrs.append(contentsOf: extra.map { ($0.key, $0.value) })
    body.append(Self.tag("line", attrs, text: nil))
  }

  /// Text anchored at (x, y) on its baseline; `rotate` turns it about the anchor (degrees).
  mutating func text(
    _ content: String, x: Double, y: Double, size: Double, anchor: String = "start",
    fill: String = "#222222", weight: String? = nil, rotate: Double? = nil
  ) {
    var attrs: [(String, String)] = [
      ("x", PlotNumber.svg(x)), ("y", PlotNumber.svg(y)),
      ("font-family", Self.fontFamily), ("font-size", PlotNumber.svg(size)),
      ("fill", fill), ("text-anchor", anchor),
    ]
    if let weight { attrs.append(("font-weight", weight)) }
    if let rotate {
      attrs.append(
        ("transform", "rotate(\(PlotNumber.svg(rotate)) \(PlotNumber.svg(x)) \(PlotNumber.svg(y)))")
      )
    }
    body.append(Self.tag("text", attrs, text: content))
  }

  mutating func polyline(points: [(x: Double, y: Double)], stroke: String, width: Double) {
    let list = points.map { "\(PlotNumber.svg($0.x)),\(PlotNumber.svg($0.y))" }
      .joined(separator: " ")
    body.append(
      Self.tag(
        "polyline",
        [
          ("points", list), ("fill", "none"), ("stroke", stroke),
          ("stroke-width", PlotNumber.svg(width)), ("stroke-linejoin", "round"),
          ("stroke-linecap", "round"),
        ], text: nil))
  }

  mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
    body.append(
      Self.tag(
        "circle",
        [
          ("cx", PlotNumber.svg(x)), ("cy", PlotNumber.svg(y)), ("r", PlotNumber.svg(radius)),
          ("fill", fill),
        ], text: nil))
  }

  /// Adds a raw element (already built with `tag`) to `<defs>`, e.g. a gradient.
  mutating func define(_ markup: String) { definitions.append(markup) }

  /// Opens and closes a group around what `build` appends (e.g. a clip or a shared style).
  mutating func group(_ attributes: [(String, String)], _ build: (inout SVGDocument) -> Void) {
    body.append("<g" + Self.attributeText(attributes) + ">")
    build(&self)
    body.append("</g>")
  }

  /// The finished standalone document.
  var rendered: String {
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(width)\" "
    out += "height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
    if !definitions.isEmpty {
      out += "<defs>\n" + definitions.joined(separator: "\n") + "\n</defs>\n"
    }
    out += body.joined(separator: "\n")
    out += "\n</svg>\n"
    return out
  }

  static func tag<Attributes: Sequence>(_ name: String, _ attributes: Attributes, text: String?)
    -> String where Attributes.Element == (String, String)
  {
    let attrs = attributeText(Array(attributes))
    guard let text else { return "<\(name)\(attrs)/>" }
    return "<\(name)\(attrs)>\(PlotText.xmlEscaped(text))</\(name)>"
  }

  static func tag(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String?)
    -> String
  {
    tag(name, attributes.map { ($0.key, $0.value) }, text: text)
  }

  private static func attributeText(_ attributes: [(String, String)]) -> String {
    attributes.map { " \($0.0)=\"\(PlotText.xmlEscaped($0.1))\"" }.joined()
  }

  /// A rough width of `text` at `size` px in DejaVu Sans (about 0.6 em per character); used to
  /// reserve margins, never to position glyphs exactly.
  static func estimatedWidth(_ text: String, size: Double) -> Double {
    Double(PlotText.displayWidth(text)) * size * 0.62
  }
}
