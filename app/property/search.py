"""Search-as-you-type over the property register: property ID, old ID, owner name (either script), mobile.

How it works
- ID and old ID prefixes and mobile prefixes use the ordinary B-tree indexes on `property` and `owner`
  (a range scan `col >= 'Q' AND col < 'Q\\U0010ffff'`), so they cost a few page reads.
- Owner names use the FTS5 table `property_search` (migration 0002), one row per property:
  `pid` (property ID and old ID tokens), `name` (every owner's English and Hindi name) and `nkey`
  (every owner's *name key*, see `name_key`). The table is kept in sync with `property` and `owner`
  by SQL triggers, so any write — the service, the importer, the UI, a raw SQL fix — updates it in
  the same transaction; it cannot go stale. Bulk loaders suspend the triggers inside their own
  transaction and index what they added before committing (`BulkIndexing`).
- Cross-script: the name key is a spelling-folded romanisation of a name in either script
  (देवांगन -> "davangan", Dewangan -> "davangan"), so "dewangan" finds an owner recorded only as
  देवांगन and "यादव" finds one recorded only as "Yadav". Devanagari is romanised with Hindi schwa
  deletion (यादव is "yadav", not "yadava"), because that is how people spell names in Latin letters.

Ranking: an exact property ID or old ID first, then ID prefixes (in ID order), then mobile matches,
then names that contain every typed word as a whole word, then names where the words are prefixes,
then ID fragments, then cross-script (name key) matches. Each step is a LIMITed query that stops
as soon as the list is full, so a one-letter query costs no more than a full name.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.core.text import clean_text, has_devanagari
from app.db.engine import Database
from app.property.dto import PropertyHit

MIN_MOBILE_DIGITS = 4
MAX_QUERY_WORDS = 6
MIN_PREFIX_CHARS = 2
MIN_SERIAL_DIGITS = 3

# --- name keys ------------------------------------------------------------------------------------

_VIRAMA = "\u094d"
_NUKTA = "\u093c"
_ANUSVARA = "\u0902"
_CHANDRABINDU = "\u0901"
_VISARGA = "\u0903"

_CONSONANTS: dict[str, str] = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n",
    "च": "ch", "छ": "chh", "ज": "j", "झ": "jh", "ञ": "n",
    "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n",
    "त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
    "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m",
    "य": "y", "र": "r", "ल": "l", "ळ": "l", "व": "v",
    "श": "sh", "ष": "sh", "स": "s", "ह": "h",
}  # fmt: skip
_NUKTA_CONSONANTS: dict[str, str] = {"क": "k", "ख": "kh", "ग": "g", "ज": "z", "ड": "d", "ढ": "rh", "फ": "f", "य": "y"}
_VOWELS: dict[str, str] = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri",
    "ए": "e", "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e",
}  # fmt: skip
_MATRAS: dict[str, str] = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri",
    "े": "e", "ै": "ai", "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e",
}  # fmt: skip

# Unit kinds while romanising: consonant, explicit vowel, inherent vowel (schwa), nasal (anusvara).
_C, _V, _SCHWA, _NASAL = "C", "V", "S", "N"

_ASPIRATES = re.compile(r"([bcdgjkpst])h+")
_DOUBLES = re.compile(r"(.)\1+")
_LABIAL_NASAL = re.compile(r"m(?=[pb])")
_NOT_KEY = re.compile(r"[^a-z0-9]")
_FINAL_EY = re.compile(r"ey$")


def _devanagari_units(word: str) -> list[tuple[str, str]]:
    units: list[tuple[str, str]] = []
    chars = unicodedata.normalize("NFD", word)  # nukta forms decompose to consonant + nukta
    i = 0
    while i < len(chars):
        ch = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _CONSONANTS:
            if nxt == _NUKTA:
                units.append((_C, _NUKTA_CONSONANTS.get(ch, _CONSONANTS[ch])))
                i += 1
                nxt = chars[i + 1] if i + 1 < len(chars) else ""
            else:
                units.append((_C, _CONSONANTS[ch]))
            if nxt == _VIRAMA:
                i += 1
            elif nxt not in _MATRAS:
                units.append((_SCHWA, "a"))
        elif ch in _MATRAS or ch in _VOWELS:
            units.append((_V, _MATRAS.get(ch) or _VOWELS[ch]))
        elif ch == _ANUSVARA:
            units.append((_NASAL, "ng" if nxt == "ह" else "n"))
        elif ch.isascii() and ch.isalnum():
            units.append((_V if ch in "aeiou" else _C, ch.lower()))
        # chandrabindu, visarga, nukta on its own, punctuation: nothing people spell
        i += 1
    return units


def _delete_schwas(units: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Hindi schwa deletion, simplified: drop the final inherent vowel (unless the word is one
    letter or ends in a cluster, as in मिश्र 'mishra'), then drop a medial one between VC_CV."""
    out = list(units)
    if len(out) > 2 and out[-1][0] == _SCHWA and out[-2][0] == _C and out[-3][0] != _C:
        out.pop()
    vowelish = {_V, _SCHWA}
    i = len(out) - 3
    while i >= 2:
        if (
            out[i][0] == _SCHWA
            and out[i - 1][0] == _C
            and out[i - 2][0] in (_V, _SCHWA, _NASAL)
            and out[i + 1][0] == _C
            and out[i + 2][0] in vowelish
        ):
            del out[i]
        i -= 1
    return out


