"""A network receipt printer on loopback, for the printing tests: a real TCP server on 127.0.0.1 that
takes jobs the way a printer's port 9100 does and keeps every job's bytes."""

from __future__ import annotations

import socket
import threading
import time


def free_port() -> int:
    """A port nothing listens on (a printer that is off refuses connections there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LoopbackPrinter:
    def __init__(self, port: int = 0) -> None:
        self.server = socket.create_server(("127.0.0.1", port))
        self.port = int(self.server.getsockname()[1])
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, name="loopback-printer", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
                self.received.append(b"".join(chunks))

    def wait(self, timeout: float = 10) -> bytes:
        """The first job, once the sender has closed the connection."""
        deadline = time.monotonic() + timeout
        while not self.received:
            assert time.monotonic() < deadline, "the loopback printer received no job"
            time.sleep(0.01)
        return self.received[0]

    def close(self) -> None:
        self.server.close()
        self.thread.join(2)
