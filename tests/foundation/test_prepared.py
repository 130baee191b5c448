"""Querysets compiled once per process (referral_api.prepared): the statement run is exactly the ORM's for the same
values, the instances are the same, and a template that could misplace a value is refused when it is built."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency
from agencies.selectors import _receiver_query, receiver_queryset
from referral_api.prepared import PreparedQuery, fragment
from referrals import selectors
from referrals.api.base import scope_columns
from referrals.errors import NotVisible
from referrals.models import Referral
from referrals.selectors import (
    _page_query,
    _visible_query,
    referral_visible,
    representation_page,
    representation_shape,
    visible_branches,
    visible_shaped,
    with_representation,
)
from referrals.services import _with_parties

SHAPES = [None, scope_columns, _with_parties, representation_shape(True), representation_shape(False)]


def orm_statement(queryset) -> tuple[str, list]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, list(params)


@pytest.mark.parametrize("lock", [False, True], ids=["read", "lock"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: getattr(s, "__name__", "none"))
def test_the_prepared_lookup_is_the_orms_statement_for_the_same_values(db, shape, lock):
    """For every shape a caller uses, with and without the row lock: same SQL text, same parameters, same order."""
    agency, referral_id = Agency.objects.create(code="ZZQ", name="Test"), uuid.uuid4()
    expected = orm_statement(visible_shaped(agency=agency, shape=shape, lock=lock).filter(pk=referral_id))
    prepared = _visible_query(shape, lock)
    assert prepared.statement({"agency": agency.pk, "referral": referral_id}) == expected
    assert prepared.slots["agency"] and prepared.slots["referral"]


@pytest.mark.parametrize("pii", [True, False])
def test_the_prepared_page_splices_the_branches_where_the_orm_puts_them(db, pii):
    agency = Agency.objects.create(code="ZZQ", name="Test")
    branches = [b.order_by("-created_at", "-id").values("pk")[:51] for b in visible_branches(Referral.objects.filter(
        status="submitted", disposed_at__isnull=True), agency=agency)]  # fmt: skip
    ids = branches[0].union(branches[1], all=True)
    order = ("-created_at", "-id")
    expected = orm_statement(with_representation(Referral.objects.filter(pk__in=ids), pii=pii).order_by(*order)[:51])
    prepared = _page_query(pii, order, 51)
    assert prepared.statement({}, {"page": prepared.subquery(ids)}) == expected


@pytest.mark.parametrize("counts", [(1, 1), (2, 0), (0, 3)])
def test_the_duplicate_hints_statement_is_the_orms(db, counts):
    agency, exclude = Agency.objects.create(code="ZZQ", name="Test"), uuid.uuid4()
    a_numbers = [f"a-digest-{i}" for i in range(counts[0])]
    name_dobs = [f"n-digest-{i}" for i in range(counts[1])]
    expected = orm_statement(
        selectors.duplicates_queryset(agency=agency, exclude_id=exclude, a_numbers=a_numbers, name_dobs=name_dobs)
    )
    values = {"agency": agency.pk, "exclude": exclude, **{f"a{i}": d for i, d in enumerate(a_numbers)}}
    values.update({f"n{i}": d for i, d in enumerate(name_dobs)})
    assert selectors._duplicates_query(*counts).statement(values) == expected


@pytest.mark.parametrize("office", ["VAP", None])
def test_the_receiver_lookup_statement_is_the_orms(db, office):
    expected = orm_statement(
        receiver_queryset(agency_code="ICE", office_code=office, referral_type="victim_assistance")
    )
    values = {"agency": "ICE", "type": "victim_assistance"} | ({"office": office} if office else {})
    assert _receiver_query(office is not None).statement(values) == expected


def test_a_prepared_lookup_loads_what_the_orm_loads(make_referral, ice):
    """The prepared path and the ORM's own queryset (``visible_shaped``) give the same referral, parties,
    people and case, with no further query when the representation reads them."""
    created = make_referral()
    agency = Agency.objects.get(code="ICE")
    prepared = referral_visible(agency=agency, referral_id=created["id"], shape=representation_shape(True))
    orm = visible_shaped(agency=agency, shape=representation_shape(True)).get(pk=created["id"])
    for referral in (prepared, orm):
        with CaptureQueriesContext(connection) as queries:
            people = list(referral.persons.all())
            codes = (referral.sender_agency.code, referral.receiver_agency.code)
            offices = (referral.sender_office_id and referral.sender_office.code, referral.receiver_office.code)
            _ = referral.receiver_agency.may_receive_1367_protected, hasattr(referral, "case")
        assert queries.captured_queries == []
        assert codes == ("CBP", "ICE") and offices[1] == created["receiver"]["office"]
        assert [p.pk for p in people] == [uuid.UUID(p["id"]) for p in created["persons"]]
    assert [f.attname for f in Referral._meta.concrete_fields if getattr(prepared, f.attname) != getattr(
        orm, f.attname)] == []  # fmt: skip
    assert prepared.persons.all()[0].given_name == orm.persons.all()[0].given_name is not None


def test_a_prepared_lookup_refuses_what_the_orm_refuses(make_referral, uscis):
    created = make_referral()
    outsider = Agency.objects.get(code="USCIS")
    with pytest.raises(NotVisible):
        referral_visible(agency=outsider, referral_id=created["id"], shape=representation_shape(True))
    with pytest.raises(ValidationError):
        referral_visible(agency=outsider, referral_id="not-a-uuid", shape=scope_columns)


def test_a_prepared_row_lock_outside_a_transaction_is_refused(make_referral):
    """As the compiler refuses ``select_for_update`` outside a transaction: a lock held by no one protects nothing."""
    created = make_referral()
    agency = Agency.objects.get(code="ICE")
    # pytest-django wraps the test in a transaction: leave it for the check, as a request outside atomic would be.
    with pytest.raises(transaction.TransactionManagementError):
        _run_outside_atomic(agency, created["id"])


def _run_outside_atomic(agency, referral_id):
    in_block = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        return _visible_query(_with_parties, True).run({"agency": agency.pk, "referral": uuid.UUID(referral_id)})
    finally:
        connection.in_atomic_block = in_block


def test_the_list_page_is_the_same_through_the_prepared_outer_query(make_referral, ice):
    made = [make_referral() for _ in range(3)]
    agency = Agency.objects.get(code="ICE")
    branches = [b.order_by("-created_at", "-id").values("pk")[:3] for b in visible_branches(Referral.objects.all(),
                                                                                           agency=agency)]  # fmt: skip
    ids = branches[0].union(branches[1], all=True)
    rows = representation_page(ids, pii=False, order=("-created_at", "-id"), limit=3)
    assert [str(r.pk) for r in rows] == [m["id"] for m in reversed(made)]
    assert all(r._representation_loaded for r in rows)


def test_templates_that_could_misplace_a_value_are_refused(db):
    marker = uuid.uuid4()
    with pytest.raises(ValueError, match="not among"):
        PreparedQuery(Referral.objects.filter(pk=uuid.uuid4()), markers={"id": marker})
    page, page_marker = fragment("page")
    twice = Referral.objects.filter(pk__in=page).filter(
        parent_id__in=RawSQL("SELECT %s::uuid /* fragment:page */", [page_marker])
    )
    with pytest.raises(ValueError, match="exactly once"):
        PreparedQuery(twice, fragments={"page": page_marker})
    with pytest.raises(TypeError):
        PreparedQuery(Referral.objects.filter(pk=marker).values_list("pk"), markers={"id": marker})


def test_the_compiled_templates_are_kept_per_process(db):
    assert _visible_query(scope_columns, False) is _visible_query(scope_columns, False)
    assert _page_query(True, ("-created_at", "-id"), 51) is _page_query(True, ("-created_at", "-id"), 51)
    assert selectors._by_id_query(False) is selectors._by_id_query(False)