def _fold_latin(text: str) -> str:
    """Fold the spelling differences of Indian names in Latin letters to one form."""
    key = _NOT_KEY.sub("", text.lower())
    key = _FINAL_EY.sub("e", key)
    key = key.replace("ee", "i").replace("oo", "u").replace("w", "v").replace("ph", "f").replace("f", "p")
    key = key.replace("z", "j").replace("q", "k").replace("x", "ks").replace("ck", "k")
    key = _ASPIRATES.sub(r"\1", key)
    key = key.replace("e", "a")
    key = _LABIAL_NASAL.sub("n", key)
    return _DOUBLES.sub(r"\1", key)


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """The spelling-folded Latin key of one word in either script ('' if nothing to spell).

    >>> name_key("देवांगन") == name_key("Dewangan")
    True
    """
    if has_devanagari(word):
        romanised = "".join(text for _, text in _delete_schwas(_devanagari_units(word)))
        return _fold_latin(romanised)
    return _fold_latin(word)


def tokens(text: str) -> list[str]:
    """Split text into words the way the FTS5 tokenizer does (letters, digits and combining marks)."""
    words: list[str] = []
    current: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.category(ch)[0] in "LNM":
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def owner_search_key(name_en: str, name_hi: str) -> str:
    """What goes into owner.search_key: the distinct name keys of both names, space-separated."""
    keys: list[str] = []
    for word in tokens(f"{name_en} {name_hi}"):
        if word.isdigit():
            continue
        key = name_key(word)
        if key and key not in keys:
            keys.append(key)
    return " ".join(keys)


# --- index maintenance for bulk loaders ---------------------------------------------------------

_INDEX_ROWS_SQL = """
INSERT INTO property_search(rowid, pid, name, nkey)
SELECT d.docid,
       p.property_id || ' ' || p.old_id,
       coalesce((SELECT group_concat(o.name_en || ' ' || o.name_hi, ' ') FROM owner o
                 WHERE o.property_uuid = p.uuid), ''),
       coalesce((SELECT group_concat(o.search_key, ' ') FROM owner o WHERE o.property_uuid = p.uuid), '')
FROM property_search_doc d JOIN property p ON p.uuid = d.property_uuid
WHERE d.docid > ?
"""


# The insert triggers a fast bulk load drops (and re-creates, word for word) inside its transaction:
# cheaper than evaluating their `suspended` condition once per inserted row.
_INSERT_TRIGGERS = ("property_search_ai", "owner_search_ai")
# FTS5 settings during a fast bulk load: a large in-memory term buffer (fewer, larger segments) and
# no incremental merging (one 'optimize' at the end). Restored to the FTS5 defaults afterwards.
_BULK_FTS_SETTINGS = (("hashsize", 64 * 1024 * 1024), ("automerge", 0))
_DEFAULT_FTS_SETTINGS = (("hashsize", 1024 * 1024), ("automerge", 4))


