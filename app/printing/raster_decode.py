"""Read an ESC/POS print job back into the images a printer would burn.

The honest test of a print job (printing.md): decode what was sent and compare it dot for dot with
what was rendered. Understands what `escpos_out` emits — ESC @, GS v 0 (raster), GS ( L functions 112
and 50 (graphics: store, then print), ESC * (column bands, with ESC 3 / ESC 2 around them), LF,
ESC d / ESC J feeds and GS V cuts — and refuses anything else rather than guessing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from app.printing import MonoRaster

ESC, GS, LF = 0x1B, 0x1D, 0x0A


class DecodeError(ValueError):
    pass


@dataclass
class DecodedJob:
    """The images in the order printed, and where the paper was cut. `pages()` joins the images
    between cuts into one strip each (a receipt copy)."""

    fragments: list[MonoRaster] = field(default_factory=list)
    cut_after: list[int] = field(default_factory=list)  # number of fragments printed before each cut
    fed_after: list[int] = field(default_factory=list)  # ... before each paper feed (ESC d: tear here)
    feed_lines: int = 0
    initialised: bool = False

    @property
    def cuts(self) -> int:
        return len(self.cut_after)

    def pages(self) -> list[MonoRaster]:
        """One strip per copy: the images between cuts, or between feeds on a printer with no cutter."""
        bounds = sorted({0, *self.cut_after, *self.fed_after, len(self.fragments)})
        pages = []
        for start, end in itertools.pairwise(bounds):
            if end > start:
                pages.append(stack(self.fragments[start:end]))
        return pages


def stack(fragments: list[MonoRaster]) -> MonoRaster:
    """Fragments one under the other (they must share a width)."""
    widths = {fragment.width for fragment in fragments}
    if len(widths) != 1:
        raise DecodeError(f"fragments of different widths {sorted(widths)} cannot form one strip")
    width = widths.pop()
    return MonoRaster(width, sum(f.height for f in fragments), b"".join(f.data for f in fragments))


def _u16(data: bytes, at: int) -> int:
    return data[at] | (data[at + 1] << 8)


def _need(data: bytes, at: int, count: int, what: str) -> None:
    if at + count > len(data):
        raise DecodeError(f"{what} at offset {at} is cut short ({len(data) - at} of {count} bytes)")


def _raster(width_bytes: int, height: int, payload: bytes) -> MonoRaster:
    return MonoRaster(width_bytes * 8, height, payload)


def _columns_to_raster(bands: list[tuple[int, int, bytes]]) -> MonoRaster:
    """ESC * bands (columns of `band_bytes` bytes, top dot = most significant bit) as raster rows."""
    widths = {width for width, _, _ in bands}
    if len(widths) != 1:
        raise DecodeError("column bands of different widths in one image")
    width = widths.pop()
    row_bytes = (width + 7) // 8
    rows: list[bytearray] = []
    for _, band_bytes, blob in bands:
        band_rows = [bytearray(row_bytes) for _ in range(band_bytes * 8)]
        for x in range(width):
            column = blob[x * band_bytes : (x + 1) * band_bytes]
            for byte_index, byte in enumerate(column):
                if not byte:
                    continue
                for bit in range(8):
                    if byte & (0x80 >> bit):
                        band_rows[byte_index * 8 + bit][x // 8] |= 0x80 >> (x % 8)
        rows.extend(band_rows)
    return MonoRaster(width, len(rows), b"".join(bytes(row) for row in rows))


def decode(data: bytes) -> DecodedJob:
    job = DecodedJob()
    bands: list[tuple[int, int, bytes]] = []
    stored: MonoRaster | None = None
    i = 0

    def flush_bands() -> None:
        if bands:
            job.fragments.append(_columns_to_raster(bands))
            bands.clear()

    while i < len(data):
        byte = data[i]
        if byte == LF:
            if not bands:
                job.feed_lines += 1
            i += 1
            continue
        if byte == ESC:
            _need(data, i, 2, "ESC command")
            command = data[i + 1]
            if command == ord("@"):
                job.initialised = True
                i += 2
            elif command == ord("2"):  # default line spacing: the end of a column image
                flush_bands()
                i += 2
            elif command == ord("3"):  # line spacing for column bands
                _need(data, i, 3, "ESC 3")
                i += 3
            elif command in (ord("d"), ord("J")):
                _need(data, i, 3, "feed")
                flush_bands()
                if command == ord("d"):
                    job.feed_lines += data[i + 2]
                    job.fed_after.append(len(job.fragments))
                i += 3
            elif command == ord("*"):
                _need(data, i, 5, "ESC *")
                mode, width = data[i + 2], _u16(data, i + 3)
                band_bytes = 3 if mode in (32, 33) else 1
                _need(data, i + 5, width * band_bytes, "ESC * data")
                bands.append((width, band_bytes, data[i + 5 : i + 5 + width * band_bytes]))
                i += 5 + width * band_bytes
            else:
                raise DecodeError(f"unknown command ESC 0x{command:02x} at offset {i}")
            continue
        if byte == GS:
            _need(data, i, 2, "GS command")
            command = data[i + 1]
            if command == ord("v"):
                _need(data, i, 8, "GS v 0 header")
                if data[i + 2] != ord("0"):
                    raise DecodeError(f"GS v {data[i + 2]:#x} at offset {i} is not raster image 0")
                width_bytes, height = _u16(data, i + 4), _u16(data, i + 6)
                size = width_bytes * height
                _need(data, i + 8, size, "GS v 0 data")
                flush_bands()
                job.fragments.append(_raster(width_bytes, height, data[i + 8 : i + 8 + size]))
                i += 8 + size
            elif command == ord("(") and i + 2 < len(data) and data[i + 2] == ord("L"):
                _need(data, i, 7, "GS ( L header")
                length = _u16(data, i + 3)
                _need(data, i + 5, length, "GS ( L data")
                function = data[i + 6]
                body = data[i + 7 : i + 5 + length]
                if function == 112:  # store: a bx by c xL xH yL yH data
                    width, height = _u16(body, 4), _u16(body, 6)
                    stored = MonoRaster(width, height, bytes(body[8:]))
                elif function == 50:  # print the stored image
                    if stored is None:
                        raise DecodeError(f"GS ( L print at offset {i} with no stored image")
                    flush_bands()
                    job.fragments.append(stored)
                    stored = None
                else:
                    raise DecodeError(f"unknown GS ( L function {function} at offset {i}")
                i += 5 + length
            elif command == ord("V"):
                _need(data, i, 3, "GS V")
                mode = data[i + 2]
                flush_bands()
                job.cut_after.append(len(job.fragments))
                i += 4 if mode in (65, 66, 97, 98, 103, 104) else 3
            else:
                raise DecodeError(f"unknown command GS 0x{command:02x} at offset {i}")
            continue
        raise DecodeError(f"unexpected byte 0x{byte:02x} at offset {i} (text in an image-only job?)")
    flush_bands()
    return job
