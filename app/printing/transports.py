"""Sending a finished print job (bytes) to a printer, the ways a ULB office has them.

Network (raw TCP, port 9100), USB (python-escpos `Usb`, vendor:product id), serial (`Serial`), CUPS
on Linux (`lp -d QUEUE -o raw`), the Windows spooler (`Win32Raw`, Windows only) and a file or device
node. Every kind has a deadline: a printer that is off, unplugged or jammed raises `PrinterOffline`
within seconds with a message naming the printer — the caller (the print queue) keeps the receipt and
offers Retry. Nothing here ever blocks a caller forever.

`open_transport(kind, address)` builds one from what the printer settings store.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.errors import NikayError

DEFAULT_TIMEOUT_S = 5.0
RAW_PORT = 9100
KINDS = ("network", "usb", "serial", "cups", "win32", "file")
_ALIASES = {"lp": "cups", "win32raw": "win32"}


class PrinterError(NikayError):
    """The printer could not take the job; the receipt is saved and can be printed again.

    `nothing_sent` is True when the printer refused before any byte went out (no copy can be in the
    tray, so a retry is still the original); False when part of the job may have printed."""

    def __init__(self, message: str, *, nothing_sent: bool = True) -> None:
        super().__init__(message)
        self.nothing_sent = nothing_sent


class PrinterOffline(PrinterError):
    """Nobody answered: switched off, unplugged, wrong address, cover open, out of paper."""


class PrinterUnavailable(PrinterError):
    """This kind of printer cannot be used on this computer (e.g. Win32Raw on Linux, no `lp`)."""


class Transport(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, data: bytes) -> None: ...


def _within(seconds: float, what: str, work: Callable[[], None]) -> None:
    """Run blocking device I/O with a deadline (drivers that ignore timeouts cannot hang the caller)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed to the caller below
            failure.append(error)

    worker = threading.Thread(target=run, name="nikay-print-io", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise PrinterOffline(
            f"{what} did not take the job within {seconds:g} s (off, out of paper or cover open?)", nothing_sent=False
        )
    if failure:
        raise failure[0]


@dataclass
class NetworkTransport:
    """Raw TCP ("JetDirect", port 9100): a plain socket with a timeout on connect and on every send."""

    host: str
    port: int = RAW_PORT
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"

    def send(self, data: bytes) -> None:
        where = f"printer {self.name}"
        try:
            connection = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except ConnectionRefusedError as error:
            raise PrinterOffline(f"{where} refused the connection (is it on, and is the port right?)") from error
        except TimeoutError as error:
            raise PrinterOffline(f"{where} did not answer within {self.timeout:g} s (off or unplugged?)") from error
        except socket.gaierror as error:
            raise PrinterOffline(f"{where}: no such host ({error.strerror})") from error
        except OSError as error:
            raise PrinterOffline(f"{where}: {error.strerror or error}") from error
        try:
            with connection:
                connection.settimeout(self.timeout)
                connection.sendall(data)
                connection.shutdown(socket.SHUT_WR)
        except TimeoutError as error:
            message = f"{where} stopped taking the job for {self.timeout:g} s (out of paper or cover open?)"
            raise PrinterOffline(message, nothing_sent=False) from error
        except OSError as error:
            raise PrinterOffline(f"{where}: {error.strerror or error} while printing", nothing_sent=False) from error


@dataclass
class UsbTransport:
    """A USB printer through libusb (python-escpos `Usb`). On Windows prefer Win32Raw (printing.md)."""

    vendor_id: int
    product_id: int
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def name(self) -> str:
        return f"USB {self.vendor_id:04x}:{self.product_id:04x}"

    def send(self, data: bytes) -> None:
        from app.printing.escpos_out import load_escpos

        escpos = load_escpos()

        started: list[bool] = []

        def work() -> None:
            printer = escpos.Usb(self.vendor_id, self.product_id, timeout=int(self.timeout * 1000))
            try:
                printer.open()
                started.append(True)
                printer._raw(data)
            finally:
                printer.close()

        try:
            _within(self.timeout + 2, f"printer {self.name}", work)
        except PrinterError:
            raise
        except Exception as error:  # DeviceNotFoundError, usb.core.USBError (timeouts), no libusb backend
            raise PrinterOffline(f"printer {self.name}: {_first_line(error)}", nothing_sent=not started) from error


@dataclass
class SerialTransport:
    """A serial (COM / ttyUSB) printer through python-escpos `Serial`, with a write timeout."""

    device: str
    baudrate: int = 9600
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def name(self) -> str:
        return f"{self.device} @ {self.baudrate}"

    def send(self, data: bytes) -> None:
        from app.printing.escpos_out import load_escpos

        escpos = load_escpos()

        started: list[bool] = []

        def work() -> None:
            printer = escpos.Serial(devfile=self.device, baudrate=self.baudrate, timeout=self.timeout)
            try:
                printer.open()
                printer.device.write_timeout = self.timeout
                started.append(True)
                printer._raw(data)
                printer.device.flush()
            finally:
                printer.close()

        try:
            _within(self.timeout + 2, f"printer {self.name}", work)
        except PrinterError:
            raise
        except Exception as error:  # DeviceNotFoundError, SerialTimeoutException
            raise PrinterOffline(f"printer {self.name}: {_first_line(error)}", nothing_sent=not started) from error


@dataclass
class LpTransport:
    """A CUPS queue on Linux: `lp -d QUEUE -o raw` (what escpos' `LP` runs, here with a timeout)."""

    queue: str
    timeout: float = 15.0

    @property
    def name(self) -> str:
        return f"CUPS queue {self.queue}" if self.queue else "the default CUPS printer"

    def send(self, data: bytes) -> None:
        lp = shutil.which("lp")
        if lp is None:
            raise PrinterUnavailable(f"{self.name}: the CUPS `lp` command is not installed")
        try:
            done = subprocess.run(
                [lp, *(["-d", self.queue] if self.queue else []), "-t", "nikay-receipt", "-o", "raw"],
                input=data,
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise PrinterOffline(f"{self.name}: lp did not finish within {self.timeout:g} s") from error
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip() or f"lp exited with {done.returncode}"
            raise PrinterOffline(f"{self.name}: {message}")


@dataclass
class Win32RawTransport:
    """A Windows spooler printer, bytes passed through RAW (python-escpos `Win32Raw`, pywin32)."""

    printer_name: str
    timeout: float = 15.0

    @property
    def name(self) -> str:
        return f"Windows printer {self.printer_name!r}"

    def send(self, data: bytes) -> None:
        if os.name != "nt":
            raise PrinterUnavailable(f"{self.name}: the Windows spooler exists only on Windows")
        if importlib.util.find_spec("win32print") is None:  # pywin32, python-escpos[win32]
            raise PrinterUnavailable(f"{self.name}: pywin32 is not installed")
        from app.printing.escpos_out import load_escpos

        escpos = load_escpos()

        started: list[bool] = []

        def work() -> None:
            printer = escpos.Win32Raw(self.printer_name)
            try:
                printer.open(job_name="Nikay receipt")
                started.append(True)
                printer._raw(data)
            finally:
                printer.close()

        try:
            _within(self.timeout, self.name, work)
        except PrinterError:
            raise
        except Exception as error:
            raise PrinterOffline(f"{self.name}: {_first_line(error)}", nothing_sent=not started) from error


@dataclass
class FileTransport:
    """A file, or a device node such as /dev/usb/lp0 (written with a deadline)."""

    path: Path
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def name(self) -> str:
        return str(self.path)

    def send(self, data: bytes) -> None:
        def work() -> None:
            with open(self.path, "wb") as out:
                out.write(data)
                out.flush()
                if self.path.is_file():
                    os.fsync(out.fileno())

        try:
            _within(self.timeout, f"printer {self.name}", work)
        except PrinterError:
            raise
        except OSError as error:
            raise PrinterOffline(f"printer {self.name}: {error.strerror or error}") from error


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return " ".join(text.split())


def _hex_id(text: str) -> int:
    return int(text.strip(), 16)  # USB ids are written in hex ("0416", "0x0416")


def open_transport(kind: str, address: str, timeout: float = DEFAULT_TIMEOUT_S) -> Transport:
    """A transport from the printer settings' kind and address:

    network `192.168.1.50` or `192.168.1.50:9100`        usb   `0416:5011` (vendor:product, hex)
    serial  `/dev/ttyUSB0`, `COM3`, `COM3,19200`         cups  the CUPS queue name ("" = the default)
    win32   the Windows printer name                     file  a path (or /dev/usb/lp0)
    ("lp" and "win32raw" are accepted for cups and win32.)
    """
    kind = _ALIASES.get(str(kind), str(kind))
    address = address.strip()
    if kind not in KINDS:
        raise PrinterError(f"unknown printer kind {kind!r} (one of {', '.join(KINDS)})")
    if not address and kind != "cups":
        hint = " (VID:PID in hex; `lsusb` shows it)" if kind == "usb" else ""
        raise PrinterError(f"the {kind} printer has no address{hint}")
    try:
        if kind == "network":
            host, _, port = address.rpartition(":")
            return NetworkTransport(host, int(port), timeout) if host else NetworkTransport(address, RAW_PORT, timeout)
        if kind == "usb":
            vendor, _, product = address.partition(":")
            return UsbTransport(_hex_id(vendor), _hex_id(product), timeout)
        if kind == "serial":
            for separator in (",", ":"):
                device, _, baud = address.rpartition(separator)
                if device and baud.strip().isdigit():
                    return SerialTransport(device.strip(), int(baud), timeout)
            return SerialTransport(address, 9600, timeout)
        if kind == "cups":
            return LpTransport(address)
        if kind == "win32":
            return Win32RawTransport(address)
        return FileTransport(Path(address), timeout)
    except ValueError as error:
        raise PrinterError(f"the {kind} printer address {address!r} is not valid ({error})") from error


class _PrinterLike(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def address(self) -> str: ...


def send(printer: _PrinterLike, data: bytes, timeout: float = DEFAULT_TIMEOUT_S) -> None:
    """Send a print job to a configured printer (app/printing/config.PrinterConfig or alike)."""
    open_transport(printer.kind, printer.address, timeout).send(data)
