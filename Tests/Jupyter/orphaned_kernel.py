"""A kernel whose parent is killed outright (a Jupyter server hit by SIGKILL) stops by itself,
as ipykernel's parent poller makes it, instead of holding its ports for ever.

    python3 orphaned_kernel.py WORKDIR
"""
import os
import signal
import subprocess
import sys
import time

from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file

TIMEOUT = 60


def alive(pid):
    """Whether the process runs (a zombie nobody reaped has stopped)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def main(workdir):
    connection, _ = write_connection_file(os.path.join(workdir, "kernel-orphan.json"), ip="127.0.0.1")
    pidfile = os.path.join(workdir, "kernel-orphan.pid")
    # The parent: a shell that starts the kernel and waits for it, as a server would.
    parent = subprocess.Popen(
        ["sh", "-c", '"$FFNB" kernel -f "$1" & echo $! > "$2"; wait', "sh", connection, pidfile],
        stdin=subprocess.DEVNULL)
    kc = BlockingKernelClient(connection_file=connection)
    kc.load_connection_file()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    with open(pidfile) as f:
        kernel = int(f.read())
    assert alive(kernel), "the kernel is not running"
    kc.stop_channels()
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + TIMEOUT
    while alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(kernel):
        os.kill(kernel, signal.SIGKILL)
        sys.exit("the orphaned kernel was still running after %d s" % TIMEOUT)
    print("orphaned kernel stopped by itself")


if __name__ == "__main__":
    main(sys.argv[1])
