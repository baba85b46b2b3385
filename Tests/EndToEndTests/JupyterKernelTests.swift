import FFTestSupport
import Foundation
import Testing

/// `ffnb kernel` against real Jupyter clients: the official kernel test suite
/// (jupyter_kernel_test), nbconvert executing the quickstart, a jupyter_client session that
/// interrupts training, and hostile traffic on raw sockets. The Python side is in
/// Tests/Jupyter; `scripts/install-deps test` installs what it imports.
///
/// Each test installs the kernelspec with `ffnb kernel install --prefix` into its own
/// temporary folder and points every Jupyter directory there, so the user's Jupyter setup
/// is neither read for kernels nor written.
@Suite(.serialized) struct JupyterKernelTests {
  /// A temporary Jupyter world holding the ffnb kernelspec.
  struct Sandbox {
    let directory: URL
    let environment: [String: String]

    init() throws {
      directory = try FFNB.temporaryDirectory()
      let d = directory.path
      environment = [
        "JUPYTER_PATH": d + "/share/jupyter", "JUPYTER_DATA_DIR": d + "/data", "JUPYTER_RUNTIME_DIR": d + "/runtime",
        "JUPYTER_CONFIG_DIR": d + "/config", "IPYTHONDIR": d + "/ipython", "WORK": d,
        // Python's own warnings about the sandbox (no python3 kernel there) are not failures.
        "PYTHONWARNINGS": "ignore",
      ]
      let install = try runShell(#""$FFNB" kernel install --prefix "$WORK""#, environment: environment, timeout: .seconds(60))
      guard install.status == 0 else { throw TestFailure("ffnb kernel install failed: \(install.stderr)") }
    }

    /// Runs a shell script in the package root with the sandbox's environment.
    func run(_ script: String, timeout seconds: Int = 300) throws -> (output: String, status: Int32) {
      let r = try runShell(script + " 2>&1", environment: environment, timeout: .seconds(seconds))
      return (r.stdout + r.stderr, r.status)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
  }

  @Test func kernelspecIsListedByJupyter() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let r = try sandbox.run("python3 -m jupyter kernelspec list --json", timeout: 60)
    #expect(r.status == 0, "\(r.output)")
    let json = try #require(r.output.firstIndex(of: "{").map { String(r.output[$0...]) })
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    let spec = ((object?["kernelspecs"] as? [String: Any])?["ffnb"] as? [String: Any])?["spec"] as? [String: Any]
    #expect(spec?["language"] as? String == "ffnb")
    #expect(spec?["interrupt_mode"] as? String == "message")
    let argv = spec?["argv"] as? [String] ?? []
    #expect(argv.dropFirst() == ["kernel", "-f", "{connection_file}"])
    #expect(argv.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
            == FFNB.binary.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path })
  }

  @Test func aConnectionFileThatCannotServeEndsWithAMessage() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let missing = dir.appendingPathComponent("missing.json").path
    var r = try FFNB.run(["kernel", "-f", missing], timeout: 30)
    #expect(r.status == 2 && r.stderr.contains("cannot use the connection file \(missing): no such file"), "\(r.stderr)")
    let bad = dir.appendingPathComponent("bad.json")
    try #"{"ip": "127.0.0.1", "key": "k", "shell_port": 1}"#.write(to: bad, atomically: true, encoding: .utf8)
    r = try FFNB.run(["kernel", "-f", bad.path], timeout: 30)
    #expect(r.status == 2 && r.stderr.contains("\"control_port\" is missing or not a port number"), "\(r.stderr)")
    try #"{"ip": "127.0.0.1", "signature_scheme": "hmac-md5"}"#.write(to: bad, atomically: true, encoding: .utf8)
    r = try FFNB.run(["kernel", "start", "-f", bad.path], timeout: 30)
    #expect(r.status == 2 && r.stderr.contains("signature scheme 'hmac-md5' is not supported (hmac-sha256 is)"), "\(r.stderr)")
    r = try FFNB.run(["kernel", "install", "--user", "--prefix", dir.path], timeout: 30)
    #expect(r.status == 64 && r.stderr.contains("give --user or --prefix, not both"), "\(r.stderr)")
  }

  @Test func anOrphanedKernelStopsByItself() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let r = try sandbox.run(#"python3 Tests/Jupyter/orphaned_kernel.py "$WORK""#, timeout: 180)
    #expect(r.status == 0 && r.output.contains("orphaned kernel stopped by itself"), "\(r.output)")
  }

  @Test func officialKernelTestSuitePasses() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let r = try sandbox.run("cd Tests/Jupyter && python3 -m unittest -v kernel_suite")
    #expect(r.status == 0, "\(r.output)")
    // The samples ffnb gives are tested, not skipped.
    for test in ["test_completion", "test_inspect", "test_is_complete", "test_error", "test_display_data",
                 "test_execute_stdout", "test_kernel_info", "test_ffnb_history"] {
      #expect(r.output.contains("\(test) ") && !r.output.contains("\(test) (kernel_suite.FFNBKernelTests.\(test)) ... skipped"),
              "\(test) did not run:\n\(r.output)")
    }
  }

  @Test func nbconvertExecutesTheQuickstartAsFFNBRunDoes() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let r = try sandbox.run("""
      set -e
      "$FFNB" export notebooks/quickstart.ffnb -o "$WORK/quickstart.ipynb"
      "$FFNB" run notebooks/quickstart.ffnb --output "$WORK/run.ipynb" > "$WORK/run.log"
      python3 -m jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=ffnb \
        --ExecutePreprocessor.timeout=600 "$WORK/quickstart.ipynb" --output-dir "$WORK" --output executed.ipynb
      python3 Tests/Jupyter/compare_outputs.py exact "$WORK/run.ipynb" "$WORK/executed.ipynb"
      python3 Tests/Jupyter/execute_as_jupyterlab.py "$WORK/quickstart.ipynb" "$WORK/lab.ipynb"
      python3 Tests/Jupyter/compare_outputs.py exact "$WORK/run.ipynb" "$WORK/lab.ipynb"
      """, timeout: 900)
    #expect(r.status == 0, "\(r.output)")
    // nbconvert sends no cell ids, JupyterLab does: either way each exported cell's first line
    // says who it is, and every output is the same as `ffnb run`'s, plots byte for byte.
    #expect(r.output.components(separatedBy: "exact: 5 code cells show what `ffnb run` shows").count == 3, "\(r.output)")
  }

  @Test func interruptStopsLearnAndTrainingGoesOnInTheSameKernel() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let r = try sandbox.run("python3 Tests/Jupyter/interrupt_learn.py", timeout: 600)
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("interrupt_request: interrupted: layer 1 stopped after epoch"), "\(r.output)")
    #expect(r.output.contains("SIGINT: interrupted: layer 1 stopped after epoch"), "\(r.output)")
    #expect(r.output.contains("kernel shut down"), "\(r.output)")
  }

  @Test func badTrafficIsAnsweredWithErrorsOrIgnored() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let r = try sandbox.run(#"python3 Tests/Jupyter/bad_traffic.py "$WORK""#, timeout: 600)
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("shut down with status 0"), "\(r.output)")
  }
}
