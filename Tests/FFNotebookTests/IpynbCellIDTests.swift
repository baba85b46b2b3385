import FFLanguage
import Testing

@testable import FFNotebook

@Suite struct IpynbCellIDTests {
  @Test func cellIDsAreValidUniqueAndStable() {
    let cells = [
      Cell(index: 1, kind: .markdown, source: "", firstLine: 1),
      Cell(index: 2, kind: .code, name: "data", source: "", firstLine: 2),
      Cell(index: 3, kind: .code, name: "données-été", source: "", firstLine: 3),
      Cell(index: 4, kind: .code, name: String(repeating: "n", count: 100), source: "", firstLine: 4),
      Cell(index: 5, kind: .code, name: "injected-parameters", source: "", firstLine: 5),
      Cell(index: 6, kind: .code, name: "data", source: "", firstLine: 6),
    ]
    let ids = cells.map(IpynbCellID.id(for:)) + [IpynbCellID.injectedParameters(after: 5)]
    #expect(ids.prefix(3) == ["cell-1", "cell-2-data", "cell-3-donn_es-_t_"])
    #expect(ids.allSatisfy(IpynbCellID.isValid), "\(ids)")
    #expect(Set(ids).count == ids.count, "\(ids)")
    #expect(ids[3].count == IpynbCellID.maximumLength)
    #expect(cells.map(IpynbCellID.id(for:)) == ids.dropLast().map { $0 })
  }
}