class BulkIndexing:
    """Suspend the index triggers for a bulk load of NEW properties on a raw connection, inside the
    loader's own transaction, then index the new properties in one pass before it commits:

        conn.execute("BEGIN IMMEDIATE")
        bulk = BulkIndexing(conn)
        bulk.suspend()
        ... insert property / owner rows ...
        bulk.index_new()   # also resumes the triggers
        conn.execute("COMMIT")

    A loader that has every document's text in memory (the demo generator) goes faster with
    `suspend(fast=True)`, `add_documents(...)` after each batch and `resume()` at the end: the insert
    triggers are dropped for the load and re-created from their own SQL, and the FTS5 index buffers
    more terms in memory and merges once at the end (`resume` optimizes it).

    Other connections never see the suspended state (it is written inside the uncommitted
    transaction; a rollback restores the triggers). Only for inserts of new properties: edits must
    go through the triggers.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._last_docid = 0
        self._dropped: list[tuple[str, str]] = []
        self._fast = False

    def suspend(self, *, fast: bool = False) -> None:
        row = self._conn.execute("SELECT coalesce(max(docid), 0) FROM property_search_doc").fetchone()
        self._last_docid = int(row[0])
        self._conn.execute("UPDATE property_search_state SET suspended = 1")
        if fast:
            self._fast = True
            marks = ",".join("?" * len(_INSERT_TRIGGERS))
            self._dropped = [
                (str(name), str(sql))
                for name, sql in self._conn.execute(
                    f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) ORDER BY name",
                    _INSERT_TRIGGERS,
                )
            ]
            for name, _ in self._dropped:
                self._conn.execute(f'DROP TRIGGER "{name}"')
            self._fts_settings(_BULK_FTS_SETTINGS)

    def add_documents(self, documents: Sequence[tuple[str, str, str, str]]) -> None:
        """Index new properties whose text the loader already has in memory (faster than
        `index_new`): (property_uuid, pid, name, nkey) where pid = "property_id old_id",
        name = every owner's "name_en name_hi", nkey = every owner's search_key, space-separated."""
        first = self._last_docid + 1
        self._conn.executemany(
            "INSERT INTO property_search_doc(docid, property_uuid) VALUES (?, ?)",
            [(first + i, doc[0]) for i, doc in enumerate(documents)],
        )
        self._conn.executemany(
            "INSERT INTO property_search(rowid, pid, name, nkey) VALUES (?, ?, ?, ?)",
            [(first + i, doc[1], doc[2], doc[3]) for i, doc in enumerate(documents)],
        )
        self._last_docid += len(documents)

    def index_new(self) -> int:
        """Index every property that has no index row yet (in one pass), then `resume`."""
        self._conn.execute(
            "INSERT INTO property_search_doc(property_uuid) SELECT p.uuid FROM property p "
            "WHERE NOT EXISTS (SELECT 1 FROM property_search_doc d WHERE d.property_uuid = p.uuid) "
            "ORDER BY p.rowid"
        )
        cursor = self._conn.execute(_INDEX_ROWS_SQL, (self._last_docid,))
        self.resume()
        return int(cursor.rowcount)

    def resume(self) -> None:
        """Turn the triggers back on (re-creating any that `suspend(fast=True)` dropped). After a
        fast load, also restore the FTS5 settings and merge the index into one segment."""
        for _, sql in self._dropped:
            self._conn.execute(sql)
        self._dropped = []
        self._conn.execute("UPDATE property_search_state SET suspended = 0")
        if self._fast:
            self._fast = False
            self._fts_settings(_DEFAULT_FTS_SETTINGS)
            optimize_search_index(self._conn)

    def _fts_settings(self, settings: Iterable[tuple[str, int]]) -> None:
        for key, value in settings:
            self._conn.execute("INSERT INTO property_search(property_search, rank) VALUES (?, ?)", (key, value))


def optimize_search_index(connection: sqlite3.Connection) -> None:
    """Merge the index into one b-tree (after a bulk load: prefix queries read one segment)."""
    connection.execute("INSERT INTO property_search(property_search) VALUES ('optimize')")


def rebuild_search_index(connection: sqlite3.Connection) -> int:
    """Rebuild the whole index from the tables (repair tool; normal writes keep it current)."""
    connection.execute("DELETE FROM property_search")
    connection.execute("DELETE FROM property_search_doc")
    bulk = BulkIndexing(connection)
    bulk.suspend()
    count = bulk.index_new()
    optimize_search_index(connection)
    return count


# --- the search service --------------------------------------------------------------------------

_HIT_SQL = """
SELECT p.uuid, p.property_id, p.old_id, p.ward_no, p.zone_code, p.address_en, p.address_hi,
       coalesce(o.name_en, ''), coalesce(o.name_hi, ''), coalesce(o.mobile, '')
