"""pytest-qt fixtures for the desktop client: offscreen Qt, a real seeded SQLite database per test,
a logged-in UiContext, and a napari-style check that no test leaves a worker thread running.

Every test gets its own data folder, copied from a template seeded once per session (DEMO masters
and the demo users, hashed with cheap argon2 parameters so logins are quick in tests).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.composition import Services, build_services
from app.core.clock import FixedClock
from app.security.roles import Actor

DEMO_PASSWORDS = {"clerk1": "Clerk@123", "supervisor1": "Super@123", "engineer1": "Engineer@123", "admin1": "Admin@123"}


# ---- no dangling threads (napari conftest style) --------------------------------------------------


@pytest.fixture(autouse=True)
def _no_dangling_threads(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a Nikay worker thread, a QThread or a QThreadPool task running."""
    from PySide6.QtCore import QThread, QThreadPool

    started: list[tuple[Any, str]] = []
    original_start = QThread.start

    def tracking_start(self: QThread, *args: Any) -> None:
        import traceback

        started.append((self, "".join(traceback.format_stack(limit=6)[:-1])))
        original_start(self, *args)

    QThread.start = tracking_start  # type: ignore[method-assign]
    before = set(threading.enumerate())
    yield
    QThread.start = original_start  # type: ignore[method-assign]
    problems: list[str] = []
    for thread in set(threading.enumerate()) - before:
        if thread.name.startswith("nikay-"):
            thread.join(2)
            if thread.is_alive():
                problems.append(f"thread {thread.name!r} still running (call Operations.shutdown())")
    for qthread, where in started:
        try:
            if qthread.isRunning() and not qthread.wait(2000):
                problems.append(f"QThread still running, started at:\n{where}")
        except RuntimeError:  # already deleted: it is not running
            pass
    pool = QThreadPool.globalInstance()
    if not pool.waitForDone(2000):
        problems.append(f"QThreadPool still has {pool.activeThreadCount()} active task(s)")
    if problems:
        pytest.fail("dangling threads after the test:\n" + "\n".join(problems))


# ---- data -----------------------------------------------------------------------------------------


def _seed(data_dir: Path) -> None:
    from app.audit.service import AuditLog
    from app.db import open_database
    from app.masters.seed import seed_demo_masters
    from app.security.passwords import fast_hasher
    from app.security.service import UserService

    db = open_database(data_dir)
    try:
        seed_demo_masters(db)
        clock = FixedClock.on_ist_date(date(2026, 6, 15))
        users = UserService(db, AuditLog(clock, 1), clock, fast_hasher())
        users.seed_demo_users()
        try:  # a few properties, if the register's demo generator is available
            from app.property.demo import generate_demo

            generate_demo(db, 60)
        except ImportError:
            pass
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded-template")
    _seed(path)
    return path


@pytest.fixture
def ui_data_dir(tmp_path: Path, seeded_template: Path) -> Path:
    path = tmp_path / "nikay-data"
    shutil.copytree(seeded_template, path)
    return path


@pytest.fixture
def services(ui_data_dir: Path, clock: FixedClock) -> Iterator[Services]:
    """Real services on a real SQLite file, DEMO masters + demo users, logins with cheap argon2."""
    from app.security.passwords import fast_hasher
    from app.security.service import UserService

    built = build_services(ui_data_dir, clock=clock)
    built.users = UserService(built.db, built.audit, clock, fast_hasher())
    yield built
    built.close()


# ---- Qt -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def translations_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """resources/translations/*.ts compiled into a private folder (parallel workers never share .qm files)."""
    from ui.i18n.build import build
    from ui.paths import translations_dir as source_dir

    out = tmp_path_factory.mktemp("qm")
    for ts in source_dir().glob("*.ts"):
        shutil.copy(ts, out / ts.name)
    build(out)
    return out


@pytest.fixture
def runtime(qapp: Any, ui_data_dir: Path, translations_dir: Path) -> Iterator[Any]:
    from ui.application import create_application
    from ui.fonts import DEFAULT_POINT_SIZE, apply_application_font

    rt = create_application(ui_data_dir, install_crash_handler=False)
    rt.translations.directory = translations_dir
    yield rt
    rt.translations.set_language("en")  # translators are process-wide: leave English behind
    apply_application_font(DEFAULT_POINT_SIZE)


@pytest.fixture
def ops(qapp: Any) -> Iterator[Any]:
    from ui.workers import Operations

    operations = Operations()
    yield operations
    operations.wait_idle(5000)
    operations.shutdown()


def login_actor(services: Services, username: str) -> Actor:
    return services.users.authenticate(username, DEMO_PASSWORDS[username], services.device.device_no).actor


@pytest.fixture
def clerk(services: Services) -> Actor:
    return login_actor(services, "clerk1")


@pytest.fixture
def ui_context(services: Services, clerk: Actor, ops: Any) -> Any:
    """A logged-in clerk's UiContext (English)."""
    from ui.context import UiContext

    return UiContext(services=services, actor=clerk, ops=ops, language="en")


@pytest.fixture
def make_main_window(qtbot: Any, services: Services, ops: Any, runtime: Any) -> Any:
    """make_main_window("engineer1") -> a shown MainWindow for that demo user."""
    from ui.context import UiContext
    from ui.main_window import MainWindow

    def make(username: str = "clerk1") -> MainWindow:
        ctx = UiContext(services=services, actor=login_actor(services, username), ops=ops, language="en")
        window = MainWindow(ctx, runtime)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert ops.wait_idle(5000)
        return window

    return make
