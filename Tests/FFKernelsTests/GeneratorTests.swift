import Testing
@testable import FFKernels

@Suite struct GeneratorTests {
  @Test func sameSeedAndStreamGiveTheSameSequence() {
    var a = Generator(seed: 42, stream: "init"), b = Generator(seed: 42, stream: "init")
    #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
  }

  @Test func streamsAndSeedsAreIndependent() {
    var a = Generator(seed: 42, stream: "init"), b = Generator(seed: 42, stream: "negatives"), c = Generator(seed: 43, stream: "init")
    let xa = (0..<8).map { _ in a.next() }, xb = (0..<8).map { _ in b.next() }, xc = (0..<8).map { _ in c.next() }
    #expect(xa != xb && xa != xc)
  }

  /// xoshiro256** reference: with state words 1, 2, 3, 4 the first outputs are
  /// 11520, 0, 1509978240, 1215971899390074240 (the published test vector).
  @Test func xoshiroMatchesItsReferenceVector() {
    var g = Generator(state: (1, 2, 3, 4))
    #expect([g.next(), g.next(), g.next(), g.next()] == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
  }

  @Test func normalSamplesHaveUnitMomentsAndUniformIntsAreUnbiased() {
    var g = Generator(seed: 7)
    let n = 200_000
    var sum = 0.0, sumSquares = 0.0
    for _ in 0..<n { let x = Double(g.nextNormal()); sum += x; sumSquares += x * x }
    let mean = sum / Double(n), variance = sumSquares / Double(n) - mean * mean
    #expect(abs(mean) < 0.01)
    #expect(abs(variance - 1) < 0.02)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 { counts[g.nextInt(below: 7)] += 1 }
    #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
  }

  @Test func permutationIsAPermutation() {
    var g = Generator(seed: 3)
    let p = g.permutation(1000)
    #expect(p.sorted() == Array(0..<1000))
    #expect(p != Array(0..<1000))
    #expect(g.permutation(0).isEmpty && g.permutation(1) == [0])
  }
}
