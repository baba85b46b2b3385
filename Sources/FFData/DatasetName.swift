/// The datasets ffnb knows: the seed notebook's `torchvision.datasets.MNIST`, and Fashion-MNIST,
/// which has the same shape (28x28 bytes, 10 classes, 60000 + 10000) and is a drop-in swap.
public enum DatasetName: String, Sendable, CaseIterable, CustomStringConvertible {
  case mnist
  case fashionMNIST = "fashion-mnist"

  /// Folder under the data directory (`data/mnist`, `data/fashion-mnist`), as `scripts/fetch-data` writes it.
  public var directoryName: String { rawValue }

  /// Folder torchvision downloads into under its `root` (`MNIST/raw`, `FashionMNIST/raw`), also accepted.
  public var torchvisionDirectory: String {
    switch self {
    case .mnist: "MNIST/raw"
    case .fashionMNIST: "FashionMNIST/raw"
    }
  }

  /// Number of classes; every label is below it.
  public var classCount: Int { 10 }

  /// Image side length in pixels; both datasets are 28x28.
  public var imageSide: Int { 28 }

  /// Human names of the classes, index = label (Xiao et al. 2017 for Fashion-MNIST).
  public var classNames: [String] {
    switch self {
    case .mnist: (0..<10).map(String.init)
    case .fashionMNIST:
      ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    }
  }

  /// The name a notebook writes (`MNIST`, `FashionMNIST`), as torchvision spells the class.
  public var torchvisionName: String {
    switch self {
    case .mnist: "MNIST"
    case .fashionMNIST: "FashionMNIST"
    }
  }

  public var description: String { rawValue }
}

/// Which half of a dataset: the seed's `train=True` (60000 images) or `train=False` (10000).
public enum Split: String, Sendable, CaseIterable, CustomStringConvertible {
  case train
  case test

  /// File-name stem: `train-…` or `t10k-…`.
  public var fileStem: String {
    switch self {
    case .train: "train"
    case .test: "t10k"
    }
  }

  /// Images file name, e.g. `train-images-idx3-ubyte`.
  public var imagesFileName: String { "\(fileStem)-images-idx3-ubyte" }
  /// Labels file name, e.g. `train-labels-idx1-ubyte`.
  public var labelsFileName: String { "\(fileStem)-labels-idx1-ubyte" }

  public var description: String { rawValue }
}
