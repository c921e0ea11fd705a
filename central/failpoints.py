"""Failpoints for the fault tests: make a real server process die at an exact point of a push.

Set NIKAY_CENTRAL_FAILPOINTS="name[,name]" in the server's environment. Known names:

- `before_commit`: the push's effects are written but the process dies before COMMIT (nothing lands);
- `after_commit_before_response`: the push committed, then the process dies before replying (the
  device must treat the timeout as "outcome unknown", re-push, and get `duplicate` back).

A dead process (os._exit, no cleanup) is the honest model of a crash or a cut cable: no exception
handler, no rollback message, no half-sent reply.
"""

from __future__ import annotations

import os

ENV_VAR = "NIKAY_CENTRAL_FAILPOINTS"
BEFORE_COMMIT = "before_commit"
AFTER_COMMIT_BEFORE_RESPONSE = "after_commit_before_response"
CRASH_EXIT_CODE = 137  # what a SIGKILLed process reports


def active() -> frozenset[str]:
    """Read each time (cheap): a test may set the variable after import, before the server starts."""
    raw = os.environ.get(ENV_VAR, "")
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def hit(name: str) -> None:
    """Die here if the failpoint `name` is armed."""
    if name in active():
        os._exit(CRASH_EXIT_CODE)
