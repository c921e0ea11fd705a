"""Entry points of the desktop client (pyproject.toml: `nikay-gui`, and the `nikay.frontends` group).

    run_gui(data_dir, local_central=False) -> int
                                  open the desktop app (`nikay gui`; `make run` / `nikay run-demo` pass
                                  local_central=True: a local central is started and the device enrolled)
    run_headless_demo(data_dir, out_dir, local_central=False) -> int
                                  walk every screen offscreen and save screenshots (with a local central:
                                  a receipt is synced and the status bar and conflicts screen shot too)
    main()                                       `python -m ui.launch [--data-dir DIR] [...]`, `nikay-gui`

This module imports only the standard library at import time: start-up must be quick (the login window
shows in well under 1.5 s), so Qt, SQLAlchemy and the services are imported when they are needed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

_STARTED = time.perf_counter()


def default_data_dir() -> Path:
    """$NIKAY_DATA_DIR, else the per-user data folder (as the CLI's app.cli.context.default_data_dir)."""
    if os.environ.get("NIKAY_DATA_DIR"):
        return Path(os.environ["NIKAY_DATA_DIR"]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("nikay", "SUDA Chhattisgarh"))


# The demo syncs more often than an office PC (60 s) so a newcomer sees it happen.
DEMO_SYNC_INTERVAL_S = 15.0


def run_gui(data_dir: Path, local_central: bool = False) -> int:
    """Open the desktop app on `data_dir`; returns the exit code when the last window closes.

    local_central: start a central on this PC (sync/localcentral.py, SQLite under the data folder),
    enrol the device to it on first run, and stop it when the app closes (`make run`)."""
    from ui.application import run

    if not local_central:
        return run(Path(data_dir))
    from sync.localcentral import LocalCentralError, start_local_central

    try:
        central = start_local_central(Path(data_dir))
    except LocalCentralError as exc:
        print(f"warning: no local central ({exc}); the app works offline", file=sys.stderr)
        return run(Path(data_dir))
    try:
        try:
            enrol_demo_device(Path(data_dir), central)
        except Exception as exc:  # the demo still runs, offline, and says why
            print(f"warning: could not enrol with the local central: {type(exc).__name__}: {exc}", file=sys.stderr)
        return run(Path(data_dir), sync_interval_s=DEMO_SYNC_INTERVAL_S)
    finally:
        central.stop()
        print("Local central stopped (its database stays for the next run).")


def enrol_demo_device(data_dir: Path, central: object) -> bool:
    """Enrol this data folder's device to the local central unless it is already; prints what it did."""
    from app.composition import build_services
    from sync.composition import build_sync
    from sync.localcentral import LocalCentral, ensure_enrolled

    assert isinstance(central, LocalCentral)
    services = build_services(data_dir)
    try:
        service = build_sync(services)
        enrolled_now = ensure_enrolled(central, service)
        close = getattr(service, "close", None)
        if callable(close):
            close()
    finally:
        services.close()
    state = "enrolled now" if enrolled_now else "already enrolled"
    print(f"Local central: {central.url} (database {central.db_path}); this device is {state}.", flush=True)
    return enrolled_now


def run_headless_demo(data_dir: Path, out_dir: Path, local_central: bool = False) -> int:
    """Offscreen walk through every screen in English and Hindi; PNGs go to `out_dir` (printed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.demo import run_demo

    return run_demo(Path(data_dir), Path(out_dir), local_central=local_central)


def bench_startup(data_dir: Path) -> int:
    """Print `login-window-shown <seconds>` when the login window is first painted, then exit.

    The seconds are counted from this module's import; tests/bench/bench_startup.py also measures
    from the moment it spawned the process (interpreter start included)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from ui.application import Shell, create_application

    runtime = create_application(Path(data_dir), install_crash_handler=False)
    shell = Shell(runtime)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print(f"login-window-shown {time.perf_counter() - _STARTED:.4f}", flush=True)
                watched.removeEventFilter(self)
                QTimer.singleShot(0, runtime.app.quit)
            return False

    login = shell.start()
    watcher = FirstPaint()
    login.installEventFilter(watcher)
    QTimer.singleShot(10000, runtime.app.quit)  # never hang a benchmark
    runtime.app.exec()
    shell.shutdown()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nikay-gui", description="Nikay desktop client")
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder (default: the per-user one)")
    parser.add_argument("--headless-demo", type=Path, metavar="OUT", help="save screenshots of every screen to OUT")
    parser.add_argument(
        "--local-central", action="store_true", help="start a local central and sync with it (the `make run` demo)"
    )
    parser.add_argument("--bench-startup", action="store_true", help="print the time to the login window and exit")
    parser.add_argument(
        "--bench-memory", action="store_true", help="log in as clerk1, open the counter, search; print RSS (MB)"
    )
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir.expanduser() if args.data_dir else default_data_dir()
    if args.bench_startup:
        return bench_startup(data_dir)
    if args.bench_memory:
        from ui.bench import bench_memory

        return bench_memory(data_dir)
    if args.headless_demo:
        return run_headless_demo(data_dir, args.headless_demo, local_central=args.local_central)
    return run_gui(data_dir, local_central=args.local_central)


if __name__ == "__main__":
    sys.exit(main())
