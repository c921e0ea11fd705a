"""Printer settings as plain dataclasses, stored in the device database (never synchronised).

A printer has a name, a kind (how bytes reach it), an address, an ESC/POS capability profile, the
paper width, the raster image method and fragment height (some printers garble one method or another,
../shared/domain/printing.md), copies and cut. Each counter (device) has one default printer.
"""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.db import Database
from app.errors import NotFoundError, ValidationError
from app.printing.models import PrinterDefault, PrinterRow
from app.security.roles import Actor, Permission, require

if TYPE_CHECKING:
    from app.audit.service import AuditLog


class PrinterKind(enum.StrEnum):
    USB = "usb"  # address: "VID:PID" in hex, e.g. "0416:5011"
    SERIAL = "serial"  # address: device, e.g. "/dev/ttyUSB0" or "COM3" (optionally ",baudrate")
    NETWORK = "network"  # address: "host" or "host:port" (port 9100 when omitted)
    CUPS = "cups"  # address: the CUPS/LP queue name
    WIN32 = "win32"  # address: the Windows printer name (Win32Raw, through the spooler)
    FILE = "file"  # address: a file or device path the bytes are written to


IMAGE_METHODS = ("bitImageRaster", "graphics", "bitImageColumn")
PAPER_WIDTHS = (58, 80)
# Capability profiles a ULB office has (python-escpos names) and their dot width.
PROFILE_DOTS = {"POS-5890": 384, "TM-T20II": 576, "TM-T88V": 512, "default": 576}
DEFAULT_PORT = 9100
MAX_COPIES = 5

_NAME = re.compile(r"^[\w .\-]{1,60}$")


@dataclass(frozen=True)
class PrinterConfig:
    name: str
    kind: PrinterKind
    address: str = ""
    profile: str = "POS-5890"
    paper_mm: int = 58
    image_method: str = "bitImageRaster"
    fragment_height: int = 960
    copies: int = 1
    cut: bool = True

    @property
    def dots(self) -> int:
        """Raster width in dots: 384 on 58 mm paper, 576 on 80 mm (512 on a TM-T88V)."""
        if self.paper_mm == 58:
            return 384
        return min(PROFILE_DOTS.get(self.profile, 576), 576)

    def host_port(self) -> tuple[str, int]:
        """(host, port) of a network printer."""
        host, _, port = self.address.strip().rpartition(":")
        if not host:
            return self.address.strip(), DEFAULT_PORT
        return host, int(port)

    def validated(self) -> PrinterConfig:
        """The same settings, trimmed; raises ValidationError naming the wrong field."""
        config = replace(self, name=self.name.strip(), address=self.address.strip(), profile=self.profile.strip())
        if not _NAME.match(config.name):
            raise ValidationError("Printer name: 1–60 letters, digits, spaces, '.', '-' or '_'.")
        if config.kind not in (PrinterKind.USB, PrinterKind.CUPS) and not config.address:
            raise ValidationError(f"Printer {config.name}: the address/device is empty.")
        if config.kind == PrinterKind.NETWORK:
            try:
                host, port = config.host_port()
            except ValueError:
                message = f"Printer {config.name}: the port in {config.address!r} is not a number."
                raise ValidationError(message) from None
            if not host or not 0 < port < 65536:
                raise ValidationError(f"Printer {config.name}: {config.address!r} is not host or host:port.")
        if (
            config.kind == PrinterKind.USB
            and config.address
            and not re.match(r"^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$", config.address)
        ):
            raise ValidationError(f"Printer {config.name}: a USB printer is VID:PID in hex, e.g. 0416:5011.")
        if config.paper_mm not in PAPER_WIDTHS:
            raise ValidationError(f"Printer {config.name}: paper width must be 58 or 80 mm.")
        if config.image_method not in IMAGE_METHODS:
            raise ValidationError(f"Printer {config.name}: image method must be one of {', '.join(IMAGE_METHODS)}.")
        if not 24 <= config.fragment_height <= 4096:
            raise ValidationError(f"Printer {config.name}: fragment height must be 24–4096 dots.")
        if not 1 <= config.copies <= MAX_COPIES:
            raise ValidationError(f"Printer {config.name}: copies must be 1–{MAX_COPIES}.")
        if not config.profile:
            raise ValidationError(f"Printer {config.name}: choose a capability profile.")
        return config


