"""Printing: receipts as 1-bit rasters sent to thermal printers (ESC/POS), and the printers themselves.

The raster is drawn by Qt in ui/ (Devanagari needs HarfBuzz shaping; printers have no Devanagari font).
app/ never imports ui/: the desktop package registers its renderer under the entry-point group
`nikay.renderers` (name `thermal`), and `thermal_renderer()` finds it. What crosses the boundary is a
`MonoRaster` — plain bytes, no Qt objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, cast

from app.errors import NikayError

if TYPE_CHECKING:
    from PIL import Image

    from app.receipts.document import ReceiptDocument

DOTS_58MM = 384  # POS-5890 and most 58 mm printers, 203 dpi
DOTS_80MM = 576  # TM-T20II and most 80 mm printers, 203 dpi
PAPER_DOTS = {58: DOTS_58MM, 80: DOTS_80MM}
RENDERER_GROUP = "nikay.renderers"


@dataclass(frozen=True)
class MonoRaster:
    """A 1-bit image as a thermal printer sees it: rows of packed bits, most significant bit = leftmost
    dot, 1 = black (burnt) dot, each row padded to whole bytes (`row_bytes`). The layout of ESC/POS
    `GS v 0` raster data."""

    width: int
    height: int
    data: bytes

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"empty raster {self.width}x{self.height}")
        if len(self.data) != self.row_bytes * self.height:
            raise ValueError(f"raster {self.width}x{self.height} needs {self.row_bytes * self.height} bytes")

    @property
    def row_bytes(self) -> int:
        return (self.width + 7) // 8

    def row(self, y: int) -> bytes:
        return self.data[y * self.row_bytes : (y + 1) * self.row_bytes]

    def is_black(self, x: int, y: int) -> bool:
        return bool(self.data[y * self.row_bytes + x // 8] & (0x80 >> (x % 8)))

    def ink_rows(self) -> list[int]:
        """Indexes of the rows with at least one black dot."""
        blank = bytes(self.row_bytes)
        return [y for y in range(self.height) if self.row(y) != blank]

    def to_pil(self) -> Image.Image:
        """A Pillow mode "1" image (black ink on white), what python-escpos' `image()` expects."""
        from PIL import Image

        # Pillow's mode "1" packs bits the same way, but 1 = white.
        return Image.frombytes("1", (self.width, self.height), _invert_bits(self.data, self.width, self.height))

    @classmethod
    def from_pil(cls, image: Image.Image) -> MonoRaster:
        """From a Pillow image whose black pixels are ink (mode "1" as is; others thresholded at 50 %)."""
        if image.mode != "1":
            image = image.convert("L").point(lambda v: 255 if v >= 128 else 0, mode="1")
        return cls(image.width, image.height, _invert_bits(image.tobytes(), image.width, image.height))


_INVERT = bytes(255 - b for b in range(256))


def _invert_bits(data: bytes, width: int, height: int) -> bytes:
    """Flip every dot (white <-> black), keeping the padding bits at the end of each row 0."""
    flipped = data.translate(_INVERT)
    if width % 8 == 0:
        return flipped
    row_bytes = (width + 7) // 8
    keep = (0xFF << (8 - width % 8)) & 0xFF
    out = bytearray(flipped)
    for y in range(height):
        out[y * row_bytes + row_bytes - 1] &= keep
    return bytes(out)


ThermalRenderer = Callable[["ReceiptDocument", int], MonoRaster]


class RendererUnavailable(NikayError):
    pass


def thermal_renderer() -> ThermalRenderer:
    """The installed thermal renderer: `(document, dots) -> MonoRaster` exactly `dots` wide."""
    found = [ep for ep in entry_points(group=RENDERER_GROUP) if ep.name == "thermal"]
    if not found:
        raise RendererUnavailable(
            "the thermal receipt renderer is not installed (install the nikay package with its desktop ui)"
        )
    return cast(ThermalRenderer, found[0].load())
