"""A local central for the one-command demo (`make run`): a newcomer sees a receipt reach "the cloud".

    central = start_local_central(data_dir)          # `python -m central serve --demo` on SQLite, background
    enrolled_now = ensure_enrolled(central, service)  # first run: issue-code (CLI) + SyncService.enrol
    ...
    central.receipt_no(receipt_uuid)                  # did it arrive? (reads the central's SQLite)
    central.stop()

Everything lives under `<data_dir>/central/`: the database `central.db`, the log `central.log`, and
`local.json` with the port. The port is chosen once and kept, because the enrolled device remembers
the central's URL: later runs start the same central on the same port with the same database, and a
device that is already enrolled just syncs. The central runs as a child process (the real server,
uvicorn and all, exactly as in production but on SQLite) and is stopped when the demo ends.

No Qt here (sync/ never imports ui/); the desktop calls this from ui/launch.py.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

log = logging.getLogger(__name__)

CENTRAL_DIR = "central"
DB_NAME = "central.db"
LOG_NAME = "central.log"
STATE_NAME = "local.json"
DEMO_ULB = "DEMO"
DEMO_OFFICE = "Z01"
START_TIMEOUT_S = 60.0


class LocalCentralError(RuntimeError):
    """The local central could not be started or set up (the message says what to look at)."""


class Enrollable(Protocol):
    """The part of sync.service.SyncService this module needs."""

    def is_enrolled(self) -> bool: ...

    def enrol(self, central_url: str, code: str, verify_tls: bool = True) -> None: ...


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass
class LocalCentral:
    root: Path  # <data_dir>/central
    port: int
    host: str = "127.0.0.1"
    process: subprocess.Popen[bytes] | None = None
    python: str = field(default_factory=lambda: sys.executable)
    _log_file: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    @property
    def log_path(self) -> Path:
        return self.root / LOG_NAME

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # -- the central's command line -------------------------------------------------------------

    def cli(self, *args: str, timeout_s: float = 120.0) -> str:
        """Run `python -m central <args> --database-url <this central's DB>`; returns its stdout."""
        command = [self.python, "-m", "central", *args, "--database-url", self.database_url]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False, env=_env())
        if result.returncode != 0:
            raise LocalCentralError(f"`central {' '.join(args)}` failed: {result.stderr.strip() or result.stdout}")
        return result.stdout

    def issue_code(self, ulb: str = DEMO_ULB, office: str = DEMO_OFFICE) -> str:
        lines = [line.strip() for line in self.cli("issue-code", "--ulb", ulb, "--office", office).splitlines()]
        codes = [line for line in lines if line]
        if not codes:
            raise LocalCentralError("`central issue-code` printed no code")
        return codes[0]

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self, timeout_s: float = START_TIMEOUT_S) -> None:
        """Start `central serve --demo` in the background and wait until /readyz answers 200."""
        if self.running:
            return
        if port_in_use(self.port, self.host):
            raise LocalCentralError(
                f"port {self.port} is taken by another program: stop it, or delete {self.root / STATE_NAME} "
                "and enrol the demo device again (delete the data folder)"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log_path.open("ab")
        command = [
            self.python,
            "-m",
            "central",
            "serve",
            "--demo",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--database-url",
            self.database_url,
        ]
        log.info("starting the local central: %s", " ".join(command))
        self.process = subprocess.Popen(
            command,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=_env(),
            preexec_fn=_die_with_parent(),  # noqa: PLW1509 - one libc call, resolved before the fork
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._close_log()
                raise LocalCentralError(
                    f"the local central stopped at start (exit {self.process.returncode}); see {self.log_path}:\n"
                    + _tail(self.log_path)
                )
            if self.ready():
                return
            time.sleep(0.2)
        self.stop()
        raise LocalCentralError(f"the local central did not become ready in {timeout_s:.0f} s; see {self.log_path}")

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as response:
                return int(response.status) == 200
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the central (SIGTERM, then SIGKILL after `timeout_s`). Its SQLite database stays."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> LocalCentral:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- what the demo checks -------------------------------------------------------------------

    def receipt_no(self, receipt_uuid: str) -> str | None:
        """The receipt's number as the central stored it, or None if it has not arrived (read-only)."""
        if not self.db_path.exists():
            return None
        with contextlib.closing(sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)) as conn:
            row = conn.execute("SELECT receipt_no FROM receipt WHERE uuid = ?", (receipt_uuid,)).fetchone()
        return str(row[0]) if row else None

    def receipt_count(self) -> int:
        if not self.db_path.exists():
            return 0
        with contextlib.closing(sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)) as conn:
            row = conn.execute("SELECT count(*) FROM receipt").fetchone()
        return int(row[0]) if row else 0


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn (Linux) that has the child get SIGTERM when the demo process dies, however it
    dies, so a killed desktop never leaves a central holding the port. libc is looked up here, in the
    parent: the child between fork and exec only makes the one call (no imports, no locks)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    try:
        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig, sigterm = 1, int(signal.SIGTERM)

    def preexec() -> None:
        prctl(pr_set_pdeathsig, sigterm)

    return preexec


def _env() -> dict[str, str]:
    """The child's environment: ours, with the repository on the path (running from a checkout)."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def local_central(data_dir: Path) -> LocalCentral:
    """The demo central of this data folder (its port chosen on first use and kept in local.json)."""
    root = Path(data_dir) / CENTRAL_DIR
    state_path = root / STATE_NAME
    port: int | None = None
    if state_path.exists():
        with contextlib.suppress(ValueError, OSError, KeyError, TypeError):
            port = int(json.loads(state_path.read_text(encoding="utf-8"))["port"])
    if port is None:
        port = free_port()
        root.mkdir(parents=True, exist_ok=True)
        state_path.write_text(json.dumps({"port": port}), encoding="utf-8")
    return LocalCentral(root=root, port=port)


def start_local_central(data_dir: Path, timeout_s: float = START_TIMEOUT_S) -> LocalCentral:
    central = local_central(data_dir)
    central.start(timeout_s)
    return central


def ensure_enrolled(central: LocalCentral, service: Enrollable, *, office: str = DEMO_OFFICE) -> bool:
    """Enrol this device to the local central unless it is enrolled already. True if it enrolled now.

    The DEMO ULB and its admin are seeded by `serve --demo` itself; the one-time code comes from the
    central's command line (`issue-code`), as a ULB admin would hand it to an office."""
    if service.is_enrolled():
        return False
    code = central.issue_code(DEMO_ULB, office)
    service.enrol(central.url, code, verify_tls=False)  # loopback http: there is no TLS to verify
    return True
