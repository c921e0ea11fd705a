"""The verification QR printed on a thermal receipt decodes back to the exact code, and verifies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import zxingcpp

from app.composition import build_services
from app.core.clock import FixedClock
from app.printing import PAPER_DOTS
from app.security.passwords import fast_hasher
from app.security.secrets import MemorySecretStore
from tests.factories import add_property, cash, set_up_device
from ui.printing.raster import render_thermal_1bit_rows


def test_thermal_receipt_qr_decodes_and_verifies(qtbot: Any, data_dir: Path, clock: FixedClock) -> None:
    set_up_device(data_dir, clock).dispose()
    services = build_services(data_dir, clock=clock, password_hasher=fast_hasher(), secret_store=MemorySecretStore())
    try:
        clerk = services.users.actor_for("clerk1", 1)
        services.collections.open_session(clerk, 0)
        receipt = services.collections.collect(clerk, cash(add_property(services.db), 211900))
        document = services.receipts.for_receipt(receipt.uuid)
        for paper in (58, 80):
            image = render_thermal_1bit_rows(document, PAPER_DOTS[paper]).to_pil().convert("L")
            found = [result.text for result in zxingcpp.read_barcodes(image)]
            assert found == [document.verification], f"{paper} mm: decoded {found}"
            assert services.receipts.verify(found[0]).status == "GENUINE"
    finally:
        services.close()
