"""The pure hash chain."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from motcua.dossiers import audit
from motcua.dossiers.audit import GENESIS, EventRecord, chain_hash, verify_chain

AT = datetime(2025, 9, 9, 2, 0, tzinfo=UTC)


def _chain(n: int) -> list[tuple[EventRecord, str, str]]:
    links, prev = [], GENESIS
    for i in range(1, n + 1):
        record = EventRecord(7, i, "forward", "processing", "processing", 3, AT + timedelta(minutes=i), {"i": i})
        digest = chain_hash(prev, record)
        links.append((record, prev, digest))
        prev = digest
    return links


def test_canonical_json_sorts_keys_and_writes_utc():
    text = audit.canonical({"b": 1, "a": datetime(2025, 9, 9, 9, 0, tzinfo=audit.UTC), "d": Decimal("1.50")})

    assert text == '{"a":"2025-09-09T09:00:00.000000+00:00","b":1,"d":"1.50"}'


def test_the_same_instant_in_another_zone_hashes_the_same():
    from motcua.core.clock import VIETNAM

    local = EventRecord(1, 1, "submit", "draft", "submitted", None, AT.astimezone(VIETNAM), {})
    utc = EventRecord(1, 1, "submit", "draft", "submitted", None, AT, {})

    assert chain_hash(GENESIS, local) == chain_hash(GENESIS, utc)


def test_an_intact_chain_verifies():
    assert verify_chain(_chain(5)) is None


def test_a_changed_event_is_the_first_broken_link():
    links = _chain(5)
    record, prev, digest = links[2]
    links[2] = (EventRecord(**{**record.__dict__, "data": {"i": 99}}), prev, digest)

    broken = verify_chain(links)

    assert broken is not None
    assert broken.sequence == 3


def test_a_removed_event_breaks_the_sequence():
    links = _chain(4)
    del links[1]

    assert verify_chain(links).sequence == 3
