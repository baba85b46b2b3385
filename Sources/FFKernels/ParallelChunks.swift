import Dispatch

/// Elementwise passes over millions of parameters (the smoothed update walks 2.8 million
/// weights and their gradients every mini-batch of Hinton's recipe) are bound by memory
/// bandwidth, and run between products while OpenBLAS's other threads wait. Splitting them
/// over as many threads as the products use puts those cores to work. Each element is
/// computed exactly as in one pass, so the results do not depend on the split.
enum ParallelChunks {
  /// Elements below which a chunk is not worth a thread (the hand-off costs microseconds).
  static let minimumPerThread = 1 << 16

  /// Runs `body` over `0..<count` cut into up to `threads` ranges that start on 64-byte
  /// boundaries of a Float array, in parallel; small counts run inline on the caller.
  static func run(count: Int, threads: Int = OpenBLASInfo.threads, _ body: (Range<Int>) -> Void) {
    let parts = min(max(threads, 1), count / minimumPerThread)
    guard parts > 1 else { return body(0..<count) }
    let chunk = ((count + parts - 1) / parts + 15) & ~15
    withoutActuallyEscaping(body) { body in
      let shared = UncheckedBody(body: body)
      DispatchQueue.concurrentPerform(iterations: parts) { k in
        let start = k * chunk, end = min(count, start + chunk)
        if start < end { shared.body(start..<end) }
      }
    }
  }

  /// The body, shared by the threads: each writes its own disjoint range.
  private struct UncheckedBody: @unchecked Sendable {
    let body: (Range<Int>) -> Void
  }
}
