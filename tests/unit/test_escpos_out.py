"""ESC/POS output without Qt: a raster becomes python-escpos image commands that decode back to the same
dots; escpos' import side effects are contained; transports deliver the bytes or fail clearly."""

from __future__ import annotations

import os
import random
import socket
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.errors import ValidationError
from app.printing import MonoRaster
from app.printing.escpos_out import EscposSettings, raster_to_escpos, settings_for_paper
from app.printing.raster_decode import DecodeError, decode
from app.printing.transports import (
    FileTransport,
    LpTransport,
    NetworkTransport,
    PrinterError,
    PrinterOffline,
    PrinterUnavailable,
    SerialTransport,
    Win32RawTransport,
    open_transport,
)
from tests.loopback import LoopbackPrinter, free_port

METHODS = ("bitImageRaster", "graphics", "bitImageColumn")


def pattern(width: int, height: int, seed: int = 7) -> MonoRaster:
    """Random dots with a solid frame (edges are where off-by-one bugs live)."""
    rng = random.Random(seed)
    rows = bytearray(rng.randbytes((width // 8) * height))
    row_bytes = width // 8
    for y in range(height):
        rows[y * row_bytes] |= 0x80
        rows[y * row_bytes + row_bytes - 1] |= 0x01
    rows[:row_bytes] = b"\xff" * row_bytes
    rows[-row_bytes:] = b"\xff" * row_bytes
    return MonoRaster(width, height, bytes(rows))


def same_dots(printed: MonoRaster, rendered: MonoRaster) -> bool:
    """Dot for dot; column mode pads the last 24-dot band with blank rows, nothing else may differ."""
    size = len(rendered.data)
    return (
        printed.width == rendered.width
        and printed.height >= rendered.height
        and printed.data[:size] == rendered.data
        and not any(printed.data[size:])
    )


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("method", METHODS)
def test_dummy_bytes_decode_to_the_same_dots(paper: int, method: str) -> None:
    settings = settings_for_paper(paper, image_method=method, fragment_height=500)
    raster = pattern(settings.width(), 1234)
    job = decode(raster_to_escpos(raster, settings))
    assert job.initialised
    [page] = job.pages()
    assert same_dots(page, raster)
    assert len(job.fragments) == 3  # 1234 rows in fragments of 500 (480 in column mode: whole bands)


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dense", [True, False])
def test_the_fast_path_emits_exactly_what_escpos_image_emits(paper: int, method: str, dense: bool) -> None:
    settings = settings_for_paper(paper, image_method=method, fragment_height=300, high_density=dense)
    raster = pattern(settings.width(), 777, seed=paper)
    assert raster_to_escpos(raster, settings) == raster_to_escpos(raster, settings, escpos_converts=True)


def test_copies_and_cut_follow_the_profile() -> None:
    raster = pattern(576, 300)
    job = decode(raster_to_escpos(raster, settings_for_paper(80, copies=2)))
    assert job.cuts == 2
    assert [same_dots(page, raster) for page in job.pages()] == [True, True]
    no_cutter = decode(raster_to_escpos(pattern(384, 300), settings_for_paper(58, copies=3)))
    assert no_cutter.cuts == 0  # POS-5890 has no cutter: feed past the tear bar instead
    assert len(no_cutter.pages()) == 3 and no_cutter.feed_lines >= 3
    no_cut = decode(raster_to_escpos(raster, settings_for_paper(80, cut=False)))
    assert no_cut.cuts == 0


def test_graphics_fragments_fit_the_16_bit_length() -> None:
    """python-escpos 3.1 silently wraps a GS ( L length above 65,535 (576 x 960 is 69,130 bytes)."""
    raster = pattern(576, 2000)
    data = raster_to_escpos(raster, settings_for_paper(80, image_method="graphics", fragment_height=960))
    start = 0
    while (at := data.find(b"\x1d(L", start)) >= 0:
        length = data[at + 3] | data[at + 4] << 8
        assert data[at + 5 + length : at + 5 + length + 1] in (b"\x1d", b"\x1b", b"")  # the next command follows
        start = at + 5 + length
    assert same_dots(decode(data).pages()[0], raster)


def test_settings_are_checked() -> None:
    with pytest.raises(ValidationError, match="384"):
        raster_to_escpos(pattern(576, 10), settings_for_paper(58))
    with pytest.raises(ValidationError, match="image method"):
        EscposSettings(image_method="bitImageFancy").checked()
    with pytest.raises(ValidationError, match="profile"):
        EscposSettings(profile="No-Such-Printer").checked()
    with pytest.raises(ValidationError, match="paper width"):
        EscposSettings(profile="default").checked()  # escpos' default profile states no width
    assert EscposSettings(profile="default", dots=576).width() == 576
    assert EscposSettings(profile="TM-T88V").width() == 512


def test_decoder_refuses_what_it_does_not_understand() -> None:
    with pytest.raises(DecodeError, match="text"):
        decode(b"\x1b@Rs. 100\n")
    with pytest.raises(DecodeError, match="cut short"):
        decode(b"\x1dv0\x00\x30\x00\x10\x00" + bytes(10))


# ---- import side effects ------------------------------------------------------------------------


def _python(code: str, env: dict[str, str]) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_escpos_import_adds_no_root_handler_and_no_temp_files(tmp_path: Path) -> None:
    system_tmp, ours = tmp_path / "system-tmp", tmp_path / "data" / "cache" / "escpos"
    system_tmp.mkdir()
    env = {"TMPDIR": str(system_tmp)}
    code = f"""
        import logging
        from pathlib import Path
        before = list(logging.getLogger().handlers)
        from app.printing.escpos_out import load_escpos
        load_escpos(Path({str(ours)!r}))
        print(len(logging.getLogger().handlers) - len(before))
    """
    assert _python(code, env) == "0"
    assert list(system_tmp.iterdir()) == []
    assert [p.name.endswith(".capabilities.pickle") for p in ours.iterdir()] == [True]

    # The control: imported bare, escpos does both (so the test above can fail).
    bare = _python("import logging, escpos.printer; print(len(logging.getLogger().handlers))", env)
    assert bare == "1"
    [stray] = system_tmp.iterdir()
    assert [p.name.endswith(".capabilities.pickle") for p in stray.iterdir()] == [True]


# ---- transports ---------------------------------------------------------------------------------


def test_network_transport_delivers_every_byte() -> None:
    raster = pattern(576, 700)
    data = raster_to_escpos(raster, settings_for_paper(80))
    printer = LoopbackPrinter()
    open_transport("network", f"127.0.0.1:{printer.port}").send(data)
    received = printer.wait()
    assert received == data
    assert same_dots(decode(received).pages()[0], raster)


def test_a_printer_that_refuses_raises_printer_offline() -> None:
    port = free_port()
    with pytest.raises(PrinterOffline, match=f"printer 127.0.0.1:{port} refused the connection") as caught:
        NetworkTransport("127.0.0.1", port, timeout=2).send(b"\x1b@")
    assert caught.value.nothing_sent


def test_a_printer_that_stops_reading_times_out() -> None:
    """Out of paper: the printer accepts the connection, then reads nothing; the send gives up."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        transport = NetworkTransport("127.0.0.1", server.getsockname()[1], timeout=0.5)
        with pytest.raises(PrinterOffline, match="stopped taking the job") as caught:
            transport.send(bytes(64 * 1024 * 1024))
        assert not caught.value.nothing_sent
    finally:
        server.close()


def test_file_transport_and_a_missing_folder(tmp_path: Path) -> None:
    FileTransport(tmp_path / "job.bin").send(b"\x1b@abc")
    assert (tmp_path / "job.bin").read_bytes() == b"\x1b@abc"
    with pytest.raises(PrinterOffline, match="nowhere"):
        open_transport("file", str(tmp_path / "nowhere" / "job.bin")).send(b"x")


def test_serial_transport_through_a_pty() -> None:
    master, slave = os.openpty()
    try:
        SerialTransport(os.ttyname(slave), 19200, timeout=2).send(b"\x1b@" + bytes(range(200)))
        received = b""
        while len(received) < 202:
            received += os.read(master, 1024)
        assert received == b"\x1b@" + bytes(range(200))
    finally:
        os.close(master)
        os.close(slave)


def test_lp_transport_runs_lp_raw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "lp"
    fake.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\ncat > {tmp_path}/job\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    open_transport("cups", "RECEIPTS").send(b"\x1b@job")
    assert (tmp_path / "job").read_bytes() == b"\x1b@job"
    assert (tmp_path / "args").read_text().split() == ["-d", "RECEIPTS", "-t", "nikay-receipt", "-o", "raw"]
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PrinterUnavailable, match="lp"):
        LpTransport("RECEIPTS").send(b"x")


@pytest.mark.skipif(os.name == "nt", reason="checks the message elsewhere")
def test_win32raw_is_clear_about_windows() -> None:
    with pytest.raises(PrinterUnavailable, match="only on Windows"):
        Win32RawTransport("EPSON TM-T20II").send(b"x")


def test_addresses_as_the_settings_store_them() -> None:
    assert open_transport("network", "192.168.1.50") == NetworkTransport("192.168.1.50", 9100)
    assert open_transport("network", "printer.local:9101").name == "printer.local:9101"
    usb = open_transport("usb", "0416:5011")
    assert (usb.vendor_id, usb.product_id) == (0x0416, 0x5011)  # type: ignore[attr-defined]
    assert open_transport("serial", "COM3,19200") == SerialTransport("COM3", 19200)
    assert open_transport("serial", "/dev/ttyUSB0") == SerialTransport("/dev/ttyUSB0", 9600)
    assert open_transport("lp", "") == LpTransport("")  # the default CUPS destination
    with pytest.raises(PrinterError, match="VID:PID"):
        open_transport("usb", "")
    with pytest.raises(PrinterError, match="unknown printer kind"):
        open_transport("bluetooth", "x")
    with pytest.raises(PrinterError, match="not valid"):
        open_transport("network", "host:port")


def test_a_missing_usb_printer_is_offline_not_a_crash() -> None:
    with pytest.raises(PrinterOffline, match="USB 0416:5011"):
        open_transport("usb", "0416:5011", timeout=1).send(b"x")
