"""`nikay-central serve` listens on a socket whose accepted connections have Nagle's algorithm off:
without it every reply's body waited ~40 ms for the delayed ACK of its headers (docs/sync-performance.md)."""

from __future__ import annotations

import socket

from central.api.server import NoDelayConfig


def test_connections_accepted_by_the_serve_socket_send_without_delay() -> None:
    config = NoDelayConfig("central.api.app:serve_app", factory=True, host="127.0.0.1", port=0, workers=2)
    listener = config.bind_socket()
    try:
        listener.listen()  # the server does this when it starts
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        client = socket.create_connection(listener.getsockname()[:2])
        accepted, _ = listener.accept()
        try:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        finally:
            accepted.close()
            client.close()
    finally:
        listener.close()
