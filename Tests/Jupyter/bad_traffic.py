"""Hostile and broken traffic against `ffnb kernel`, through raw ZeroMQ sockets next to a
well-behaved jupyter_client: a wrong signature (dropped and logged, never executed),
unreadable JSON, wrong types, unknown message types, frames that are no message at all, deep
nesting, and a client that disappears in the middle of a long `learn`. After each, the kernel
must still answer; at the end it must shut down cleanly (status 0) when asked.

    python3 bad_traffic.py WORKDIR
"""
import datetime
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import uuid

import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file

TIMEOUT = 60
KEY = b"a-test-key-" + uuid.uuid4().hex.encode()


def frames(msg_type, content, key=KEY, raw_content=None, raw_header=None):
    header = raw_header if raw_header is not None else json.dumps({
        "msg_id": uuid.uuid4().hex, "session": "bad-traffic", "username": "test",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "msg_type": msg_type, "version": "5.3"}).encode()
    parts = [header, b"{}", b"{}", raw_content if raw_content is not None else json.dumps(content).encode()]
    signature = hmac.new(key, b"".join(parts), hashlib.sha256).hexdigest().encode()
    return [b"<IDS|MSG>", signature] + parts


def reply_to(sock, timeout_ms):
    """The reply's content and type, or None when none came in time."""
    if not sock.poll(timeout_ms):
        return None
    parts = sock.recv_multipart()
    at = parts.index(b"<IDS|MSG>")
    header = json.loads(parts[at + 2])
    return header["msg_type"], json.loads(parts[at + 5])


def alive(kc):
    """The kernel answers kernel_info on shell."""
    kc.kernel_info()
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    assert reply["msg_type"] == "kernel_info_reply", reply


def run(kc, code):
    reply = kc.execute_interactive(code, timeout=TIMEOUT, output_hook=lambda m: None)
    return reply["content"]


def main(workdir):
    ffnb = os.environ["FFNB"]
    connection, info = write_connection_file(os.path.join(workdir, "kernel-bad.json"), ip="127.0.0.1", key=KEY)
    log_path = os.path.join(workdir, "kernel-bad.log")
    log = open(log_path, "wb")
    kernel = subprocess.Popen([ffnb, "kernel", "-f", connection], stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    kc = BlockingKernelClient(connection_file=connection)
    kc.load_connection_file()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    context = zmq.Context()
    endpoint = lambda channel: f"tcp://127.0.0.1:{info[channel + '_port']}"
    shell = context.socket(zmq.DEALER)
    shell.connect(endpoint("shell"))
    try:
        # A wrong signature: dropped, logged, and never executed.
        shell.send_multipart(frames("execute_request", {"code": "set forged = 1", "silent": False}, key=b"not-the-key"))
        assert reply_to(shell, 2000) is None, "a message with a bad signature was answered"
        content = run(kc, "print forged")
        assert content["status"] == "error" and "forged" in content["evalue"], content
        print("bad signature: dropped, not executed")

        # Signed but unreadable content: an error reply names the problem.
        shell.send_multipart(frames("execute_request", None, raw_content=b'{"code": "print 1",'))
        msg_type, content = reply_to(shell, TIMEOUT * 1000)
        assert msg_type == "execute_reply" and content["status"] == "error", content
        print("malformed JSON:", content["evalue"])

        # Signed, readable, wrong types.
        shell.send_multipart(frames("execute_request", {"code": 42}))
        msg_type, content = reply_to(shell, TIMEOUT * 1000)
        assert content["status"] == "error" and content["ename"] == "BadRequest", content
        shell.send_multipart(frames("complete_request", {"code": "lea", "cursor_pos": "three"}))
        msg_type, content = reply_to(shell, TIMEOUT * 1000)
        assert msg_type == "complete_reply" and content["matches"] == ["learn"], content
        shell.send_multipart(frames("execute_request", None, raw_content=b"[1, 2]"))
        assert reply_to(shell, TIMEOUT * 1000)[1]["status"] == "error"

        # Nesting far deeper than any message: refused, not a stack overflow.
        shell.send_multipart(frames("complete_request", None, raw_content=b"[" * 100000 + b"]" * 100000))
        msg_type, content = reply_to(shell, TIMEOUT * 1000)
        assert content["status"] == "error" and "nested" in content["evalue"], content

        # Text that is not UTF-8.
        shell.send_multipart(frames("execute_request", None, raw_content=b'{"code": "print \xff\xfe"}'))
        assert reply_to(shell, TIMEOUT * 1000)[1]["status"] == "error"

        # No reply possible: an unreadable header, an unknown type, frames that are no message.
        shell.send_multipart(frames("", None, raw_header=b"{oops", raw_content=b"{}"))
        shell.send_multipart(frames("frobnicate_request", {}))
        shell.send_multipart([b"just one frame"])
        shell.send_multipart([b"<IDS|MSG>", b"too", b"few"])
        assert reply_to(shell, 2000) is None
        alive(kc)
        print("unknown type, garbage frames: ignored")

        # A client that disappears while its `learn` trains: the kernel goes on, drops the
        # replies nobody reads, and answers the next client.
        assert run(kc, "seed 2\nload mnist train batch=300\nbuild dims=[784, 30] epochs=2")["status"] == "ok"
        leaving = context.socket(zmq.DEALER)
        leaving.connect(endpoint("shell"))
        leaving.send_multipart(frames("execute_request", {"code": "learn layer=1 epochs=100000 every=1", "silent": False}))
        # Gone once the training is seen to run (its progress on iopub), not after a guessed delay.
        deadline = time.monotonic() + TIMEOUT
        while True:
            assert time.monotonic() < deadline, "the learn never reported progress"
            msg = kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["msg_type"] == "stream" and "/100000 --- Loss: " in msg["content"]["text"]:
                break
        leaving.close(linger=0)
        control = context.socket(zmq.DEALER)
        control.connect(endpoint("control"))
        control.send_multipart(frames("interrupt_request", {}))
        msg_type, content = reply_to(control, TIMEOUT * 1000)
        assert msg_type == "interrupt_reply" and content["status"] == "ok", content
        content = run(kc, 'print "still here"')
        assert content["status"] == "ok", content
        # Session requests on control are not answered there (they belong on shell).
        control.send_multipart(frames("execute_request", {"code": "print 1"}))
        assert reply_to(control, 2000) is None
        alive(kc)
        print("client gone mid-learn: kernel carries on")

        kc.shutdown()
        status = kernel.wait(timeout=TIMEOUT)
        assert status == 0, f"the kernel exited with {status}"
    finally:
        if kernel.poll() is None:
            kernel.kill()
            kernel.wait()
        kc.stop_channels()
        context.destroy(linger=0)
        log.close()
    text = open(log_path, encoding="utf-8", errors="replace").read()
    for expected in ["signature does not match", "unknown type 'frobnicate_request'", "no <IDS|MSG> delimiter", "unreadable header"]:
        assert expected in text, f"the kernel's log lacks {expected!r}:\n{text}"
    print("log:", len(text.splitlines()), "lines; shut down with status 0")


if __name__ == "__main__":
    main(sys.argv[1])
