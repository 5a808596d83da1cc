"""The console's subscription list: keyset pages through the indexes, and prefix search, give
exactly what the plain query gives (every filter, both directions, narrow and broad search)."""

import pytest

from opsconsole.store import db as store_db
from opsconsole.store import queries
from opsconsole.store.models import Subscription
from tests.reliability import storegen


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("list") / "store.db"
    storegen.build(path, 400)
    store_db.open_store(str(path))
    yield path
    store_db.close_store()


def plain(state=None, product=None, search=None) -> list[int]:
    return [s.id for s in queries.subscriptions(state, product, search)]


def paged(state=None, product=None, search=None, page=37, backwards=False) -> list[int]:
    ids, after = [], ("9999-12-31", 2**62) if backwards else None
    while True:
        rows = queries.subscription_page(after, page, state, product, search, backwards)
        if not rows:
            break
        ids = [s.id for s in rows] + ids if backwards else ids + [s.id for s in rows]
        after = queries._sort_key(rows[0] if backwards else rows[-1])
    return ids


FILTERS = [{}, {"state": "active"}, {"state": "paused"}, {"product": "weekly"},
           {"search": "c1"}, {"search": "C12"}, {"search": "R3"}, {"search": "f 1"},
           {"search": "17"}, {"search": "nobody"}, {"state": "trial", "search": "c"}]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
@pytest.mark.parametrize("cap", [queries.SEARCH_CAP, 3])  # narrow and broad search paths
def test_pages_walk_exactly_the_plain_list(store, filters, cap, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CAP", cap)
    want = plain(**filters)
    assert paged(**filters) == want
    assert paged(**filters, backwards=True) == want
    count = queries.count_subscriptions(**filters)
    assert count == len(want) or (count is None and len(want) > cap)


def test_search_is_by_the_start_of_id_ref_email_or_name_in_any_case(store):
    sub = Subscription.get_by_id(123)
    assert 123 in plain(search="123")
    assert sub.id in plain(search=sub.reference_id.lower())
    assert sub.id in plain(search=sub.account.email[:4].upper())
    assert sub.id in plain(search=f"{sub.account.first} {sub.account.last}")
    assert sub.id not in plain(search=sub.account.email[2:])  # the middle does not match
    assert plain(search="%") == plain(search="") == plain()  # no wildcards from the user
