"""The UPI payment request printed on a demand bill, and QR codes drawn as PDF vectors.

`upi://pay?pa=<vpa>&pn=<payee name>&am=<amount 2dp>&cu=INR&tr=<ref>&tn=<note>`, every value
percent-encoded (printing.md). The ULB's VPA is data: `[payments] upi_vpa` in resources/ulbs/<CODE>.toml.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.platypus import Flowable

from app.core.money import paise_to_decimal
from app.errors import ValidationError
from app.paths import RESOURCES_DIR

QR_MASK = 2
_FIELDS = ("pa", "pn", "am", "cu", "tr", "tn")


def upi_url(vpa: str, payee: str, amount_paise: int, ref: str, note: str) -> str:
    """The UPI deep link for paying `amount_paise` to `vpa`; `ref` is the transaction reference."""
    if "@" not in vpa or not vpa.strip():
        raise ValidationError(f"UPI VPA {vpa!r} is not a VPA (name@bank)")
    if amount_paise <= 0:
        raise ValidationError("a UPI payment request needs an amount above ₹0.00")
    values = {
        "pa": vpa.strip(),
        "pn": payee,
        "am": f"{paise_to_decimal(amount_paise):.2f}",
        "cu": "INR",
        "tr": ref,
        "tn": note,
    }
    # '@' of the VPA stays as it is: UPI apps read `pa=name@bank`; everything else is encoded.
    return "upi://pay?" + "&".join(f"{key}={quote(values[key], safe='@' if key == 'pa' else '')}" for key in _FIELDS)


def parse_upi_url(url: str) -> dict[str, str]:
    """The fields of a `upi://pay?...` link, decoded (the inverse of `upi_url`)."""
    parts = urlsplit(url)
    if parts.scheme != "upi" or parts.netloc != "pay":
        raise ValidationError(f"not a UPI payment link: {url!r}")
    return dict(parse_qsl(parts.query, keep_blank_values=True, strict_parsing=True))


@cache
def ulb_upi_vpa(ulb_code: str, resources_dir: Path = RESOURCES_DIR) -> str:
    """The ULB's collection VPA from resources/ulbs/<CODE>.toml `[payments] upi_vpa` ("" if none)."""
    path = resources_dir / "ulbs" / f"{ulb_code}.toml"
    if not path.exists():
        return ""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return str(data.get("payments", {}).get("upi_vpa", "")).strip()


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of `data` as a QR code at level M, without the quiet zone."""
    # A fixed mask: choosing the best of eight costs ~60 ms a code in pure Python (5,000 notices!);
    # any mask is a valid code and reads the same.
    # Finding the smallest version that fits is half the work of a code: do it once per data length
    # (the same length of byte-mode data always needs the same version).
    version = _versions.get(len(data.encode()))
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0, box_size=1, mask_pattern=QR_MASK)
    code.add_data(data)
    code.make(fit=version is None)
    _versions[len(data.encode())] = code.version
    return [list(row) for row in code.get_matrix()]


_versions: dict[int, int] = {}


class QrFlowable(Flowable):  # type: ignore[misc]
    """A QR code drawn as vector rectangles (sharp at any size, no image to encode)."""

    def __init__(self, data: str, size: float, quiet_modules: int = 2) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.matrix = qr_matrix(data)
        self.quiet = quiet_modules

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canvas = self.canv
        count = len(self.matrix) + 2 * self.quiet
        module = self.size / count
        # In module units (origin at the top-left module, y down as negative), every rectangle has
        # integer coordinates: the path is written as PDF operators directly, one `re` per dark run
        # of a row — ~1 ms a code instead of ~15 ms through canvas.rect's float formatting.
        runs: list[str] = []
        for r, row in enumerate(self.matrix):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append(f"{start} {-(r + 1)} {c - start} 1 re")
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        canvas.translate(self.quiet * module, self.size - self.quiet * module)
        canvas.scale(module, module)
        canvas._code.append("\n".join(runs) + "\nf")
        canvas.restoreState()
