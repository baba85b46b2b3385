"""A jupyter_client session that interrupts a long `learn` and goes on training in the same
kernel: by interrupt_request on the control channel (the kernelspec's interrupt_mode), then
by SIGINT; then restart and shutdown. Exits non-zero (an assertion) on any difference.

    python3 interrupt_learn.py
"""
import signal
import sys

from jupyter_client.manager import start_new_kernel

TIMEOUT = 120


def execute(kc, code, until=None):
    """Runs `code`; returns (reply content, stream text, iopub messages). With `until`, calls
    it on the stream text after each message and stops reading output once it says so (the
    reply is then read by `finish`)."""
    msg_id = kc.execute(code)
    text, messages = "", []
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        if until is not None and until(text):
            return msg_id, text, messages
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    assert reply["parent_header"]["msg_id"] == msg_id, reply
    return reply["content"], text, messages


def finish(kc, msg_id, text):
    """Reads the rest of an execution started by `execute(..., until=...)`."""
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    assert reply["parent_header"]["msg_id"] == msg_id, reply
    return reply["content"], text


def interrupted_learn(km, kc, interrupt, what):
    # Thousands of epochs: minutes of training, unless the interrupt stops it.
    msg_id, text, _ = execute(kc, "learn layer=1 epochs=100000 every=1", until=lambda t: "2/100000" in t)
    interrupt()
    reply, text = finish(kc, msg_id, text)
    assert reply["status"] == "error" and reply["ename"] == "Interrupted", (what, reply)
    assert "interrupted: layer 1 stopped after epoch" in text, (what, text)
    assert "weights and optimizer state kept" in text, (what, text)
    # Progress came live, one line per epoch, before the interrupt.
    assert text.count("/100000 --- Loss: ") >= 2, (what, text)
    print(f"{what}: {text.strip().splitlines()[-1]}")


def main():
    km, kc = start_new_kernel(kernel_name="ffnb", startup_timeout=60)
    try:
        reply, text, _ = execute(kc, "seed 1\nload mnist train batch=500\nload mnist test batch=200\n"
                                     "build dims=[784, 40] epochs=4 lr=0.05")
        assert reply["status"] == "ok", (reply, text)

        interrupted_learn(km, kc, km.interrupt_kernel, "interrupt_request")
        # The model is kept: training goes on from it in the same kernel.
        reply, text, _ = execute(kc, "learn layer=1 epochs=3 every=1")
        assert reply["status"] == "ok", (reply, text)
        assert "3/3 --- Loss: " in text, text
        reply, text, _ = execute(kc, "predict test")
        assert reply["status"] == "ok" and "%" in text, (reply, text)

        interrupted_learn(km, kc, lambda: km.signal_kernel(signal.SIGINT), "SIGINT")
        reply, text, _ = execute(kc, "learn layer=1 epochs=2 every=1\npredict test")
        assert reply["status"] == "ok" and "2/2 --- Loss: " in text, (reply, text)
        print("after both interrupts:", text.strip().splitlines()[-1])

        # An interrupt while idle (its reply read, so it is over) changes nothing for the next cell.
        msg = kc.session.msg("interrupt_request", {})
        kc.control_channel.send(msg)
        reply = kc.get_control_msg(timeout=TIMEOUT)
        assert reply["msg_type"] == "interrupt_reply" and reply["parent_header"]["msg_id"] == msg["header"]["msg_id"], reply
        reply, text, _ = execute(kc, "learn layer=1 epochs=2 every=1")
        assert reply["status"] == "ok" and "2/2 --- Loss: " in text, (reply, text)

        # Restart: a new process, a fresh session (the counter starts again, no data loaded).
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
        reply, text, _ = execute(kc, "predict test")
        assert reply["status"] == "error" and reply["execution_count"] == 1, (reply, text)
        reply, text, _ = execute(kc, 'print "after restart"')
        assert reply["status"] == "ok" and text == "after restart\n", (reply, text)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    # A shutdown_request ends the process by itself (no kill needed).
    assert not km.is_alive()
    print("kernel shut down")


if __name__ == "__main__":
    main()
    sys.exit(0)
