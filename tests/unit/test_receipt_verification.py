"""The verification code on every receipt: made with the device key, checked locally."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.composition import build_services
from app.core.clock import FixedClock
from app.security.passwords import fast_hasher
from app.security.secrets import MemorySecretStore, OwnerOnlyFileSecretStore, get_or_create_key
from tests.factories import add_property, cash, set_up_device


@pytest.fixture
def services(data_dir: Path, clock: FixedClock):  # type: ignore[no-untyped-def]
    set_up_device(data_dir, clock).dispose()
    built = build_services(data_dir, clock=clock, password_hasher=fast_hasher(), secret_store=MemorySecretStore())
    clerk = built.users.actor_for("clerk1", 1)
    built.collections.open_session(clerk, 0)
    yield built
    built.close()


def test_a_genuine_receipt_verifies_and_a_tampered_one_does_not(services) -> None:  # type: ignore[no-untyped-def]
    clerk = services.users.actor_for("clerk1", 1)
    receipt = services.collections.collect(clerk, cash(add_property(services.db), 211900))
    document = services.receipts.for_receipt(receipt.uuid)
    code = document.verification
    assert code.startswith(f"NKY1|{receipt.receipt_no}|{receipt.uuid}|211900|20260615|")
    assert len(code) < 130  # fits a version-8 QR at level M
    assert services.receipts.verify(code).status == "GENUINE"
    assert services.receipts.verify(code.replace("|211900|", "|911900|")).status == "FORGED"
    assert services.receipts.verify("hello").status == "MALFORMED"


def test_a_cancelled_receipt_is_reported_as_cancelled(services) -> None:  # type: ignore[no-untyped-def]
    clerk = services.users.actor_for("clerk1", 1)
    supervisor = services.users.actor_for("supervisor1", 1)
    receipt = services.collections.collect(clerk, cash(add_property(services.db), 10000))
    code = services.receipts.for_receipt(receipt.uuid).verification
    services.collections.cancel(clerk, supervisor, receipt.uuid, "wrong property chosen")
    result = services.receipts.verify(code)
    assert result.genuine and result.status == "CANCELLED"


def test_another_devices_key_does_not_verify(services) -> None:  # type: ignore[no-untyped-def]
    from app.receipts.verification import verification_text, verify

    other_key = get_or_create_key(MemorySecretStore(), "k")
    code = verification_text(other_key, "DEMO/Z01/C01/2026-27/000001", "u", 100, date(2026, 6, 15))
    assert verify(get_or_create_key(MemorySecretStore(), "k"), code).status == "FORGED"


def test_the_key_is_kept_owner_only_and_reused(tmp_path: Path) -> None:
    store = OwnerOnlyFileSecretStore(tmp_path)
    first = get_or_create_key(store, "receipt-verification-key")
    assert get_or_create_key(OwnerOnlyFileSecretStore(tmp_path), "receipt-verification-key") == first
    path = tmp_path / "secrets" / "receipt-verification-key"
    assert path.stat().st_mode & 0o777 == 0o600
