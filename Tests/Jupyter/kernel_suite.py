"""The official Jupyter kernel test suite (jupyter_kernel_test) run against `ffnb kernel`,
with ffnb's own samples. Run by Tests/EndToEndTests/JupyterKernelTests.swift with the
kernelspec installed in a temporary JUPYTER_PATH and MNIST in FFNB_DATA.

    python3 -m unittest -v kernel_suite
"""
import unittest

import jupyter_kernel_test


class FFNBKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "ffnb"
    language_name = "ffnb"
    file_extension = ".ffnb"

    code_hello_world = 'print "hello, world"'

    # Commands at the start of a line, a command's parameters, a parameter's choices.
    completion_samples = [
        {"text": "lea", "matches": {"learn"}},
        {"text": "pre", "matches": {"precision", "predict"}},
        {"text": "learn negatives=", "matches": {"random", "wrong", "hard"}},
        {"text": "plot lo", "matches": {"loss"}},
    ]

    complete_code_samples = ['print "done"', "set dims = [784, 500, 500]", "", "learn every=20"]
    # An open bracket continues the cell.
    incomplete_code_samples = ["set dims = [784,", "set x = (1 +", "transform normalize(mean=0.1,"]
    invalid_code_samples = ['print "no end', "set = 3", "learn ]"]

    code_inspect_sample = "learn"

    # One error output: the diagnostic of the failing line, nothing before it.
    code_generate_error = "set x = 1 +"

    # A digit image as SVG (and text).
    code_display_data = [
        {"code": "load mnist test batch=10\nshow sample 0", "mime": "image/svg+xml"},
        {"code": "show sample 1", "mime": "text/plain"},
    ]

    def test_ffnb_history(self):
        """jupyter_kernel_test's own history test needs execute_result, which ffnb never sends
        (its results are printed); the same requests, through the suite's helper, on ffnb code."""
        codes = ['print "history one"', 'print "history two"', "set h = 3"]
        reply = self.history_helper(codes, output=False, raw=True, hist_access_type="tail", n=3)
        history = reply["content"]["history"]
        self.assertEqual([h[2] for h in history], codes)
        session, start = history[0][0:2]
        self.assertEqual([h[1] for h in history], [start, start + 1, start + 2])

        reply = self.history_helper([], output=True, raw=True, hist_access_type="tail", n=3)
        self.assertEqual(reply["content"]["history"][0][2], [codes[0], "history one\n"])

        reply = self.history_helper([], output=False, raw=True, hist_access_type="range",
                                    session=session, start=start + 1, stop=start + 2)
        self.assertEqual(reply["content"]["history"], [[session, start + 1, codes[1]]])

        reply = self.history_helper(codes, output=False, raw=True, hist_access_type="search",
                                    pattern="print \"history*")
        self.assertEqual(len(reply["content"]["history"]), 4)
        reply = self.history_helper([], output=False, raw=True, hist_access_type="search",
                                    pattern="print \"history*", unique=True)
        self.assertEqual([h[2] for h in reply["content"]["history"]], codes[:2])
        reply = self.history_helper([], output=False, raw=True, hist_access_type="search",
                                    pattern="print \"history*", n=3)
        self.assertEqual(len(reply["content"]["history"]), 3)

    def test_ffnb_execution_counts_and_state_persist(self):
        """One session across requests: a variable set in one cell is there in the next, and
        the counter counts stored executions only."""
        self.flush_channels()
        reply, _ = self.execute_helper("set kept = 41")
        first = reply["content"]["execution_count"]
        reply, outputs = self.execute_helper("print kept + 1")
        self.assertEqual(reply["content"]["execution_count"], first + 1)
        self.assertEqual([m["content"]["text"] for m in outputs if m["msg_type"] == "stream"], ["42\n"])
        reply, outputs = self.execute_helper("print kept", store_history=False)
        self.assertEqual(reply["content"]["execution_count"], first + 1)

    def test_ffnb_cells_queued_behind_a_failure_are_aborted(self):
        """Run All sends every cell at once; after a failing one the rest are not run (as
        `ffnb run` stops at a failing cell), unless the request says stop_on_error=False."""
        self.flush_channels()
        # The failing cell first reads MNIST's training file (tenths of a second), so the next
        # request is surely waiting in the kernel's queue by the time it fails.
        failing = self.kc.execute("load mnist train batch=100\nprint not_a_variable")
        queued = self.kc.execute('set after = "ran"')
        replies = {}
        for _ in range(2):
            reply = self.kc.get_shell_msg(timeout=jupyter_kernel_test.TIMEOUT)
            replies[reply["parent_header"]["msg_id"]] = reply["content"]
        self.assertEqual(replies[failing]["status"], "error")
        self.assertEqual(replies[queued]["status"], "aborted")
        self.wait_until_idle(failing, queued)
        reply, _ = self.execute_helper("print after")
        self.assertEqual(reply["content"]["status"], "error")

        self.flush_channels()
        failing = self.kc.execute("set broken = 1 +", stop_on_error=False)
        queued = self.kc.execute('set after = "ran"')
        for _ in range(2):
            reply = self.kc.get_shell_msg(timeout=jupyter_kernel_test.TIMEOUT)
            replies[reply["parent_header"]["msg_id"]] = reply["content"]
        self.assertEqual(replies[queued]["status"], "ok")
        self.wait_until_idle(failing, queued)

    def wait_until_idle(self, *msg_ids):
        """Reads iopub until each request's idle status (sent after its reply) has come."""
        waiting = set(msg_ids)
        while waiting:
            msg = self.kc.get_iopub_msg(timeout=jupyter_kernel_test.TIMEOUT)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                waiting.discard(msg["parent_header"].get("msg_id"))


if __name__ == "__main__":
    unittest.main()
