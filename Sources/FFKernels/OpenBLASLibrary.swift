#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS, loaded with `dlopen` after its kernel family has been chosen in this process.
///
/// OpenBLAS picks its kernels ("core") once, in its library constructor, from
/// `OPENBLAS_CORETYPE` or its own CPU detection, and Debian's 0.3.21 does not recognise some
/// newer CPUs (it falls back to SSE3 "Prescott" kernels, about 5x slower). Linked normally, the
/// constructor runs before `main`, so the only cure was to re-execute the process with the
/// variable set. Loading the library on first use instead lets every binary (ffnb, ffnb-bench,
/// the tests) set the variable in-process and share one choice, with one process start.
///
/// The C declarations come from OpenBLAS's cblas.h (Debian's build: 32-bit `blasint`).
struct OpenBLASLibrary: @unchecked Sendable {
  typealias Sgemm = @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
    UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
  typealias Sgemv = @convention(c) (
    Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
    Float, UnsafeMutablePointer<Float>?, Int32) -> Void
  typealias CString = @convention(c) () -> UnsafeMutablePointer<CChar>?
  typealias GetInt = @convention(c) () -> Int32
  typealias SetInt = @convention(c) (Int32) -> Void

  // cblas.h's enum values.
  static let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112

  let sgemm: Sgemm
  let sgemv: Sgemv
  let config: CString
  let coreName: CString
  let getThreads: GetInt
  let setThreads: SetInt
  /// The core this process asked for, and why; nil when OpenBLAS detected it on its own.
  let request: OpenBLASInfo.CoreRequest?

  /// The library of this process, loaded on first use (Swift initialises globals once, thread-safely).
  static let shared: OpenBLASLibrary = {
    switch load(environment: Environment.current, cpu: .current) {
    case .success(let library): return library
    case .failure(let message):
      let line = Array("ffnb: \(message)\n".utf8)
      _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
      exit(69)  // EX_UNAVAILABLE
    }
  }()

  /// Library names tried in order: Debian's, or only `FFNB_OPENBLAS` (a path or a name) when set.
  static func candidates(environment: [String: String]) -> [String] {
    environment["FFNB_OPENBLAS"].map { [$0] } ?? ["libopenblas.so.0", "libopenblas.so"]
  }

  enum LoadResult { case success(OpenBLASLibrary), failure(String) }

  /// Chooses the core, sets `OPENBLAS_CORETYPE` for the library's constructor, and loads it.
  static func load(environment: [String: String], cpu: CPUFeatures, names: [String]? = nil) -> LoadResult {
    let request = OpenBLASInfo.coreRequest(environment: environment, cpu: cpu)
    if let request { setenv("OPENBLAS_CORETYPE", request.core, 1) }
    var errors: [String] = []
    for name in names ?? candidates(environment: environment) {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
        errors.append(dlerror().map { String(cString: $0) } ?? name)
        continue
      }
      // Never closed: OpenBLAS starts worker threads that run its code until the process ends.
      func symbol<T>(_ name: String, as type: T.Type) -> T? {
        dlsym(handle, name).map { unsafeBitCast($0, to: T.self) }
      }
      guard let sgemm = symbol("cblas_sgemm", as: Sgemm.self), let sgemv = symbol("cblas_sgemv", as: Sgemv.self),
            let config = symbol("openblas_get_config", as: CString.self),
            let coreName = symbol("openblas_get_corename", as: CString.self),
            let getThreads = symbol("openblas_get_num_threads", as: GetInt.self),
            let setThreads = symbol("openblas_set_num_threads", as: SetInt.self)
      else {
        errors.append("\(name) is not OpenBLAS (cblas_sgemm or openblas_get_corename missing)")
        continue
      }
      return .success(OpenBLASLibrary(sgemm: sgemm, sgemv: sgemv, config: config, coreName: coreName,
                                      getThreads: getThreads, setThreads: setThreads, request: request))
    }
    return .failure("cannot load OpenBLAS: \(errors.joined(separator: "; ")). Install Debian's libopenblas0 (`make deps` does), or name the library in FFNB_OPENBLAS.")
  }
}

/// The process environment as a dictionary, without Foundation.
enum Environment {
  static var current: [String: String] {
    var result: [String: String] = [:]
    var p = environ
    while let entry = p.pointee {
      let text = String(cString: entry)
      if let eq = text.firstIndex(of: "=") {
        result[String(text[..<eq])] = String(text[text.index(after: eq)...])
      }
      p += 1
    }
    return result
  }
}
