"""State shared by the CLI commands: where the data is, and the services built from it."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from app.errors import NikayError

if TYPE_CHECKING:
    from app.composition import Services
    from app.core.clock import Clock


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("nikay", "SUDA Chhattisgarh"))


@dataclass
class CliState:
    data_dir: Path
    _services: Services | None = field(default=None, repr=False)

    @classmethod
    def from_option(cls, value: str) -> CliState:
        return cls(Path(value).expanduser() if value else default_data_dir())

    def services(self, clock: Clock | None = None) -> Services:
        """The composition root for this data folder (built once; `clock` fixes the date, e.g. --on)."""
        if self._services is None:
            from app.composition import build_services

            try:
                self._services = build_services(self.data_dir, clock=clock)
            except NikayError as error:
                fail(str(error), 1)
        return self._services


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a clear error on stderr and exit with `code` (2 = bad input)."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)


def fail_on(error: NikayError, code: int = 2) -> NoReturn:
    fail(str(error), code)
