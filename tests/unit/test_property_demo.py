"""The demo generator: counts, shares, determinism, well-formed Hindi, demands from the tariff."""

from __future__ import annotations

import unicodedata
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.db import Database, open_database
from app.demand.models import Demand
from app.errors import ValidationError
from app.masters.seed import seed_demo_masters
from app.property import demo
from app.property.demo import generate_demo
from app.property.models import Owner, Property
from app.property.search import PropertySearch

N = 3000


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = open_database(tmp_path_factory.mktemp("demo"))
    seed_demo_masters(database)
    generate_demo(database, N, seed=7)
    return database


def scalar(db: Database, sql: str) -> int:
    with db.read() as session:
        return int(session.execute(text(sql)).scalar_one())


def test_counts_and_every_property_has_a_current_demand(demo_db: Database) -> None:
    assert scalar(demo_db, "SELECT count(*) FROM property") == N
    assert scalar(demo_db, "SELECT count(DISTINCT property_uuid) FROM demand WHERE fy = '2026-27'") == N
    assert (
        scalar(
            demo_db,
            "SELECT count(*) FROM property p WHERE NOT EXISTS (SELECT 1 FROM owner o WHERE o.property_uuid = p.uuid)",
        )
        == 0
    )
    assert scalar(demo_db, "SELECT count(*) FROM property_search") == N


def test_shares_of_arrears_unfiled_returns_and_mobiles(demo_db: Database) -> None:
    arrears = scalar(demo_db, "SELECT count(DISTINCT property_uuid) FROM demand WHERE fy = '2025-26'")
    assert 0.16 * N <= arrears <= 0.24 * N
    unfiled = scalar(demo_db, "SELECT count(DISTINCT property_uuid) FROM return_filing WHERE filed = 0")
    assert 0.06 * N <= unfiled <= 0.14 * N
    primary = scalar(demo_db, "SELECT count(*) FROM owner WHERE ordinal = 0")
    without_mobile = scalar(demo_db, "SELECT count(*) FROM owner WHERE ordinal = 0 AND mobile = ''")
    assert 0.18 <= without_mobile / primary <= 0.32
    assert scalar(demo_db, "SELECT count(*) FROM owner WHERE mobile != '' AND length(mobile) != 10") == 0


def test_zero_heads_are_not_written_and_amounts_are_paise(demo_db: Database) -> None:
    assert scalar(demo_db, "SELECT count(*) FROM demand WHERE amount_paise <= 0") == 0
    assert scalar(demo_db, "SELECT count(*) FROM demand WHERE typeof(amount_paise) != 'integer'") == 0
    # every property owes samekit: ₹600 with property tax, ₹300 without
    assert (
        scalar(demo_db, "SELECT count(*) FROM demand WHERE head = 'SAMEKIT' AND amount_paise NOT IN (30000, 60000)")
        == 0
    )


def test_hindi_names_are_nfc_devanagari(demo_db: Database) -> None:
    with demo_db.read() as session:
        names = list(session.scalars(select(Owner.name_hi).limit(500)))
    assert names
    for name in names:
        assert unicodedata.normalize("NFC", name) == name
        letters = [ch for ch in name if not ch.isspace()]
        assert all("\u0900" <= ch <= "\u097f" for ch in letters), name


