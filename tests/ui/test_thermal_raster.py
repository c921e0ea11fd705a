"""The thermal receipt drawn by Qt: exactly the printer's dot width, 1-bit, long Hindi wrapped and never
cut; the ESC/POS bytes (Dummy and a loopback network printer) decode back to the very same dots; the
`nikay receipt render` command. PNGs of Hindi receipts go to /tmp/nikay-print/ to be looked at."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from typer.testing import CliRunner

from app.collections.dto import Mode, ReceiptView
from app.core.clock import FixedClock
from app.demand.dto import AllocatedLine, Head
from app.printing import MonoRaster, thermal_renderer
from app.printing.escpos_out import raster_to_escpos, receipt_to_escpos, settings_for_paper
from app.printing.raster_decode import decode
from app.printing.transports import open_transport
from app.receipts.document import ReceiptDocument, build_document
from tests.unit.test_escpos_out import LoopbackPrinter, same_dots
from ui.printing.raster import render_png, render_thermal, render_thermal_1bit_rows

LOOK_DIR = Path("/tmp/nikay-print")
LONG_NAME = "श्रीमती कृष्णाकुमारी त्रिपाठी पत्नी स्वर्गीय श्री द्वारकाप्रसाद त्रिपाठी (संयुक्त स्वामी: प्रज्ज्वल, ऋद्धि)"
LONG_ADDRESS_HI = (
    "मकान क्रमांक 12/ब, श्री राम जानकी मंदिर के पीछे, महात्मा गांधी चौक, पुरानी बस्ती, "
    "छत्तीसगढ़ हाउसिंग बोर्ड कॉलोनी के पास, रायपुर (छत्तीसगढ़) 492001"
)
LONG_ADDRESS_EN = (
    "House 12/B, behind Shri Ram Janaki Mandir, Mahatma Gandhi Chowk, Purani Basti, near Chhattisgarh "
    "Housing Board Colony, Raipur (Chhattisgarh) 492001, Plot/Khasra/Survey/Number/0012345678/ABCDEFGH/IJKLMNOP"
)


def view(**changes: Any) -> ReceiptView:
    lines = (
        AllocatedLine("2025-26", Head.PENALTY, 100000),
        AllocatedLine("2025-26", Head.SURCHARGE, 39960),
        AllocatedLine("2025-26", Head.PROPERTY_TAX, 162000),
        AllocatedLine("2026-27", Head.PROPERTY_TAX, 162000),
        AllocatedLine("2026-27", Head.SAMEKIT, 60000),
        AllocatedLine("2026-27", Head.REBATE, -10125),
        AllocatedLine("2026-27", Head.ROUND_OFF, -35),
        AllocatedLine("2026-27", Head.ADVANCE, 20000),
    )
    amount = sum(line.amount_paise for line in lines)
    base = ReceiptView(
        uuid="01936f7e-1c2b-7a00-8000-123456789abc",
        receipt_no="DEMO/Z01/C01/2026-27/000007",
        fy="2026-27",
        collected_at=datetime(2026, 6, 15, 5, 30, tzinfo=UTC),
        business_date=date(2026, 6, 15),
        property_uuid="p",
        property_id="W01-000001",
        ward_no=1,
        address_en="12, Gandhi Chowk",
        address_hi="12, गांधी चौक",
        payer_name="रमेश साहू",
        collector_name="सुनीता वर्मा",
        mode=Mode.CASH,
        amount_paise=amount,
        tendered_paise=600000,
        change_paise=600000 - amount,
        instrument_no="",
        instrument_date=None,
        bank="",
        branch="",
        lines=lines,
        balance_after_paise=45000,
        duplicate=False,
        ulb_name_en="Demo Municipal Corporation",
        ulb_name_hi="डेमो नगर पालिक निगम",
    )
    return dataclasses.replace(base, **changes)


def document(
    verification: str = "NKY1|DEMO/Z01/C01/2026-27/000007|5738.00|2026-06-15|k9Qx2mZa", **changes: Any
) -> ReceiptDocument:
    return build_document(view(**changes), office_code="Z01", counter_code="C01", verification=verification)


def long_hindi() -> ReceiptDocument:
    return document(payer_name=LONG_NAME, address_hi=LONG_ADDRESS_HI, address_en=LONG_ADDRESS_EN, duplicate=True)


def assert_nothing_cut(raster: MonoRaster) -> None:
    """Ink stays inside the paper: the outermost rows and columns are blank, so nothing ran off an edge."""
    ink = raster.ink_rows()
    assert ink, "an empty receipt"
    assert ink[-1] < raster.height - 1 and ink[0] > 0
    for y in range(raster.height):
        assert not raster.is_black(0, y) and not raster.is_black(raster.width - 1, y), f"ink at the edge, row {y}"


@pytest.mark.parametrize("dots", [384, 576])
def test_receipt_is_exactly_the_paper_width_and_one_bit(qapp: Any, dots: int) -> None:
    image = render_thermal(document(), dots)
    assert image.width() == dots
    assert image.format() == QImage.Format.Format_Mono
    raster = render_thermal_1bit_rows(document(), dots)
    assert (raster.width, raster.height) == (image.width(), image.height())
    assert_nothing_cut(raster)


@pytest.mark.parametrize("dots", [384, 576])
def test_long_hindi_names_and_addresses_wrap_and_nothing_is_cut(qapp: Any, dots: int) -> None:
    short = render_thermal_1bit_rows(document(), dots)
    long = render_thermal_1bit_rows(long_hindi(), dots)
    assert long.width == dots
    assert long.height > short.height + 100  # the long texts took more lines, not more width
    assert_nothing_cut(long)
    LOOK_DIR.mkdir(parents=True, exist_ok=True)
    (LOOK_DIR / f"receipt-{'58' if dots == 384 else '80'}mm-hindi.png").write_bytes(render_png(long_hindi(), dots))


@pytest.mark.parametrize("dots", [384, 576])
def test_a_word_longer_than_the_paper_breaks_instead_of_running_off(qapp: Any, dots: int) -> None:
    unbroken = document(payer_name="X" * 90, address_en="W" * 120, receipt_no="DEMO-Z01-C01-2026-27-" + "0" * 30)
    raster = render_thermal_1bit_rows(unbroken, dots)
    assert raster.width == dots
    assert_nothing_cut(raster)


def test_banners_qr_and_advance_take_their_place(qapp: Any) -> None:
    plain = render_thermal_1bit_rows(document(), 384).height
    assert render_thermal_1bit_rows(document(duplicate=True), 384).height > plain
    cancelled = document(cancelled="CANCELLED", cancel_reason="wrong property")
    assert render_thermal_1bit_rows(cancelled, 384).height > plain
    assert render_thermal_1bit_rows(document(verification=""), 384).height < plain - 100  # no QR


def test_the_entry_point_is_this_renderer() -> None:
    assert thermal_renderer() is render_thermal_1bit_rows


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("method", ["bitImageRaster", "graphics", "bitImageColumn"])
def test_escpos_bytes_from_dummy_decode_to_the_rendered_raster(qapp: Any, paper: int, method: str) -> None:
    raster, data = receipt_to_escpos(long_hindi(), settings_for_paper(paper, image_method=method))
    assert raster.width == (384 if paper == 58 else 576)
    pages = decode(data).pages()
    assert len(pages) == 1
    assert same_dots(pages[0], raster)


@pytest.mark.parametrize("paper", [58, 80])
def test_a_loopback_network_printer_receives_the_rendered_raster(qapp: Any, paper: int) -> None:
    raster = render_thermal_1bit_rows(long_hindi(), 384 if paper == 58 else 576)
    data = raster_to_escpos(raster, settings_for_paper(paper, copies=2))
    printer = LoopbackPrinter()
    open_transport("network", f"127.0.0.1:{printer.port}").send(data)
    pages = decode(printer.wait()).pages()
    assert len(pages) == 2
    assert all(same_dots(page, raster) for page in pages)


# ---- nikay receipt render -------------------------------------------------------------------------


@pytest.fixture
def saved_receipt(data_dir: Path, clock: FixedClock) -> str:
    from app.composition import build_services
    from tests.factories import add_property, cash, set_up_device

    db = set_up_device(data_dir, clock)
    uuid = add_property(db, owner_en="Krishna Kumari", owner_hi="कृष्णा कुमारी", years=("2025-26", "2026-27"))
    db.dispose()
    services = build_services(data_dir, clock=clock)
    try:
        clerk = services.users.actor_for("clerk1", 1)
        services.collections.open_session(clerk, 100000)
        payable = services.dues.dues(uuid, date(2026, 6, 15)).payable_paise
        return services.collections.collect(clerk, cash(uuid, payable, tendered_paise=payable + 10000)).receipt_no
    finally:
        services.close()


def test_cli_renders_escpos_and_png_of_a_saved_receipt(
    qapp: Any, data_dir: Path, saved_receipt: str, tmp_path: Path
) -> None:
    from PIL import Image

    from app.cli import cli

    runner = CliRunner()
    outputs = {}
    for fmt in ("escpos58", "png58", "escpos80", "png80"):
        out = tmp_path / f"receipt.{fmt}"
        result = runner.invoke(
            cli, ["--data-dir", str(data_dir), "receipt", "render", saved_receipt, "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        outputs[fmt] = out.read_bytes()
    for paper in ("58", "80"):
        png = MonoRaster.from_pil(Image.open(tmp_path / f"receipt.png{paper}"))
        assert png.width == (384 if paper == "58" else 576)
        assert same_dots(decode(outputs[f"escpos{paper}"]).pages()[0], png)
    missing = runner.invoke(
        cli,
        [
            "--data-dir",
            str(data_dir),
            "receipt",
            "render",
            "NO/SUCH",
            "--format",
            "png58",
            "--out",
            str(tmp_path / "x"),
        ],
    )
    assert missing.exit_code == 1 and "no receipt numbered" in missing.output


def _rows(raster: MonoRaster) -> list[int]:
    return [int.from_bytes(raster.row(y), "big") >> (raster.row_bytes * 8 - raster.width) for y in range(raster.height)]


def find(needle: MonoRaster, haystack: MonoRaster) -> tuple[int, int] | None:
    """Where `needle` appears dot for dot inside `haystack` (top-left corner), if it does."""
    small, big = _rows(needle), _rows(haystack)
    mask = (1 << needle.width) - 1
    for y in range(haystack.height - needle.height + 1):
        for x in range(haystack.width - needle.width + 1):
            shift = haystack.width - x - needle.width
            if (big[y] >> shift) & mask == small[0] and all(
                (big[y + dy] >> shift) & mask == small[dy] for dy in range(needle.height)
            ):
                return x, y
    return None


@pytest.mark.parametrize("dots", [384, 576])
def test_the_verification_qr_is_printed_module_for_module(qapp: Any, dots: int) -> None:
    import qrcode

    from ui.printing.raster import QR_MASK_PATTERN, QR_MODULE_DOTS, QR_QUIET_MODULES

    text = "NKY1|DEMO/Z01/C01/2026-27/000007|01936f7e-1c2b-7a00-8000-123456789abc|5738.00|2026-06-15|k9Qx2mZa"
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK_PATTERN)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    scale = QR_MODULE_DOTS
    size = len(matrix) * scale
    row_bytes = (size + 7) // 8
    data = bytearray(row_bytes * size)
    for y in range(size):
        for x in range(size):
            if matrix[y // scale][x // scale]:
                data[y * row_bytes + x // 8] |= 0x80 >> (x % 8)
    expected = MonoRaster(size, size, bytes(data))
    raster = render_thermal_1bit_rows(document(verification=text), dots)
    where = find(expected, raster)
    assert where is not None, "the QR's modules are not in the receipt as encoded"
    x, y = where
    quiet = QR_QUIET_MODULES * scale  # white all around, or a phone will not find it
    assert x >= quiet and x + size + quiet <= raster.width
    assert not any(raster.is_black(qx, qy) for qy in range(y - quiet, y) for qx in range(x - quiet, x + size + quiet))


def _add_printer(data_dir: Path, clock: FixedClock, name: str, address: str) -> None:
    from app.composition import build_services
    from app.printing.config import PrinterConfig, PrinterKind, PrinterSettings

    services = build_services(data_dir, clock=clock)
    try:
        config = PrinterConfig(name=name, kind=PrinterKind.NETWORK, address=address, profile="TM-T20II", paper_mm=80)
        PrinterSettings(services.db, clock).save(config)
    finally:
        services.close()


def test_cli_print_sends_the_receipt_to_a_network_printer(
    qapp: Any, data_dir: Path, clock: FixedClock, saved_receipt: str, tmp_path: Path
) -> None:
    from app.cli import cli

    printer = LoopbackPrinter()
    _add_printer(data_dir, clock, "Counter 1", f"127.0.0.1:{printer.port}")
    runner = CliRunner()
    base = ["--data-dir", str(data_dir), "receipt"]
    result = runner.invoke(cli, [*base, "print", saved_receipt, "--printer", "Counter 1"])
    assert result.exit_code == 0, result.output
    png = tmp_path / "r.png"
    assert runner.invoke(cli, [*base, "render", saved_receipt, "--format", "png80", "--out", str(png)]).exit_code == 0
    from PIL import Image

    [page] = decode(printer.wait()).pages()
    assert same_dots(page, MonoRaster.from_pil(Image.open(png)))


def test_cli_print_to_a_printer_that_refuses_says_so_and_keeps_the_job(
    qapp: Any, data_dir: Path, clock: FixedClock, saved_receipt: str
) -> None:
    from app.cli import cli
    from tests.unit.test_escpos_out import free_port

    port = free_port()
    _add_printer(data_dir, clock, "Counter 1", f"127.0.0.1:{port}")
    arguments = ["--data-dir", str(data_dir), "receipt", "print", saved_receipt, "--printer", "Counter 1"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 1
    assert f"printer 127.0.0.1:{port} refused the connection" in result.output
    assert "stays queued" in result.output
