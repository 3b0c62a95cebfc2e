"""A fork server: one interpreter imports what the snippets import, then forks a harness per
snippet, so that a build pays the import of torch and matplotlib (about 1.8 s of CPU) once
instead of once per snippet.

The runner starts it (`ForkServer`) and sends it one request per snippet over a Unix socket,
with the snippet's stdout and stderr as file descriptors; the answer is the harness's process
id. A forked harness is `python harness.py SNIPPET OUT_DIR` run in the snippet's working folder:
the same environment and default signal handling. Its unseeded generators differ from its
siblings' as a new interpreter's would: Python reseeds `random` in a forked child, and the
preload leaves `numpy.random` unimported. The server ignores SIGCHLD, so the kernel reaps
each harness; the runner sees its end as end-of-file on the stderr pipe.

The libraries are imported before forking only on Linux: macOS's system frameworks are not
safe to use in a forked child, so there the server imports nothing and each harness imports
its own libraries (as slow as a fresh interpreter, and as safe).
"""

import gc
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import traceback
from pathlib import Path

SERVER = Path(__file__).resolve()
HEAVY = ("torch",)  # imported ahead only for builds whose snippets mention it
PARENT_PID = "SNIPPET_PARENT_PID"  # the process a harness dies with (harness.py)


class ForkServer:
    """The runner's side: start the server with `env` as every harness's environment, for
    the snippets in `paths`."""

    def __init__(self, env, paths):
        sources = [Path(path).read_bytes() for path in paths]
        heavy = [name for name in HEAVY if any(name.encode() in source for source in sources)]
        self._socket, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self._process = subprocess.Popen(
                [sys.executable, str(SERVER), str(theirs.fileno()), *heavy],
                pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL)
        self._lock = threading.Lock()  # one request and its answer at a time

    def start(self, snippet, out_dir, cwd, stdout_fd, stderr_fd):
        """Fork a harness that runs `snippet` in `cwd`; returns its process id."""
        request = json.dumps({"snippet": str(snippet), "out_dir": str(out_dir), "cwd": str(cwd)})
        with self._lock:
            socket.send_fds(self._socket, [request.encode()], [stdout_fd, stderr_fd])
            answer = self._socket.recv(1024)
        if not answer:
            raise RuntimeError(f"the snippet fork server ended (exit status {self._process.wait()})")
        return json.loads(answer)["pid"]

    def close(self):
        self._socket.close()  # the server's next read sees end-of-file and it exits
        self._process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def serve(sock, heavy):
    """The server's side: import the harness (matplotlib, NumPy) and the `heavy` libraries, then
    fork a harness per request until the runner closes the socket. When the runner dies, the
    kernel closes its end too, so the server never outlives it."""
    for name in ("harness", *heavy) if sys.platform == "linux" else ():
        try:
            importlib.import_module(name)
        except ImportError:  # a snippet that needs it reports the error itself
            pass
    gc.freeze()  # keeps the preloaded objects' pages shared with the children
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    os.environ[PARENT_PID] = str(os.getpid())
    while True:
        message, fds, _, _ = socket.recv_fds(sock, 65536, 2)
        if not message:
            return
        pid = os.fork()
        if pid == 0:
            sock.close()
            run_harness(json.loads(message), *fds)  # never returns
        for fd in fds:
            os.close(fd)
        sock.send(json.dumps({"pid": pid}).encode())


def run_harness(request, stdout_fd, stderr_fd):
    """In the forked child: become `python harness.py SNIPPET OUT_DIR`, then exit with its
    status."""
    status = 1
    try:
        os.dup2(stdout_fd, 1)
        os.dup2(stderr_fd, 2)
        os.close(stdout_fd)
        os.close(stderr_fd)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a snippet may wait for its own children
        os.chdir(request["cwd"])
        import harness
        sys.argv = [harness.__file__, request["snippet"], request["out_dir"]]
        harness.main()
        status = 0
    except SystemExit as exit_:
        status = 0 if exit_.code is None else exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:  # noqa: BLE001 - a child must never return into the server's loop
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])), sys.argv[2:])
