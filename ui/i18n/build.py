"""`python -m ui.i18n.build` (make translations): compile resources/translations/*.ts into .qm files.

Uses the lrelease shipped with PySide6 (the `pyside6-lrelease` script in the venv, or the binary
bundled inside the PySide6 package). Prints each file it writes; exits non-zero if lrelease fails.

`python -m ui.i18n.build --update-shell` re-extracts the shell's strings (the files in SHELL_SOURCES)
into resources/translations/shell_hi.ts with pyside6-lupdate, keeping the translations already there;
then translate the new `type="unfinished"` entries (Qt Linguist, or by hand) and commit the .ts.
Each screen family keeps its own .ts (e.g. counter_hi.ts); every *.ts in the folder is compiled and
every *_<lang>.qm is loaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ui.paths import translations_dir


def find_lrelease() -> list[str]:
    """The command to run lrelease, preferring the one of the running interpreter's PySide6."""
    scripts = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        candidate = scripts / name
        if candidate.exists():
            return [str(candidate)]
    import PySide6

    package = Path(PySide6.__file__).parent
    for name in ("lrelease", "lrelease.exe", "Qt/bin/lrelease", "Qt/libexec/lrelease"):
        candidate = package / name
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found:
        return [found]
    raise FileNotFoundError("lrelease not found: install PySide6 (it ships pyside6-lrelease)")


SHELL_SOURCES = (
    "ui/application.py",
    "ui/main_window.py",
    "ui/screens.py",
    "ui/overview.py",
    "ui/help_overlay.py",
    "ui/workers.py",
    "ui/login",
    "ui/common",
)


def find_tool(name: str) -> list[str]:
    scripts = Path(sys.executable).parent
    for candidate in (scripts / f"pyside6-{name}", scripts / f"pyside6-{name}.exe"):
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which(f"pyside6-{name}")
    if found:
        return [found]
    raise FileNotFoundError(f"pyside6-{name} not found: install PySide6")


def update_shell_ts(repo_root: Path | None = None) -> Path:
    """Run lupdate over the shell's sources into shell_hi.ts (obsolete entries dropped)."""
    root = repo_root or Path(__file__).resolve().parents[2]
    target = translations_dir() / "shell_hi.ts"
    sources: list[str] = []
    for entry in SHELL_SOURCES:
        path = root / entry
        sources.extend(str(p) for p in sorted(path.rglob("*.py"))) if path.is_dir() else sources.append(str(path))
    command = [*find_tool("lupdate"), "-no-obsolete", "-locations", "none", "-target-language", "hi_IN"]
    command += [*sources, "-ts", str(target)]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"lupdate failed:\n{result.stdout}{result.stderr}")
    print(result.stdout.strip())
    return target


def build(directory: Path | None = None) -> list[Path]:
    directory = directory or translations_dir()
    command = find_lrelease()
    written: list[Path] = []
    for ts in sorted(directory.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        result = subprocess.run(
            [*command, "-silent", str(ts), "-qm", str(qm)], check=False, capture_output=True, text=True
        )
        if result.returncode != 0 or not qm.exists():
            raise RuntimeError(f"lrelease failed on {ts}:\n{result.stdout}{result.stderr}")
        written.append(qm)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--update-shell" in args:
        print(f"updated {update_shell_ts()}")
    try:
        written = build()
    except (RuntimeError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"compiled {path}")
    if not written:
        print(f"no .ts files in {translations_dir()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
