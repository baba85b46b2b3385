import FFData
import FFLanguage
import FFTestSupport
import Foundation
import Testing

@testable import FFNotebook

/// Commands that used to give a wrong answer or blame the wrong thing now stop with an error
/// naming the real problem.
@Suite struct MisleadingResultTests {
  func run(_ code: String) -> (output: String, failed: Int?) {
    let captured = Captured()
    let console = Console { captured.text += $0 }
    let (notebook, _) = Notebook.parse(text: "%% code\n" + code, path: "m.ffnb")
    let runner = try! NotebookRunner(notebook: notebook, session: Session(), console: console)
    let failed = runner.runAll()
    return (captured.text, failed)
  }

  @Test("predict skip_first=true on a one-layer model is an error, not all zeros")
  func skipFirstOnOneLayer() {
    let root = TinyData.root.path
    let (output, failed) = run("""
      seed 0
      load mnist test batch=20 root="\(root)"
      build [784, 10] epochs=1
      learn data=test
      predict test skip_first=true
      """)
    #expect(failed == 1, "\(output)")
    #expect(output.contains("m.ffnb:6:25: error: skip_first=true leaves out layer 1, and this model has only 1 layer"), "\(output)")
    #expect(!output.contains("test accuracy"))
    // Two layers: fine.
    let two = run("""
      seed 0
      load mnist test batch=20 root="\(root)"
      build [784, 10, 10] epochs=1
      learn data=test
      predict test skip_first=true
      """)
    #expect(two.failed == nil, "\(two.output)")
    #expect(two.output.contains("test accuracy: "))
  }

  @Test("a transform that makes the data non-finite fails the load and names the step")
  func nonFiniteTransform() {
    let (output, failed) = run("""
      transform to-tensor | normalize(mean=0.1, std=1e-45) | flatten
      load mnist train batch=40 root="\(TinyData.root.path)"
      build [784, 10] epochs=1
      learn
      """)
    #expect(failed == 1, "\(output)")
    #expect(output.contains("m.ffnb:3:1: error: the transform makes the data non-finite: step 2 of 3, Normalize((0.1,), (1e-45,)), turns pixel value "), "\(output)")
    #expect(output.contains(", in 31,360 of 31,360 values; training on them would only report a non-finite loss"), "\(output)")
    #expect(!output.contains("Loss"))
    #expect(!output.contains("smaller lr"))
  }

  @Test("only the bytes the batch holds count")
  func onlyUsedBytesCount() throws {
    // Without to-tensor, x / 1e-37 overflows for bytes from 4 up, not for 0 to 3.
    let pipeline = try TransformPipeline([.normalize(mean: 0, std: 1e-37)])
    let images = RawImages(count: 2, rows: 1, cols: 3, pixels: [0, 1, 3, 0, 200, 2])
    #expect(pipeline.nonFiniteData(in: images, rows: [0]) == nil)
    let bad = try #require(pipeline.nonFiniteData(in: images, rows: [0, 1]))
    #expect(bad.count == 1 && bad.total == 6 && bad.byte == 200 && bad.step == 1 && bad.after == .infinity)
    #expect(TransformPipeline.seed.nonFiniteData(in: images, rows: [0, 1]) == nil)
  }
}
