"""The central's settings, from the environment (12-factor: every app process is alike and stateless)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


@dataclass(frozen=True)
class CentralSettings:
    # postgresql+psycopg://user@host:5432/db in production and tests; sqlite:///path only for the demo.
    database_url: str = field(
        default_factory=lambda: os.environ.get(
            "NIKAY_CENTRAL_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/nikay_central"
        )
    )
    # HS256 key for access tokens. Every app process behind the load balancer gets the same one.
    token_secret: str = field(default_factory=lambda: os.environ.get("NIKAY_CENTRAL_TOKEN_SECRET", ""))
    access_token_ttl_s: int = field(default_factory=lambda: _env_int("NIKAY_CENTRAL_ACCESS_TTL_S", 15 * 60))
    # Sliding: each exchange issues a fresh one, so a device offline for weeks is not locked out.
    refresh_token_ttl_days: int = field(default_factory=lambda: _env_int("NIKAY_CENTRAL_REFRESH_TTL_DAYS", 120))
    enrolment_code_ttl_h: int = field(default_factory=lambda: _env_int("NIKAY_CENTRAL_ENROL_TTL_H", 24))
    # A receipt whose business day is older than this when it arrives is flagged late (never refused).
    late_arrival_days: int = field(default_factory=lambda: _env_int("NIKAY_CENTRAL_LATE_DAYS", 3))
    clock_skew_flag_s: int = field(default_factory=lambda: _env_int("NIKAY_CENTRAL_SKEW_FLAG_S", 300))
    # Change-log rows older than this may be pruned; a cursor behind the horizon gets 410.
    feed_retention_days: int = field(default_factory=lambda: _env_int("NIKAY_CENTRAL_FEED_RETENTION_DAYS", 400))
    db_pool_size: int = field(default_factory=lambda: _env_int("NIKAY_CENTRAL_DB_POOL", 10))
    # HMAC key the sandbox payment gateway signs its callbacks with (central/payments).
    gateway_secret: str = field(default_factory=lambda: os.environ.get("NIKAY_CENTRAL_GATEWAY_SECRET", ""))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