def test_ids_look_like_the_register(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = session.execute(select(Property.property_id, Property.old_id, Property.ward_no).limit(200)).all()
    for pid, old_id, ward in rows:
        assert pid.startswith(f"W{ward:02d}-") and len(pid) == 10
        assert old_id == "" or old_id.startswith(f"OLD/{ward}/")


def test_same_seed_same_ulb(tmp_path: Path, demo_db: Database) -> None:
    other = open_database(tmp_path / "again")
    seed_demo_masters(other)
    generate_demo(other, N, seed=7)
    query = (
        "SELECT group_concat(property_id || name_en || mobile || address_hi, '|') FROM ("
        " SELECT p.property_id, o.name_en, o.mobile, p.address_hi FROM property p"
        " JOIN owner o ON o.property_uuid = p.uuid ORDER BY p.uuid, o.ordinal)"
    )
    with demo_db.read() as a, other.read() as b:
        assert a.execute(text(query)).scalar_one() == b.execute(text(query)).scalar_one()
        total = select(func.sum(Demand.amount_paise))
        assert a.scalar(total) == b.scalar(total)
    other.dispose()


def test_demo_properties_are_searchable(demo_db: Database) -> None:
    with demo_db.read() as session:
        owner = session.scalars(select(Owner).where(Owner.mobile != "").limit(1)).one()
        first_en, first_hi = owner.name_en.split()[0], owner.name_hi.split()[0]
        mobile, property_uuid = owner.mobile, owner.property_uuid
    search = PropertySearch(demo_db)
    assert property_uuid in [h.uuid for h in search.search(mobile)]
    assert search.search(first_en) and search.search(first_hi)


def test_a_filled_register_is_refused(demo_db: Database) -> None:
    with pytest.raises(ValidationError, match="already has 3,000 properties"):
        generate_demo(demo_db, 10)


def _schema(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as session:
        rows = session.execute(
            text("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def test_keys_are_unique_time_ordered_uuid7(demo_db: Database) -> None:
    with demo_db.read() as session:
        keys = list(session.scalars(text("SELECT uuid FROM property ORDER BY rowid")))
    assert len(set(keys)) == N
    assert keys == sorted(keys)  # insertion order = key order
    for key in keys[:: N // 50]:
        parsed = uuid.UUID(key)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122 and str(parsed) == key


def test_mobiles_are_unique(demo_db: Database) -> None:
    assert scalar(demo_db, "SELECT count(*) - count(DISTINCT mobile) FROM owner WHERE mobile != ''") == 0


def test_the_bulk_load_leaves_the_schema_and_search_triggers_as_they_were(tmp_path: Path, demo_db: Database) -> None:
    fresh = open_database(tmp_path / "fresh")
    try:
        assert _schema(demo_db) == _schema(fresh)  # indexes and triggers re-created word for word
    finally:
        fresh.dispose()
    assert scalar(demo_db, "SELECT suspended FROM property_search_state") == 0
    with demo_db.read() as session:
        config = {row[0]: row[1] for row in session.execute(text("SELECT k, v FROM property_search_config"))}
    assert config.get("automerge", 4) == 4 and config.get("hashsize", 1048576) == 1048576


def test_an_edit_after_the_demo_reaches_the_search_index(tmp_path: Path) -> None:
    db = open_database(tmp_path / "edit")
    try:
        seed_demo_masters(db)
        generate_demo(db, 200, seed=3)
        with db.write() as session:
            target = session.scalars(select(Property).order_by(Property.property_id).limit(1)).one()
            target.owners.append(Owner(ordinal=9, name_en="Zorawar Qureshi", name_hi="ज़ोरावर क़ुरैशी"))
            pid = target.property_id
        hits = PropertySearch(db).search("Zorawar")
        assert [h.property_id for h in hits] == [pid]
    finally:
        db.dispose()


def test_helper_process_and_in_process_make_the_same_register(tmp_path: Path) -> None:
    dumps = []
    for parallel in (True, False):
        db = open_database(tmp_path / f"p{parallel}")
        try:
            seed_demo_masters(db)
            demo_report = generate_demo(db, 2500, seed=11, parallel=parallel)
            with db.read() as session:
                dumps.append(
                    (
                        demo_report.owners,
                        demo_report.demand_rows,
                        session.execute(
                            text(
                                "SELECT group_concat(uuid || property_id || address_en, '|') FROM"
                                " (SELECT * FROM property ORDER BY rowid)"
                            )
                        ).scalar_one(),
                        session.scalar(select(func.sum(Demand.amount_paise))),
                    )
                )
        finally:
            db.dispose()
    assert dumps[0] == dumps[1]


def test_a_failure_half_way_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_database(tmp_path / "fail")
    try:
        seed_demo_masters(db)
        before = _schema(db)
        original = demo.BulkIndexing.add_documents
        calls = {"n": 0}

        def failing(self: Any, documents: Any) -> None:
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("disk full")
            original(self, documents)

        monkeypatch.setattr(demo.BulkIndexing, "add_documents", failing)
        monkeypatch.setattr(demo, "CHUNK", 800)  # several chunks
        with pytest.raises(RuntimeError, match="disk full"):
            generate_demo(db, 3000, seed=5, parallel=False)
        assert scalar(db, "SELECT count(*) FROM property") == 0
        assert scalar(db, "SELECT count(*) FROM property_search") == 0
        assert _schema(db) == before  # dropped indexes and triggers are back
        monkeypatch.undo()
        generate_demo(db, 300, seed=5)
        assert scalar(db, "SELECT count(*) FROM property_search") == 300
    finally:
        db.dispose()
