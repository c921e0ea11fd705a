"""How `nikay-central serve` configures uvicorn (a module of its own: worker processes unpickle the
config, so its class must be importable by name)."""

from __future__ import annotations

import socket

import uvicorn


class NoDelayConfig(uvicorn.Config):
    """With --workers N uvicorn binds the listening socket itself (protocol 0), and asyncio then leaves
    Nagle's algorithm on for the connections it accepts: every reply's body waited ~40 ms for the
    delayed ACK of its headers (a push the central served in 23 ms took 70 ms at the device; see
    docs/sync-performance.md). TCP_NODELAY on the listener passes to the sockets it accepts (Linux)."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