FROM property p
LEFT JOIN owner o ON o.id = (SELECT id FROM owner WHERE property_uuid = p.uuid ORDER BY ordinal, id LIMIT 1)
WHERE p.uuid IN ({marks})
"""


def _fts_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _upper_bound(prefix: str) -> str:
    return prefix + "\U0010ffff"


def normalise_mobile(text: str) -> str:
    """Digits of a typed mobile number without +91/0 prefixes ('' if it is not a number)."""
    compact = re.sub(r"[\s\-+()]", "", text)
    if not compact.isdigit():
        return ""
    if len(compact) > 10 and compact.startswith("91"):
        compact = compact[2:]
    if len(compact) > 10 and compact.startswith("0"):
        compact = compact[1:]
    return compact


@dataclass(frozen=True)
class _Query:
    text: str
    words: tuple[str, ...]
    id_text: str
    mobile: str


def _parse(query: str) -> _Query:
    text = clean_text(query)
    words = tuple(w.lower() for w in tokens(text))[:MAX_QUERY_WORDS]
    return _Query(text=text, words=words, id_text=text.upper().replace(" ", ""), mobile=normalise_mobile(text))


class PropertySearch:
    """Search-as-you-type for the counter. Thread-safe: each call takes its own pooled connection."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def search(self, query: str, limit: int = 30) -> list[PropertyHit]:
        q = _parse(query)
        if not q.text or limit <= 0 or (not q.words and not q.mobile):
            return []
        found: dict[str, None] = {}  # ordered set of property uuids
        with self._db.engine.connect() as connection:
            raw: Any = connection.connection.dbapi_connection
            for sql, params in self._steps(q):
                if len(found) >= limit:
                    break
                # ask for enough rows to fill the list even if earlier steps found some of them
                for (uuid,) in raw.execute(sql, (*params, limit + len(found))):
                    found.setdefault(uuid, None)
                    if len(found) >= limit:
                        break
            return self._hits(raw, list(found))

    def _steps(self, q: _Query) -> Iterable[tuple[str, Sequence[Any]]]:
        single = " " not in q.text
        if single:
            yield "SELECT uuid FROM property WHERE property_id = ? OR old_id = ? LIMIT ?", (q.id_text, q.id_text)
            bounds = (q.id_text, _upper_bound(q.id_text))
            yield (
                "SELECT uuid FROM property WHERE property_id >= ? AND property_id < ? ORDER BY property_id LIMIT ?",
                bounds,
            )
            yield "SELECT uuid FROM property WHERE old_id >= ? AND old_id < ? ORDER BY old_id LIMIT ?", bounds
        if len(q.mobile) >= MIN_MOBILE_DIGITS:
            yield (
                "SELECT property_uuid FROM owner WHERE mobile >= ? AND mobile < ? ORDER BY mobile LIMIT ?",
                (q.mobile, _upper_bound(q.mobile)),
            )
        if any(ch.isdigit() for ch in q.text):
            # IDs and numbers: names have no digits. A bare number may be a serial ("000345").
            if len(q.words) == 1 and q.words[0].isdigit() and len(q.words[0]) >= MIN_SERIAL_DIGITS:
                yield self._fts("pid : " + _fts_string(q.words[0]) + "*")
            return
        if q.words:
            yield self._fts("name : (" + " ".join(_fts_string(w) for w in q.words) + ")")
        # prefix steps only from the second letter: one letter says nothing about a name
        if q.words and len(q.words[-1]) >= MIN_PREFIX_CHARS:
            yield self._fts("name : (" + " ".join(_fts_string(w) + "*" for w in q.words) + ")")
        keys = [name_key(w) for w in q.words]
        if keys and all(keys) and len(keys[-1]) >= MIN_PREFIX_CHARS:
            yield self._fts("nkey : (" + " ".join(_fts_string(k) + "*" for k in keys) + ")")

    @staticmethod
    def _fts(match: str) -> tuple[str, Sequence[Any]]:
        return (
            "SELECT d.property_uuid FROM property_search s JOIN property_search_doc d ON d.docid = s.rowid "
            "WHERE property_search MATCH ? LIMIT ?",
            (match,),
        )

    @staticmethod
    def _hits(cursor: Any, uuids: list[str]) -> list[PropertyHit]:
        if not uuids:
            return []
        rows = cursor.execute(_HIT_SQL.format(marks=",".join("?" * len(uuids))), uuids).fetchall()
        by_uuid = {row[0]: row for row in rows}
        hits: list[PropertyHit] = []
        for uuid in uuids:
            row = by_uuid.get(uuid)
            if row is None:
                continue
            hits.append(
                PropertyHit(
                    uuid=row[0],
                    property_id=row[1],
                    old_id=row[2],
                    ward_no=row[3],
                    zone_code=row[4],
                    address_en=row[5],
                    address_hi=row[6],
                    owner_name_en=row[7],
                    owner_name_hi=row[8],
                    mobile=row[9],
                )
            )
        return hits