def _audit_dict(config: PrinterConfig) -> dict[str, object]:
    return {**asdict(config), "kind": config.kind.value}


def _to_config(row: PrinterRow) -> PrinterConfig:
    return PrinterConfig(
        name=row.name,
        kind=PrinterKind(row.kind),
        address=row.address,
        profile=row.profile,
        paper_mm=row.paper_mm,
        image_method=row.image_method,
        fragment_height=row.fragment_height,
        copies=row.copies,
        cut=row.cut,
    )


class PrinterSettings:
    """Printers of this device and the default printer of each counter."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog | None = None) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit  # with it, every change is in the audit log (who, when, before/after)

    def list_printers(self) -> list[PrinterConfig]:
        with self._db.read() as session:
            return [_to_config(row) for row in session.scalars(select(PrinterRow).order_by(PrinterRow.name))]

    def get(self, name: str) -> PrinterConfig:
        with self._db.read() as session:
            row = session.get(PrinterRow, name.strip())
            if row is None:
                raise NotFoundError(f"No printer named {name!r} is set up on this PC.")
            return _to_config(row)

    def save(
        self, config: PrinterConfig, *, default_for: str | None = None, actor: Actor | None = None
    ) -> PrinterConfig:
        """Insert or update a printer; with `default_for` (a counter code) make it that counter's default.

        `actor` is the person changing it (a supervisor or admin); None only for set-up code (the demo)."""
        if actor is not None:
            require(actor, Permission.CONFIGURE_PRINTERS)
        config = config.validated()
        with self._db.write() as session:
            row = session.get(PrinterRow, config.name)
            before = _audit_dict(_to_config(row)) if row is not None else None
            if row is None:
                row = PrinterRow(name=config.name)
                session.add(row)
            row.kind = config.kind.value
            row.address = config.address
            row.profile = config.profile
            row.paper_mm = config.paper_mm
            row.image_method = config.image_method
            row.fragment_height = config.fragment_height
            row.copies = config.copies
            row.cut = config.cut
            row.updated_at = self._clock.now_utc()
            session.flush()
            if default_for:
                self._set_default(session, default_for, config.name)
            if self._audit is not None:
                after = {**_audit_dict(config), "default_for": default_for or ""}
                self._audit.record(session, actor, "printer.save", "printer", config.name, before, after)
        return config

    def delete(self, name: str, actor: Actor | None = None) -> None:
        if actor is not None:
            require(actor, Permission.CONFIGURE_PRINTERS)
        with self._db.write() as session:
            if self._audit is not None:
                self._audit.record(session, actor, "printer.delete", "printer", name)
            session.execute(delete(PrinterDefault).where(PrinterDefault.printer_name == name))
            session.execute(delete(PrinterRow).where(PrinterRow.name == name))

    def set_default(self, counter_code: str, printer_name: str) -> None:
        with self._db.write() as session:
            if session.get(PrinterRow, printer_name) is None:
                raise NotFoundError(f"No printer named {printer_name!r} is set up on this PC.")
            self._set_default(session, counter_code, printer_name)

    @staticmethod
    def _set_default(session: Session, counter_code: str, printer_name: str) -> None:
        row = session.get(PrinterDefault, counter_code)
        if row is None:
            session.add(PrinterDefault(counter_code=counter_code, printer_name=printer_name))
        else:
            row.printer_name = printer_name

    def default_name(self, counter_code: str) -> str | None:
        with self._db.read() as session:
            row = session.get(PrinterDefault, counter_code)
            return row.printer_name if row is not None else None

    def default_for(self, counter_code: str) -> PrinterConfig | None:
        """The counter's default printer, or None when none is set up."""
        with self._db.read() as session:
            default = session.get(PrinterDefault, counter_code)
            if default is None:
                return None
            row = session.get(PrinterRow, default.printer_name)
            return _to_config(row) if row is not None else None

    def resolve(self, counter_code: str, name: str | None = None) -> PrinterConfig:
        """The printer a job goes to: the named one, else the counter's default. Raises NotFoundError."""
        if name:
            return self.get(name)
        config = self.default_for(counter_code)
        if config is None:
            raise NotFoundError(
                f"No printer is set up for counter {counter_code}: open Printer settings, add the receipt "
                "printer and tick “Default for this counter”."
            )
        return config
