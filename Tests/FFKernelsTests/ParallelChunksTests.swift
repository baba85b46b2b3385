import RealModule
import Synchronization
import Testing

@testable import FFKernels

/// Elementwise passes split over threads must cover every element exactly once, whatever the
/// count and thread count, and give what one pass gives.
@Suite struct ParallelChunksTests {
  @Test(arguments: [0, 1, 15, 65_535, 65_536, 131_071, 131_072, 131_073, 1_000_003])
  func everyElementIsVisitedOnce(count: Int) {
    for threads in [0, 1, 2, 3, 8] {
      let visits = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(count, 1))
      defer { visits.deallocate() }
      visits.initialize(repeating: 0)
      let calls = Atomic<Int>(0)
      ParallelChunks.run(count: count, threads: threads) { range in
        calls.add(1, ordering: .relaxed)
        for i in range { visits[i] += 1 }
      }
      #expect((0..<count).allSatisfy { visits[$0] == 1 }, "count \(count), threads \(threads)")
      // Small counts stay on the caller in one call; large ones use at most `threads` chunks.
      let expected = max(1, min(max(threads, 1), count / ParallelChunks.minimumPerThread))
      #expect(calls.load(ordering: .relaxed) <= expected)
    }
  }

  /// A non-finite value anywhere in a large buffer (each chunk's start, middle and end) is
  /// found, as it is in a small one.
  @Test func allFiniteFindsAnyNonFiniteValue() {
    let n = 3 * ParallelChunks.minimumPerThread + 7
    var x = [Float](repeating: 1.5, count: n)
    #expect(x.withUnsafeBufferPointer { Elementwise.allFinite($0) })
    for index in [0, n / 2 - 1, n / 2, n / 2 + 1, n - 1] {
      for bad in [Float.nan, .infinity, -.infinity] {
        x[index] = bad
        #expect(!x.withUnsafeBufferPointer { Elementwise.allFinite($0) }, "\(bad) at \(index)")
        x[index] = 1.5
      }
    }
  }

  /// The smoothed step split over threads equals the same arithmetic in one plain loop, bit
  /// for bit, with and without decay and with the gradients' prescaling.
  @Test(arguments: [Float(0), 0.001])
  func smoothedStepEqualsOnePass(decay: Float) {
    let n = 2 * ParallelChunks.minimumPerThread + 5
    var g = Generator(seed: 3, stream: "smoothed")
    var p = [Float](repeating: 0, count: n), grad = [Float](repeating: 0, count: n)
    p.withUnsafeMutableBufferPointer { g.fillNormal($0) }
    grad.withUnsafeMutableBufferPointer { g.fillNormal($0) }
    var expectedP = p, expectedG = grad
    for i in 0..<n {
      let gi = expectedG[i]
      expectedP[i] -= 0.01 * (decay == 0 ? gi : Relaxed.multiplyAdd(decay, expectedP[i], gi))
      expectedG[i] = 0.9 * gi
    }
    var plainP = p
    plainP.withUnsafeMutableBufferPointer { pp in
      grad.withUnsafeBufferPointer { Elementwise.smoothedStep(parameters: pp.baseAddress!, gradients: $0.baseAddress!, count: n, rate: 0.01, decay: decay) }
    }
    p.withUnsafeMutableBufferPointer { pp in
      grad.withUnsafeMutableBufferPointer {
        Elementwise.smoothedStep(parameters: pp.baseAddress!, gradients: $0.baseAddress!, count: n, rate: 0.01, decay: decay,
                                 thenScalingGradientsBy: 0.9)
      }
    }
    #expect(p.map(\.bitPattern) == expectedP.map(\.bitPattern))
    #expect(plainP.map(\.bitPattern) == expectedP.map(\.bitPattern))
    #expect(grad.map(\.bitPattern) == expectedG.map(\.bitPattern))
  }
}
