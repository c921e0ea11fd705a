"""Search as the counter uses it: ID, old ID, owner name in either script, mobile; never stale."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.audit.service import AuditLog
from app.core.clock import FixedClock
from app.db import Database
from app.masters.seed import seed_demo_masters
from app.property.dto import OwnerData, UnitData
from app.property.search import PropertySearch, name_key
from app.property.service import PropertyInput, PropertyRegister
from app.security.roles import Actor, Role

SUPERVISOR = Actor(user_id=1, username="sup1", full_name="Supervisor", role=Role.SUPERVISOR, device_no=1)


def _input(pid: str, owners: list[tuple[str, str, str]], old_id: str = "", ward: int = 3) -> PropertyInput:
    return PropertyInput(
        property_id=pid,
        ward_no=ward,
        zone_code="B",
        old_id=old_id,
        owners=tuple(OwnerData(name_en=en, name_hi=hi, mobile=mobile) for en, hi, mobile in owners),
        units=(UnitData(floor=0, area_sqft=Decimal(1000), construction="RCC_RB", usage="RESIDENTIAL"),),
    )


@pytest.fixture
def register(db: Database, clock: FixedClock) -> PropertyRegister:
    seed_demo_masters(db)
    reg = PropertyRegister(db, AuditLog(clock, 1), clock, "DEMO")
    people = [
        ("W03-000001", "OLD/3/1001", [("Ramesh Kumar Sahu", "रमेश कुमार साहू", "9827012345")]),
        ("W03-000002", "OLD/3/1002", [("Ramesh Verma", "रमेश वर्मा", "9827099999")]),
        ("W03-000003", "", [("Rameshwar Yadav", "रामेश्वर यादव", "")]),
        ("W03-000010", "OLD/3/2000", [("", "सुनीता देवांगन", "7000012345")]),  # Hindi only
        ("W03-000011", "", [("Kamla Chandrakar", "", "")]),  # English only
        ("W13-000001", "", [("Geeta Sahu", "गीता साहू", "6260000001"), ("Mohan Sahu", "मोहन साहू", "")]),
        ("W31-000001", "W03-000001X", [("Ram Sahu", "राम साहू", "")]),
    ]
    for pid, old, owners in people:
        reg.create(SUPERVISOR, _input(pid, owners, old_id=old, ward=int(pid[1:3])))
    return reg


def ids(search: PropertySearch, query: str, limit: int = 30) -> list[str]:
    return [hit.property_id for hit in search.search(query, limit)]


def test_property_id_prefix_lists_matches_in_id_order(db: Database, register: PropertyRegister) -> None:
    search = PropertySearch(db)
    # property IDs in ID order, then the old ID that happens to share the prefix
    assert ids(search, "W03-0000") == [
        "W03-000001",
        "W03-000002",
        "W03-000003",
        "W03-000010",
        "W03-000011",
        "W31-000001",
    ]
    assert ids(search, "w03-00001") == ["W03-000010", "W03-000011"]  # case does not matter


def test_exact_id_comes_first_even_when_other_ids_share_the_prefix(db: Database, register: PropertyRegister) -> None:
    search = PropertySearch(db)
    # W03-000001 is exact; W31-000001 has an old ID starting with the same text
    assert ids(search, "W03-000001")[:2] == ["W03-000001", "W31-000001"]


def test_old_id_prefix(db: Database, register: PropertyRegister) -> None:
    assert ids(PropertySearch(db), "OLD/3/100") == ["W03-000001", "W03-000002"]


def test_mobile_prefix_from_four_digits(db: Database, register: PropertyRegister) -> None:
    search = PropertySearch(db)
    assert ids(search, "98270") == ["W03-000001", "W03-000002"]
    assert ids(search, "+91 98270 99999") == ["W03-000002"]
    assert "W13-000001" in ids(search, "6260")


def test_owner_name_words_are_anded_prefixes(db: Database, register: PropertyRegister) -> None:
    search = PropertySearch(db)
    assert ids(search, "ramesh sahu") == ["W03-000001"]
    assert ids(search, "ram sah")[0] in {"W03-000001", "W31-000001"}
    assert set(ids(search, "ram sah")) >= {"W03-000001", "W31-000001"}
    assert ids(search, "sahu mohan") == ["W13-000001"]  # a second owner's name finds the property


def test_whole_word_matches_rank_before_prefix_matches(db: Database, register: PropertyRegister) -> None:
    found = ids(PropertySearch(db), "ramesh")
    assert found[:2] == ["W03-000001", "W03-000002"]  # "Ramesh" before "Rameshwar"
    assert "W03-000003" in found


def test_hindi_name_search(db: Database, register: PropertyRegister) -> None:
    search = PropertySearch(db)
    assert ids(search, "सुनीता") == ["W03-000010"]
    assert ids(search, "देवां") == ["W03-000010"]  # prefix with a matra and anusvara
    assert set(ids(search, "साहू")) == {"W03-000001", "W13-000001", "W31-000001"}


def test_latin_query_finds_a_hindi_only_name(db: Database, register: PropertyRegister) -> None:
    search = PropertySearch(db)
    assert ids(search, "sunita dewangan") == ["W03-000010"]
    assert ids(search, "Dewan") == ["W03-000010"]


def test_hindi_query_finds_an_english_only_name(db: Database, register: PropertyRegister) -> None:
    assert ids(PropertySearch(db), "कमला चंद्राकर") == ["W03-000011"]


def test_name_keys_fold_common_spellings() -> None:
    assert name_key("वर्मा") == name_key("Verma") == name_key("Varma")
    assert name_key("लक्ष्मी") == name_key("Laxmi") == name_key("Lakshmi")
    assert name_key("यादव") == name_key("Yadav")
    assert name_key("सिंह") == name_key("Singh")


def test_edited_name_is_found_at_once_and_the_old_one_is_gone(db: Database, register: PropertyRegister) -> None:
    search = PropertySearch(db)
    [hit] = search.search("Kamla Chandrakar")
    detail = register.get(hit.uuid)
    register.update(
        SUPERVISOR,
        hit.uuid,
        _input(detail.property_id, [("Kamla Nishad", "कमला निषाद", "9300000000")]),
    )
    assert ids(search, "nishad") == ["W03-000011"]
    assert ids(search, "निषाद") == ["W03-000011"]
    assert ids(search, "9300000000") == ["W03-000011"]
    assert ids(search, "chandrakar") == []
    [fresh] = search.search("nishad")
    assert fresh.owner_name_en == "Kamla Nishad"


def test_a_raw_sql_edit_also_reaches_the_index(db: Database, register: PropertyRegister) -> None:
    with db.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE owner SET name_en = 'Bisahu Netam', search_key = 'bisahu natam' WHERE name_en = 'Ramesh Verma'"
        )
    assert ids(PropertySearch(db), "netam") == ["W03-000002"]


def test_limit_and_nonsense(db: Database, register: PropertyRegister) -> None:
    search = PropertySearch(db)
    assert len(search.search("W", limit=2)) == 2
    assert search.search("") == []
    assert search.search('"*) OR (') == []
    assert search.search("zzzz") == []


def test_hit_carries_what_the_counter_shows(db: Database, register: PropertyRegister) -> None:
    [hit] = PropertySearch(db).search("W13-000001")
    assert (hit.owner_name_en, hit.owner_name_hi, hit.mobile, hit.ward_no, hit.zone_code) == (
        "Geeta Sahu",
        "गीता साहू",
        "6260000001",
        13,
        "B",
    )
