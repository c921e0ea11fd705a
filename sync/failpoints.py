"""Named crash points for the fault tests: NIKAY_SYNC_FAILPOINTS="name[,name]" makes the process
kill itself (SIGKILL, no clean-up, like a power cut) when it reaches one of them."""

from __future__ import annotations

import os
import signal

ENV = "NIKAY_SYNC_FAILPOINTS"
AFTER_OUTBOX_READ = "after_outbox_read"
MID_PUSH = "mid_push"  # the push reply arrived, before it is parsed
AFTER_PUSH_RESPONSE_BEFORE_ACK_COMMIT = "after_push_response_before_ack_commit"
MID_PULL_PAGE_APPLY = "mid_pull_page_apply"  # inside the transaction applying a page, before commit


def hit(name: str) -> None:
    armed = os.environ.get(ENV, "")
    if armed and name in {part.strip() for part in armed.split(",")}:
        os.kill(os.getpid(), signal.SIGKILL)
