"""Helpers the benchmarks run inside a real app process (`python -m ui.launch --bench-memory`).

bench_memory: sign in as clerk1 through the login window, open the counter (opening the session if
needed), type one search and wait for its results, then print `rss-mb <resident memory in MB>`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SEARCH_TEXT = "Sahu"


def bench_memory(data_dir: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import psutil
    from PySide6.QtCore import Qt

    from ui.application import Shell, create_application
    from ui.demo import DEMO_PASSWORD, DEMO_USER, OPENING_CASH, DemoError, Walker, _key, _type, close_all_windows

    runtime = create_application(Path(data_dir), install_crash_handler=False)
    runtime.set_language("en", remember=False)
    shell = Shell(runtime)
    login = shell.start()
    assert shell.ops is not None
    walker = Walker(Path(data_dir), shell.ops)
    try:
        walker.wait_for(login.is_ready, "the services to load", timeout_s=120)
        login.username.setText(DEMO_USER)
        login.password.setText(DEMO_PASSWORD)
        _key(login.password, Qt.Key.Key_Return)
        walker.wait_for(lambda: shell.window is not None or login.banner.isVisible(), "the main window")
        if shell.window is None:
            raise DemoError(f"{DEMO_USER} could not sign in: {login.banner.text()}")
        window = shell.window
        assert window is not None
        counter: Any = window.show_screen("counter")
        walker.settle()
        if counter.stack.currentIndex() == counter.PAGE_OPENING:
            counter.opening.amount_edit.selectAll()
            _type(counter.opening.amount_edit, OPENING_CASH)
            _key(counter.opening.amount_edit, Qt.Key.Key_Return)
            walker.wait_for(lambda: counter.stack.currentIndex() == counter.PAGE_COUNTER, "the session")
        counter.search_edit.setFocus()
        _type(counter.search_edit, SEARCH_TEXT)
        walker.wait_for(lambda: counter.results_model.rowCount() > 0, "search results")
        walker.settle()
        rss = psutil.Process().memory_info().rss / (1024 * 1024)
        print(f"rss-mb {rss:.1f}", flush=True)
        print(f"results {counter.results_model.rowCount()}", flush=True)
    except DemoError as exc:
        print(f"error: {exc}", flush=True)
        return 1
    finally:
        shell.shutdown()
        close_all_windows()
    return 0
