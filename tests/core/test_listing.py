"""The console's subscription list: keyset pages through the indexes, and prefix search, give
exactly what the plain query gives (every filter, both directions, narrow and broad search)."""

import pytest

from opsconsole.store import db as store_db, queries
from opsconsole.store.models import Subscription
from tests import engines
from tests.reliability import storegen


@pytest.fixture(scope="module", params=engines.ENGINES)
def store(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("list")
    path = engines.target(request.param, folder)
    storegen.build(path, 400, folder=folder)
    store_db.open_store(str(path))
    yield path
    store_db.close_store()


def plain(state=None, product=None, search=None) -> list[int]:
    """The definition, as directly as it can be said: every row, filtered, sorted."""
    from opsconsole.store.models import Account, Product

    S = Subscription
    query = S.select(S.id).join(Product).switch(S).join(Account)
    if state:
        query = query.where(S.state == state)
    if product:
        query = query.where(Product.path == product)
    if search and search.strip():
        query = query.where(queries._search_term(search.strip()))
    return [i for (i,) in query.order_by(S.next_charge_date.is_null(), S.next_charge_date,
                                         S.id).tuples()]


def listed(**filters) -> list[int]:
    return [s.id for s in queries.subscriptions(**filters)]


def paged(state=None, product=None, search=None, page=37, backwards=False) -> list[int]:
    ids, after = [], queries.PAST_END if backwards else None
    while True:
        rows = queries.subscription_page(after, page, state, product, search, backwards)
        if not rows:
            break
        ids = [s.id for s in rows] + ids if backwards else ids + [s.id for s in rows]
        after = queries.sort_key(rows[0] if backwards else rows[-1])
    return ids


FILTERS = [{}, {"state": "active"}, {"state": "paused"}, {"product": "weekly"},
           {"search": "c1"}, {"search": "C12"}, {"search": "R3"}, {"search": "f 1"},
           {"search": "17"}, {"search": "nobody"}, {"state": "trial", "search": "c"}]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
@pytest.mark.parametrize("cap", [queries.SEARCH_CAP, 3])  # narrow and broad search paths
def test_pages_walk_exactly_the_plain_list(store, filters, cap, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CAP", cap)
    want = plain(**filters)
    assert listed(**filters) == want  # the command line's list
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
    assert plain(search="") == plain()
    assert plain(search="%") == plain(search="c_") == []  # R-INPUT-5: no wildcards, ever


def test_names_with_spaces_are_found_as_first_last(store):
    import datetime as dt

    from opsconsole.billing import signup
    from opsconsole.store import context
    from opsconsole.store.models import Product, database

    with database.atomic():
        sub = signup.create(context.current("test"), signup.NewSubscription(
            product=Product.get(Product.path == "monthly"), email="mas@example.com",
            first="Mary Ann", last="Smith van Dyke", currency="USD", price=3000,
            interval_unit="month", next_charge_date=dt.date(2026, 2, 9)))
    for text in ("mary", "Mary A", "mary ann", "MARY ANN SM", "mary ann smith van d",
                 "smith van", "mas@"):
        want = plain(search=text)
        assert sub.id in want, text
        assert listed(search=text) == paged(search=text) == want, text
    assert sub.id not in plain(search="ann smith")  # a start, never the middle


@pytest.mark.parametrize("cap", [queries.SEARCH_CAP, 3])  # narrow and broad search paths
def test_a_page_and_its_count_search_once_per_keystroke(store, monkeypatch, cap):
    from opsconsole.views import subscriptions as view

    monkeypatch.setattr(queries, "SEARCH_CAP", cap)
    calls = []
    real = queries.search_ids
    monkeypatch.setattr(queries, "search_ids", lambda text: calls.append(text) or real(text))
    page = view.page(100, search="c", with_count=True)
    assert calls == ["c"]
    want = plain(search="c")
    assert [r["id"] for r in page["rows"]] == want[:100]
    assert page["count"] == len(want) or (page["count"] is None and len(want) > cap)
