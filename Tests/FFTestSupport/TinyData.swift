import Foundation

/// A tiny MNIST-shaped data set written as IDX files (60 training and 20 test images, each a
/// bar whose row depends on the label, with seeded noise), and helpers to run notebooks
/// against it in process: the session, interpreter and runner without the release binary.
public enum TinyData {
  /// The folder holding `mnist/` with the four IDX files; made once per test process.
  public static let root: URL = {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-tiny-\(getpid())", isDirectory: true)
    let folder = root.appendingPathComponent("mnist", isDirectory: true)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var state: UInt64 = 12345
    func next() -> UInt8 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
    for (split, count) in [("train", 60), ("t10k", 20)] {
      var images: [UInt8] = []
      var labels: [UInt8] = []
      for i in 0..<count {
        let label = UInt8(i % 10)
        labels.append(label)
        for row in 0..<28 {
          for col in 0..<28 {
            let bar = row == 3 + 2 * Int(label) && col > 3 && col < 24
            images.append(bar ? 250 : (next() < 20 ? next() / 2 : 0))
          }
        }
      }
      write(magic: 0x0000_0803, dimensions: [UInt32(count), 28, 28], body: images, to: folder.appendingPathComponent("\(split)-images-idx3-ubyte"))
      write(magic: 0x0000_0801, dimensions: [UInt32(count)], body: labels, to: folder.appendingPathComponent("\(split)-labels-idx1-ubyte"))
    }
    return root
  }()

  private static func write(magic: UInt32, dimensions: [UInt32], body: [UInt8], to url: URL) {
    var bytes: [UInt8] = []
    for word in [magic] + dimensions {
      bytes += [UInt8(word >> 24), UInt8((word >> 16) & 0xff), UInt8((word >> 8) & 0xff), UInt8(word & 0xff)]
    }
    try? Data(bytes + body).write(to: url)
  }

  /// A small FF notebook over the tiny data, in the shape of `notebooks/quickstart.ffnb`.
  public static var notebookText: String {
    """
    %% markdown
    # Tiny

    %% code parameters [parameters]
    set epochs = 4
    set lr = 0.05
    set dims = [784, 20, 10]

    %% code data
    seed 0
    transform to-tensor | normalize(mean=0.1, std=0.1) | flatten
    load mnist train batch=40 root="\(root.path)"
    load mnist test batch=20 root="\(root.path)"

    %% code model
    build dims=dims epochs=epochs lr=lr threshold=2

    %% code learn
    learn every=2

    %% code evaluate
    predict train
    predict test
    """
  }
}

