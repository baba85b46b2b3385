import Foundation
import FoundationXML
import Testing

/// One parsed XML element: name, attributes and its direct character data.
struct ParsedElement {
  var name: String
  var attributes: [String: String]
  var text: String
}

/// A strict parse of an SVG with Foundation's libxml2-backed `XMLParser`.
///
/// `XMLParser.parse()` returns true for some well-formedness errors (mismatched tags) and only
/// records them in `parserError`, so both are checked.
struct ParsedSVG {
  var elements: [ParsedElement] = []
  var root: ParsedElement? { elements.first }

  init(_ svg: String) throws {
    let collector = Collector()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    let ok = parser.parse()
    if !ok || parser.parserError != nil {
      throw XMLProblem(
        message: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown") at line "
          + "\(parser.lineNumber) column \(parser.columnNumber)")
    }
    elements = collector.finished
  }

  func all(_ name: String) -> [ParsedElement] { elements.filter { $0.name == name } }
  var texts: [String] { all("text").map(\.text) }

  /// The numeric value of a root attribute ("width", "height").
  func rootNumber(_ attribute: String) -> Int? {
    root?.attributes[attribute].flatMap { Int($0) }
  }
}

struct XMLProblem: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

private final class Collector: NSObject, XMLParserDelegate {
  var finished: [ParsedElement] = []
  private var open: [(index: Int, element: ParsedElement)] = []

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    open.append(
      (finished.count, ParsedElement(name: elementName, attributes: attributes, text: "")))
    finished.append(ParsedElement(name: elementName, attributes: attributes, text: ""))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    guard let last = open.last else { return }
    finished[last.index].text += string
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName: String?
  ) {
    _ = open.popLast()
  }
}

/// The points of a `<polyline points="x,y x,y ...">`.
func polylinePoints(_ element: ParsedElement) -> [(x: Double, y: Double)] {
  (element.attributes["points"] ?? "").split(separator: " ").compactMap { pair in
    let xy = pair.split(separator: ",")
    guard xy.count == 2, let x = Double(xy[0]), let y = Double(xy[1]) else { return nil }
    return (x, y)
  }
}
