import FFNotebook
import Testing

@testable import FFJupyter

@Suite struct WireFormatTests {
  let wire = WireFormat(signer: MessageSigner(key: Array("key".utf8)))

  func request(_ type: String, content: String = "{}") -> [[UInt8]] {
    let header = #"{"msg_id":"m1","msg_type":"\#(type)","session":"s","username":"u","date":"","version":"5.3"}"#
    let json = [header, "{}", "{}", content].map { Array($0.utf8) }
    return [Array("client".utf8), Message.delimiter, Array(wire.signer.signature(json).utf8)] + json
  }

  @Test func decodesASignedRequestWithItsRoute() throws {
    let message = try wire.decode(request("execute_request", content: #"{"code":"print 1"}"#))
    #expect(message.identities == [Array("client".utf8)])
    #expect(message.header.type == "execute_request" && message.header.id == "m1")
    #expect(message.content["code"]?.stringValue == "print 1")
  }

  @Test func aReplyIsSignedAndReadsBack() throws {
    let parent = try wire.decode(request("kernel_info_request"))
    let frames = wire.encode(type: "kernel_info_reply", session: "k", parent: parent.headerJSON,
                             content: .object(["status": .string("ok")]), identities: parent.identities)
    let back = try wire.decode(frames)
    #expect(back.header.type == "kernel_info_reply" && back.header.version == protocolVersion)
    #expect(back.parentHeader["msg_id"]?.stringValue == "m1")
    #expect(back.identities == parent.identities)
  }

  @Test func refusesAForgedOrBrokenMessage() {
    var forged = request("execute_request", content: #"{"code":"print 1"}"#)
    forged[6] = Array(#"{"code":"print 2"}"#.utf8)
    #expect(throws: WireError.self) { try wire.decode(forged) }
    do { _ = try wire.decode(forged) } catch { #expect(error.description == "the signature does not match the connection file's key") }
    do { _ = try wire.decode([Array("x".utf8)]) } catch { #expect(error.description == "no <IDS|MSG> delimiter frame") }
    do { _ = try wire.decode([Message.delimiter, []]) } catch {
      #expect(error.description == "1 frames after the delimiter; a message needs a signature and four JSON frames")
    }
    do { _ = try wire.decode(request("execute_request", content: "[1]")) } catch {
      guard case .invalidContent(let partial, _) = error else { Issue.record("\(error)"); return }
      #expect(partial.header.type == "execute_request", "the header is kept so the sender can be answered")
    }
  }
}

@Suite struct KernelSessionTests {
  let session = KernelSession()

  @Test func completenessFollowsOpenBrackets() {
    #expect(session.completeness(of: "set dims = [784,") == .incomplete)
    #expect(session.completeness(of: "set dims = [784,\n 500]") == .complete)
    #expect(session.completeness(of: "set = 1") == .invalid)
    #expect(session.completeness(of: "") == .complete)
  }

  @Test func inspectShowsTheHelpOfTheWordOrTheLinesCommand() {
    #expect(session.inspect("learn", cursor: 2)?.hasPrefix("learn: ") == true)
    #expect(session.inspect("load mnist train", cursor: 12)?.hasPrefix("load: ") == true)
    #expect(session.inspect("x | normalize(mean=0.1)", cursor: 8)?.hasPrefix("normalize") == true)
    #expect(session.inspect("nothing here", cursor: 3) == nil)
  }

  @Test func completionCountsScalarsOnTheCursorsLine() {
    let (matches, start, end) = session.complete("print \"é\"\nlea", cursor: 13)
    #expect(matches == ["learn"])
    #expect(start == 10 && end == 13)
  }

  @Test func executeRunsInOnePersistentSessionAndCountsStoredRuns() {
    var shown: [OutputItem] = []
    let first = session.execute("set n = 20", storeHistory: true) { shown.append($0) }
    let second = session.execute("print n + 1", storeHistory: true) { shown.append($0) }
    let quiet = session.execute("print n", storeHistory: false) { shown.append($0) }
    #expect((first.count, second.count, quiet.count) == (1, 2, 2))
    #expect(shown == [.text("21\n"), .text("20\n")])
    #expect(session.history.map(\.input) == ["set n = 20", "print n + 1"])
    let failed = session.execute("print m", storeHistory: true) { _ in }
    #expect(failed.failure?.name == "FFNBError")
    #expect(failed.failure?.traceback.last?.contains("^") == true, "the caret under the failing word")
  }
}

@Suite struct HistoryAndUnitTests {
  let history = (1...5).map { HistoryEntry(line: $0, input: $0 % 2 == 0 ? "print \($0)" : "set x = \($0)", output: "") }

  @Test func queriesSelectAsIPythonDoes() {
    #expect(HistoryQuery.tail(n: 2).select(from: history).map(\.line) == [4, 5])
    #expect(HistoryQuery.range(session: 1, start: 2, stop: 4).select(from: history).map(\.line) == [2, 3])
    #expect(HistoryQuery.range(session: 7, start: 1, stop: nil).select(from: history).isEmpty)
    #expect(HistoryQuery.search(pattern: "print ?", n: nil, unique: false).select(from: history).map(\.line) == [2, 4])
    #expect(HistoryQuery.search(pattern: "set*", n: 1, unique: false).select(from: history).map(\.line) == [5])
  }

  @Test func globsMatchWholeInputs() {
    #expect(Glob.matches("a*c", "abbbc") && Glob.matches("*", "") && Glob.matches("a?c", "abc"))
    #expect(!Glob.matches("a*c", "abcd") && !Glob.matches("?", "") && !Glob.matches("b*", "abc"))
    #expect(!Glob.matches(String(repeating: "*a", count: 30) + "b", String(repeating: "a", count: 200)))
  }

  @Test func exportedCellIdsNameTheUnitsFFNBRunUses() {
    #expect(CellUnit.unit(cellID: "cell-3-data", request: 9).key == "data")
    #expect(CellUnit.unit(cellID: "cell-4", request: 9).key == "cell-4")
    #expect(CellUnit.unit(cellID: "7f3a-uuid", request: 9).key == "jupyter-7f3a-uuid")
    #expect(CellUnit.unit(cellID: nil, request: 9).key == "typed-9")
    // The identity line an exported cell starts with names it for clients that send no id.
    #expect(CellUnit.unit(cellID: nil, request: 9, source: "#| name: data\nload mnist train").key == "data")
    #expect(CellUnit.unit(cellID: nil, request: 9, source: "#| cell: 4\nlearn").key == "cell-4")
    #expect(CellUnit.unit(cellID: "cell-4", request: 9, source: "#| name: renamed\nlearn").key == "renamed")
    #expect(CellUnit.unit(cellID: nil, request: 9, source: "#| name: two words\nlearn").key == "typed-9")
    #expect(CellUnit.unit(cellID: nil, request: 9, source: "# name: data\nlearn").key == "typed-9")
    #expect(CellUnit.exported("cell-") == nil && CellUnit.exported("cell-0") == nil && CellUnit.exported("cell-2-") == nil)
  }
}

@Suite struct KernelSpecTests {
  @Test func goesWhereJupyterLooks() {
    #expect(KernelSpec.dataDirectory(prefix: "/opt/env") == "/opt/env/share/jupyter")
    #expect(KernelSpec.dataDirectory(prefix: nil, environment: ["JUPYTER_DATA_DIR": "/j", "XDG_DATA_HOME": "/x", "HOME": "/h"]) == "/j")
    #expect(KernelSpec.dataDirectory(prefix: nil, environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]) == "/x/jupyter")
    #expect(KernelSpec.dataDirectory(prefix: nil, environment: ["HOME": "/h"]) == "/h/.local/share/jupyter")
  }

  @Test func startsThisBinaryWithTheConnectionFile() {
    let json = KernelSpec(executable: "/usr/local/bin/ffnb").json
    #expect(json["argv"] == .array(["/usr/local/bin/ffnb", "kernel", "-f", "{connection_file}"].map(JSONValue.string)))
    #expect(json["language"]?.stringValue == "ffnb" && json["interrupt_mode"]?.stringValue == "message")
  }
}
