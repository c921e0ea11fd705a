"""A 1-bit receipt raster as ESC/POS bytes, built with python-escpos' `Dummy` printer.

Everything is sent as an image (printing.md: no code page has Devanagari; "₹" would print as "?").
Per printer: the capability profile (POS-5890 for cheap 58 mm, TM-T20II for 80 mm, ...), the image
method (`bitImageRaster` = GS v 0, `graphics` = GS ( L, `bitImageColumn` = ESC *: some printers garble
one or another), the fragment height, copies, and a cut when the profile has a cutter.

Importing escpos has two side effects we contain (`load_escpos`): `logging.basicConfig()` on the root
logger (duplicate log lines), and a capabilities pickle written to a fresh `mkdtemp()` folder in the
system temp dir. We point `ESCPOS_CAPABILITIES_PICKLE_DIR` at a folder of ours before the import, keep
even escpos' eager `mkdtemp()` inside it, and remove any root handler the import added.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from app.errors import ValidationError
from app.printing import PAPER_DOTS, MonoRaster, ThermalRenderer, thermal_renderer
from app.receipts.document import ReceiptDocument

PICKLE_DIR_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
IMAGE_METHODS = ("bitImageRaster", "graphics", "bitImageColumn")
COLUMN_BAND_DOTS = 24  # ESC * 33 prints bands of 24 dots
PROFILE_FOR_PAPER = {58: "POS-5890", 80: "TM-T20II"}
FEED_LINES_WITHOUT_CUTTER = 4
GRAPHICS_MAX_LENGTH = 0xFFFF  # pL pH of GS ( L
GRAPHICS_OVERHEAD = 10  # m fn a bx by c xL xH yL yH  # past the tear bar

_import_lock = threading.Lock()
_loaded: dict[str, ModuleType] = {}


def default_pickle_dir() -> Path:
    """Nikay's own cache folder (never the shared system temp dir)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("nikay", "SUDA Chhattisgarh")) / "escpos"


def load_escpos(pickle_dir: Path | None = None) -> ModuleType:
    """`escpos.printer`, imported once with its side effects contained (see the module docstring).

    `pickle_dir` (e.g. `<data dir>/cache/escpos`) is used on the first call; an explicit
    ESCPOS_CAPABILITIES_PICKLE_DIR in the environment wins."""
    with _import_lock:
        if "escpos" in _loaded:
            return _loaded["escpos"]
        folder = Path(os.environ.get(PICKLE_DIR_ENV) or pickle_dir or default_pickle_dir())
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[PICKLE_DIR_ENV] = str(folder)
        root = logging.getLogger()
        handlers_before = list(root.handlers)
        level_before = root.level
        before = set(folder.iterdir())
        saved_tempdir = tempfile.tempdir
        tempfile.tempdir = str(folder)  # escpos calls mkdtemp() even when the variable is set
        try:
            module = importlib.import_module("escpos.printer")
        finally:
            tempfile.tempdir = saved_tempdir
            for handler in list(root.handlers):
                if handler not in handlers_before:
                    root.removeHandler(handler)
            root.setLevel(level_before)
            for stray in set(folder.iterdir()) - before:
                if stray.is_dir() and not any(stray.iterdir()):
                    stray.rmdir()
        _loaded["escpos"] = module
        return module


