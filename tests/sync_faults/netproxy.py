"""A TCP proxy on loopback that can cut connections mid-stream (fault injection for sync tests).

The device talks to the proxy's port; the proxy forwards bytes to the real central. A test arms a
fault, and the next connection(s) suffer it:

- `cut_request_after(n)`: forward only the first n bytes the client sends, then reset both sides
  (the server sees a half request and must not apply anything; the client sees a reset);
- `cut_response_after(n)`: forward the whole request, let the server answer, pass only the first n
  bytes of the answer, then reset (the server committed; the client never learns it);
- `refuse()`: reset every new connection at once (the network is down);
- `heal()`: plain forwarding again.

A reset is a real RST (SO_LINGER 0), as when a router or a dying process drops a connection.
Threads, not asyncio: the proxy runs beside code under test that may own its own event loop.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field
from types import TracebackType

_CHUNK = 65536


@dataclass
class Fault:
    kind: str  # "none" | "cut_request" | "cut_response" | "refuse"
    after_bytes: int = 0
    remaining: int | None = None  # connections still to fault; None = every one until heal()
    # cut_response: count the answer's bytes only once the client has sent this much on the
    # connection (so a small hello passes and the big push's answer is the one cut)
    request_bytes_first: int = 0


@dataclass
class _Link:
    sockets: tuple[socket.socket, socket.socket]
    request_bytes_first: int
    up: int = 0  # bytes the client sent on this connection so far


@dataclass
class ProxyStats:
    connections: int = 0
    faulted: int = 0
    bytes_up: int = 0  # client -> server
    bytes_down: int = 0  # server -> client
    events: list[str] = field(default_factory=list)


def _reset(sock: socket.socket) -> None:
    """Close with RST rather than FIN. shutdown() first: a plain close() from this thread would not
    wake the pump thread blocked in recv() on the same socket, and nothing would reach the peer."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class NetProxy:
    """Forward 127.0.0.1:<port> to (target_host, target_port), with faults on demand."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self._target = (target_host, target_port)
        self._lock = threading.Lock()
        self._fault = Fault("none")
        self.stats = ProxyStats()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port: int = self._listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="netproxy-accept", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def retarget(self, target_port: int) -> None:
        """Point at another port (the central restarted elsewhere). Open keep-alive connections are
        reset, as a restart would, so no request slips through to the old target."""
        with self._lock:
            self._target = (self._target[0], target_port)
        self.drop_all()

    # -- faults -------------------------------------------------------------------------------------

    def _arm(self, fault: Fault) -> None:
        """Faults apply to new connections; open keep-alive ones are reset so the client must make one."""
        with self._lock:
            self._fault = fault
        if fault.kind != "none":
            self.drop_all()

    def cut_request_after(self, n_bytes: int, connections: int | None = 1) -> None:
        self._arm(Fault("cut_request", n_bytes, connections))

    def cut_response_after(self, n_bytes: int, connections: int | None = 1, request_bytes_first: int = 0) -> None:
        self._arm(Fault("cut_response", n_bytes, connections, request_bytes_first))

    def refuse(self) -> None:
        self._arm(Fault("refuse"))

    def heal(self) -> None:
        self._arm(Fault("none"))

    def drop_all(self) -> None:
        """Reset every connection open now (a network blip under keep-alive connections)."""
        with self._lock:
            victims = list(self._open)
            self._open.clear()
        for sock in victims:
            _reset(sock)

    def _take_fault(self) -> Fault:
        with self._lock:
            fault = self._fault
            if fault.kind == "none":
                return fault
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._fault = Fault("none")
            self.stats.faulted += 1
            return Fault(fault.kind, fault.after_bytes, request_bytes_first=fault.request_bytes_first)

    # -- plumbing -----------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.stats.connections += 1
                target = self._target
            fault = self._take_fault()
            if fault.kind == "refuse":
                self.stats.events.append("refused")
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                self.stats.events.append("upstream down")
                _reset(client)
                continue
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._open.update((client, upstream))
            up_limit = fault.after_bytes if fault.kind == "cut_request" else None
            down_limit = fault.after_bytes if fault.kind == "cut_response" else None
            link = _Link((client, upstream), fault.request_bytes_first)
            threading.Thread(target=self._pump, args=(client, upstream, up_limit, True, link), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, down_limit, False, link), daemon=True).start()

    def _pump(
        self,
        source: socket.socket,
        sink: socket.socket,
        limit: int | None,
        upward: bool,
        link: _Link,
    ) -> None:
        pair = link.sockets
        sent = 0
        try:
            while True:
                data = source.recv(_CHUNK)
                if not data:
                    with contextlib.suppress(OSError):
                        sink.shutdown(socket.SHUT_WR)
                    return
                if upward:
                    link.up += len(data)
                elif link.up < link.request_bytes_first:
                    sink.sendall(data)  # not yet the request whose answer is to be cut
                    self._count(upward, len(data))
                    continue
                if limit is not None and sent + len(data) >= limit:
                    part = data[: max(0, limit - sent)]
                    if part:
                        sink.sendall(part)
                        self._count(upward, len(part))
                    self.stats.events.append(f"cut {'request' if upward else 'response'} after {limit} bytes")
                    self._kill(pair)
                    return
                sink.sendall(data)
                sent += len(data)
                self._count(upward, len(data))
        except OSError:
            self._kill(pair)

    def _count(self, upward: bool, n: int) -> None:
        with self._lock:
            if upward:
                self.stats.bytes_up += n
            else:
                self.stats.bytes_down += n

    def _kill(self, pair: tuple[socket.socket, socket.socket]) -> None:
        with self._lock:
            for sock in pair:
                self._open.discard(sock)
        for sock in pair:
            _reset(sock)

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self.drop_all()

    def __enter__(self) -> NetProxy:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
