"""Appliers for generic synced records (water connections, trade licences, SWM payers, …).

`central.sync.ingest` merges RECORD_APPLIERS into its op-kind dispatch table (`_APPLIERS`): each
entry maps an OpKind to a function `(batch, op) -> OpResult` applied inside the push's transaction,
in device order, like the ingest's own master-data appliers. Filled by the records work (issue 5).
"""

from __future__ import annotations

from collections.abc import Callable

from sync.protocol import OpKind, OpResult

RECORD_APPLIERS: dict[OpKind, Callable[..., OpResult]] = {}