@dataclass(frozen=True)
class EscposSettings:
    """How one printer wants its receipts (the printer settings dialog stores these)."""

    profile: str = "POS-5890"
    image_method: str = "bitImageRaster"
    fragment_height: int = 960
    copies: int = 1
    cut: bool = True
    high_density: bool = True
    dots: int | None = None  # paper width for a profile that does not state one (e.g. "default")

    def checked(self) -> EscposSettings:
        if self.image_method not in IMAGE_METHODS:
            raise ValidationError(f"image method {self.image_method!r} is not one of {', '.join(IMAGE_METHODS)}")
        if not 1 <= self.copies <= 9:
            raise ValidationError(f"copies must be 1 to 9, not {self.copies}")
        if not 24 <= self.fragment_height <= 4096:
            raise ValidationError(f"fragment height must be 24 to 4096 dots, not {self.fragment_height}")
        self.width()  # raises for an unknown profile or an unknown width
        return self

    def width(self) -> int:
        """Dots across the paper: the profile's, else `dots`."""
        stated = _stated_dots(self.profile)
        if stated is not None:
            return stated
        if self.dots:
            return self.dots
        raise ValidationError(f"printer profile {self.profile!r} does not say its paper width; choose another profile")

    def effective_fragment_height(self, width: int) -> int:
        """The fragment height actually sent for an image `width` dots wide.

        Column mode prints 24-dot bands: a fragment that is not a whole number of bands would leave
        blank stripes inside the receipt, so it is rounded down to whole bands. GS ( L carries its
        length in 16 bits, and python-escpos 3.1 silently wraps a longer one (a 576-dot image of 960
        rows is 69,130 bytes): graphics fragments are kept under 65,535 bytes."""
        height = self.fragment_height
        if self.image_method == "bitImageColumn":
            return max(COLUMN_BAND_DOTS, height // COLUMN_BAND_DOTS * COLUMN_BAND_DOTS)
        if self.image_method == "graphics":
            return min(height, (GRAPHICS_MAX_LENGTH - GRAPHICS_OVERHEAD) // ((width + 7) // 8))
        return height


def settings_for_paper(paper_mm: int, **overrides: Any) -> EscposSettings:
    """The usual profile for a paper width (58 -> POS-5890, 80 -> TM-T20II)."""
    if paper_mm not in PROFILE_FOR_PAPER:
        raise ValidationError(f"paper width must be 58 or 80 mm, not {paper_mm}")
    return replace(EscposSettings(profile=PROFILE_FOR_PAPER[paper_mm]), **overrides)


def _profile(name: str) -> Any:
    load_escpos()
    from escpos.capabilities import get_profile

    try:
        return get_profile(name)
    except Exception as error:  # escpos raises its own NotSupported/KeyError variants
        raise ValidationError(f"unknown printer profile {name!r}") from error


def _stated_dots(name: str) -> int | None:
    pixels = _profile(name).profile_data.get("media", {}).get("width", {}).get("pixels")
    return pixels if isinstance(pixels, int) else None


def profile_dots(name: str) -> int:
    """The printable width of a capability profile, in dots (POS-5890: 384, TM-T20II: 576)."""
    return EscposSettings(profile=name).width()


def has_cutter(name: str) -> bool:
    profile = _profile(name)
    return bool(profile.supports("paperFullCut") or profile.supports("paperPartCut"))


def raster_to_escpos(raster: MonoRaster, settings: EscposSettings, *, escpos_converts: bool = False) -> bytes:
    """The print job for one receipt raster: initialise, the image per copy, then cut (or feed).

    The image commands are python-escpos' (`_send_image`: its header helpers and encoders on our ready
    1-bit rows); `escpos_converts=True` hands Pillow images to `Escpos.image()` instead, which converts
    every fragment again (RGBA, paste, dither) — the same bytes (tested), several times slower."""
    settings = settings.checked()
    dots = settings.width()
    if raster.width > dots:
        raise ValidationError(f"the receipt is {raster.width} dots wide; {settings.profile} prints {dots}")
    printer = load_escpos().Dummy(profile=settings.profile)
    step = settings.effective_fragment_height(raster.width)
    if escpos_converts:
        image = raster.to_pil()
        # python-escpos print()s a notice to stdout for a profile without a stated width: keep stdout clean.
        with contextlib.redirect_stdout(io.StringIO()):
            for top in range(0, raster.height, step):
                printer.image(
                    image.crop((0, top, raster.width, min(top + step, raster.height))),
                    high_density_vertical=settings.high_density,
                    high_density_horizontal=settings.high_density,
                    impl=settings.image_method,
                    fragment_height=step,
                    center=False,
                )
    else:
        row_bytes = raster.row_bytes
        for top in range(0, raster.height, step):
            bottom = min(top + step, raster.height)
            rows = raster.data[top * row_bytes : bottom * row_bytes]
            _send_image(printer, MonoRaster(raster.width, bottom - top, rows), settings)
    if settings.cut and has_cutter(settings.profile):
        printer.cut()
    else:
        printer.print_and_feed(FEED_LINES_WITHOUT_CUTTER)
    initialise = b"\x1b@"  # ESC @: a clean state whatever the last job left behind
    return initialise + bytes(printer.output) * settings.copies


def _send_image(printer: Any, fragment: MonoRaster, settings: EscposSettings) -> None:
    """One fragment as python-escpos 3.1's `Escpos.image()` sends it, without the conversion it does
    first (RGBA, paste, grey, invert, dither: our raster is already 1-bit with 1 = a black dot, which is
    where that conversion ends). Raster data (GS v 0, GS ( L) is our rows as they are — the packing of
    `EscposImage.to_raster_format()`; column bands come from escpos' own `to_column_format()`. Mirrors
    the three branches of `Escpos.image()`; tests compare the bytes with it for every method."""
    dense = settings.high_density
    if settings.image_method == "bitImageRaster":  # GS v 0
        density = (0 if dense else 1) + (0 if dense else 2)
        header = b"\x1dv0" + bytes((density,)) + printer._int_low_high(fragment.row_bytes, 2)
        printer._raw(header + printer._int_low_high(fragment.height, 2) + fragment.data)
    elif settings.image_method == "graphics":  # GS ( L: store, then print
        size = printer._int_low_high(fragment.width, 2) + printer._int_low_high(fragment.height, 2)
        scale = b"\x01" if dense else b"\x02"
        printer._image_send_graphics_data(b"0", b"p", b"0" + scale + scale + b"1" + size + fragment.data)
        printer._image_send_graphics_data(b"0", b"2", b"")
    else:  # ESC *, 24-dot column bands
        from escpos.image import EscposImage
        from PIL import Image

        im = EscposImage.__new__(EscposImage)  # skip the converting __init__
        im.img_original = im._im = Image.frombytes("1", (fragment.width, fragment.height), fragment.data)
        header = b"\x1b*" + bytes(((1 if dense else 0) + (32 if dense else 0),)) + printer._int_low_high(im.width, 2)
        out = [b"\x1b3" + bytes((16,))]
        out.extend(header + blob + b"\n" for blob in im.to_column_format(dense))
        out.append(b"\x1b2")
        printer._raw(b"".join(out))


def receipt_to_escpos(
    document: ReceiptDocument, settings: EscposSettings, renderer: ThermalRenderer | None = None
) -> tuple[MonoRaster, bytes]:
    """Render the receipt at the profile's width and make its print job. Returns (raster, bytes)."""
    render = renderer or thermal_renderer()
    raster = render(document, settings.checked().width())
    return raster, raster_to_escpos(raster, settings)


__all__ = [
    "IMAGE_METHODS",
    "PAPER_DOTS",
    "PROFILE_FOR_PAPER",
    "EscposSettings",
    "has_cutter",
    "load_escpos",
    "profile_dots",
    "raster_to_escpos",
    "receipt_to_escpos",
    "settings_for_paper",
]
