"""Printer settings and the persistent print queue (device-local: never synchronised)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, UtcDateTime


class PrinterRow(Base):
    """One printer as the clerk set it up (app/printing/config.py: PrinterConfig)."""

    __tablename__ = "printer"
    __table_args__ = (
        CheckConstraint("kind IN ('usb', 'serial', 'network', 'cups', 'win32', 'file')", name="kind_known"),
        CheckConstraint("paper_mm IN (58, 80)", name="paper_known"),
        CheckConstraint("copies BETWEEN 1 AND 5", name="copies_range"),
    )

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(200), default="")  # host[:port], device path, queue, file
    profile: Mapped[str] = mapped_column(String(40), default="POS-5890")
    paper_mm: Mapped[int] = mapped_column(default=58)
    image_method: Mapped[str] = mapped_column(String(20), default="bitImageRaster")
    fragment_height: Mapped[int] = mapped_column(default=960)
    copies: Mapped[int] = mapped_column(default=1)
    cut: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PrinterDefault(Base):
    """The default printer of one counter (device). Receipts of that counter print there."""

    __tablename__ = "printer_default"

    counter_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    printer_name: Mapped[str] = mapped_column(ForeignKey("printer.name", ondelete="CASCADE"))


class PrintJob(Base):
    """A receipt waiting to be printed, being printed, printed or failed. Survives a restart.

    `sending` is set right before bytes go to the printer and cleared when the printer refused the
    connection before anything was sent; `may_have_printed` becomes true once bytes could have reached
    paper. A later attempt prints DUPLICATE when `duplicate` (a reprint) or `may_have_printed`."""

    __tablename__ = "print_job"
    __table_args__ = (
        Index("ix_print_job_status", "status", "id"),
        CheckConstraint("status IN ('pending', 'printing', 'done', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    receipt_uuid: Mapped[str] = mapped_column(ForeignKey("receipt.uuid"), index=True)
    duplicate: Mapped[bool] = mapped_column(default=False)
    copies: Mapped[int] = mapped_column(default=1)
    printer_name: Mapped[str | None] = mapped_column(String(60), default=None)  # None: the counter's default
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sending: Mapped[bool] = mapped_column(default=False)
    may_have_printed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
