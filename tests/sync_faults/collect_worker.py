"""A counter process for the client-crash test: collects N receipts on an enrolled device folder and
kills itself (SIGKILL, like a power cut) right after the last receipt's COMMIT — before the receipt
could be printed or synced. Test code only.

    python -m tests.sync_faults.collect_worker --data-dir D --receipts N
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--receipts", type=int, required=True)
    args = parser.parse_args()
    from tests.sync_faults.devices import open_counter

    counter = open_counter(args.data_dir, None, new=False)
    made = counter.collect(args.receipts)
    sys.stdout.write(" ".join(made) + "\n")
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # committed, never printed, never synced


if __name__ == "__main__":
    main()
