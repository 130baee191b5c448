"""Reads on referrals. ``referrals_visible_to`` is the one place need-to-know is decided."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, F, Func, JSONField, Model, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, JSONObject
from django.db.models.query import ModelIterable

from agencies.models import Agency, Office
from referral_api.fields import SealedField
from referral_api.prepared import PreparedQuery, fragment, text_marker
from referrals.errors import Gone, NotVisible
from referrals.indexes import person_lookup_digests
from referrals.models import Case, Person, Referral


def referrals_visible_to(*, agency: Agency) -> QuerySet[Referral]:
    """Referrals ``agency`` sent or received: to every other agency they do not exist (domain.md, need to know)."""
    return Referral.objects.filter(Q(sender_agency=agency) | Q(receiver_agency=agency))


def referral_visible(
    *,
    agency: Agency,
    referral_id,
    shape: Callable[[QuerySet[Referral]], QuerySet[Referral]] | None = None,
    lock: bool = False,
) -> Referral:
    """The referral ``referral_id`` if ``agency`` may see it, else raise ``NotVisible`` (one query).

    ``shape`` narrows or widens what is loaded (columns, related rows); ``lock`` takes the row lock
    (``SELECT ... FOR UPDATE`` of the referral only) for a service that changes it. The statement is compiled once
    per process for each ``shape`` (``_visible_query``): pass a module-level function, whose identity is stable
    (``representation_shape``, ``referrals.api.base.scope_columns``).
    """
    # The id as the ORM's own filter would take it (a malformed one raises the same ValidationError).
    referral_id = Referral._meta.pk.to_python(referral_id)
    rows = _visible_query(shape, lock).run({"agency": agency.pk, "referral": referral_id})
    if not rows:
        raise NotVisible()
    referral = rows[0]
    if referral.disposed_at is not None:
        # Disposed of under its retention policy: its parties learn it is gone for good (410); to anyone else it
        # stays a 404 like any referral they are not a party to.
        raise Gone()
    return referral


def visible_shaped(*, agency: Agency, shape=None, lock: bool = False) -> QuerySet[Referral]:
    """``referrals_visible_to`` with ``shape`` applied and, with ``lock``, the row lock of the referral only."""
    queryset = referrals_visible_to(agency=agency)
    if shape is not None:
        queryset = shape(queryset)
    return queryset.select_for_update(of=("self",)) if lock else queryset


def _marker_agency() -> tuple[Agency, uuid.UUID]:
    marker = uuid.uuid4()
    return Agency.from_db(None, ["id"], [marker]), marker


@functools.lru_cache(maxsize=32)
def _visible_query(shape, lock: bool) -> PreparedQuery:
    """``referral_visible``'s statement for ``shape`` and ``lock``, built from ``referrals_visible_to`` and compiled
    once per process, the agency and the referral's id bound per call."""
    agency, agency_marker = _marker_agency()
    referral_marker = uuid.uuid4()
    return PreparedQuery(
        visible_shaped(agency=agency, shape=shape, lock=lock).filter(pk=referral_marker),
        markers={"agency": agency_marker, "referral": referral_marker},
    )


def visible_branches(queryset: QuerySet[Referral], *, agency: Agency) -> list[QuerySet[Referral]]:
    """``queryset`` narrowed to ``agency``'s referrals as two disjoint parts: sent, and received (not sent).

    Together they are exactly ``referrals_visible_to``. Each part can walk its own (agency, created_at, id)
    index newest first, so a page costs the same at any depth and for any agency; the single OR condition
    instead makes PostgreSQL walk the global (created_at, id) index and filter, which reads every newer row of
    other agencies first (870 ms for an agency whose referrals are all older than 600,000 others; see
    docs/performance.md).
    """
    return [
        queryset.filter(sender_agency=agency),
        queryset.filter(receiver_agency=agency).exclude(sender_agency=agency),
    ]


@functools.lru_cache(maxsize=8)
def _columns(model, pii: bool = True) -> tuple[tuple, tuple[str, ...]]:
    """The columns of ``model`` a representation reads as a JSON row, and their attribute names; without ``pii``
    a person's identity (its sealed column) is left out."""
    fields = tuple(f for f in model._meta.concrete_fields if pii or model is not Person or f.attname != "sealed")
    return fields, tuple(f.attname for f in fields)


def _json_row(model, pii: bool = True) -> JSONObject:
    """A row of ``model`` as one JSON object; sealed columns travel as hex text and are decrypted only when a member
    is read, as for a model row."""
    columns = {}
    for field in _columns(model, pii)[0]:
        if isinstance(field, SealedField):
            columns[field.attname] = Func(F(field.attname), Value("hex"), function="encode", output_field=TextField())
        else:
            columns[field.attname] = F(field.attname)
    return JSONObject(**columns)


def _from_row(model, row: dict, columns: tuple, db: str) -> Model:
    """The model instance a JSON row of ``_json_row`` stands for (as ``Model.from_db`` would build it)."""
    fields, attnames = columns
    values = []
    for field in fields:
        value = row[field.attname]
        if value is None:
            values.append(None)
        elif isinstance(field, SealedField):
            values.append(bytes.fromhex(value))
        else:
            values.append(field.to_python(value))
    return model.from_db(db, attnames, values)


# The rows a representation loads with the referral as JSON (scalar subqueries), and the referral's attribute
# each becomes: no joins, so the statement's planning stays flat (6.5 ms -> 0.6 ms for a page of 50, measured
# with the parties and case joined against as subqueries; docs/performance.md) and each agency or office is
# built once per page, not once per row.
_RELATED_ROWS = (
    ("sender_agency_row", "sender_agency", Agency),
    ("receiver_agency_row", "receiver_agency", Agency),
    ("sender_office_row", "sender_office", Office),
    ("receiver_office_row", "receiver_office", Office),
)


class RepresentationIterable(ModelIterable):
    """Referrals whose related rows came as JSON in the same statement (``with_representation``): the people
    become ``Person`` instances in the ``persons`` prefetch cache, the parties and case the referral's cached
    related objects, so ``referral.persons.all()``, ``referral.sender_agency`` and ``referral.case`` read no
    query."""

    def __iter__(self):
        with_identity, without_identity = _columns(Person, True), _columns(Person, False)
        agency_columns, office_columns, case_columns = _columns(Agency), _columns(Office), _columns(Case)
        shared: dict[tuple, Model] = {}  # the page's agencies and offices, one instance each
        db = self.queryset.db
        for referral in super().__iter__():
            rows = referral.__dict__.pop("persons_rows", None)
            if rows is None:
                yield referral
                continue
            persons = []
            for row in rows:
                person = _from_row(Person, row, with_identity if "sealed" in row else without_identity, db)
                person._state.fields_cache["referral"] = referral
                persons.append(person)
            cached = referral.persons.all()
            cached._result_cache = persons
            cached._prefetch_done = True
            referral._prefetched_objects_cache = {"persons": cached}
            for annotation, attribute, model in _RELATED_ROWS:
                row = referral.__dict__.pop(annotation)
                related = None
                if row is not None:
                    key = (model, row["id"])
                    related = shared.get(key)
                    if related is None:
                        columns = agency_columns if model is Agency else office_columns
                        related = shared[key] = _from_row(model, row, columns, db)
                referral._state.fields_cache[attribute] = related
            case_row = referral.__dict__.pop("case_row")
            case = None
            if case_row is not None:
                case = _from_row(Case, case_row, case_columns, db)
                case._state.fields_cache["referral"] = referral
            Referral.case.related.set_cached_value(referral, case)
            referral._representation_loaded = True
            yield referral


def prime_representation(
    referral: Referral, *, persons: list[Person], case, related: Referral | None = None
) -> Referral:
    """Give a referral just written by a service what ``with_representation`` would load, from the objects
    already in memory, so that its answer needs no second read: its people, its case (or none), no forwarded
    children yet, the links to its parent and related referral, and the code of the HHS notice's recorder.
    Both loaders give the representation the same attributes; it reads no others."""
    for person in persons:
        person._state.fields_cache["referral"] = referral
    cached = referral.persons.all()
    cached._result_cache = list(persons)
    cached._prefetch_done = True
    referral._prefetched_objects_cache = {"persons": cached}
    Referral.case.related.set_cached_value(referral, case)
    referral.children_links = []
    parent = referral.parent if referral.parent_id else None
    referral.parent_link = None if parent is None else {
        "id": str(parent.pk), "reference": parent.reference,
        "sender_agency_id": str(parent.sender_agency_id), "receiver_agency_id": str(parent.receiver_agency_id),
    }  # fmt: skip
    referral.hhs_notified_by_code = referral.hhs_notified_by.code if referral.hhs_notified_by_id else None
    referral.related_sender_agency_id = related.sender_agency_id if related is not None else None
    referral.related_receiver_agency_id = related.receiver_agency_id if related is not None else None
    referral._representation_loaded = True
    return referral


@functools.lru_cache(maxsize=2)
def _representation_annotations(pii: bool) -> dict:
    """The annotations of ``with_representation``, built once per process (building them is about 2.6 ms of
    Python, more than half of the statement's compilation); ``annotate()`` resolves a copy of each for every
    query, so one set serves them all."""
    # The forwarded children's links: codes and ids only.
    children = (
        Referral.objects.filter(parent_id=OuterRef("pk"))
        .order_by("created_at", "id")
        .values(
            link=JSONObject(
                id=Cast("id", output_field=CharField()),
                reference="reference",
                receiver=JSONObject(agency="receiver_agency__code"),
                status="status",
            )
        )
    )
    # Links to other rows are scalar subqueries, not joins: with the page's own IN (...) a query of more than eight
    # relations is no longer reordered by PostgreSQL (join_collapse_limit), and at a million referrals the plan
    # then scans the whole table before it keeps the page (10 s a page, measured) instead of walking 51 rows.
    parent = Referral.objects.filter(pk=OuterRef("parent_id")).values(
        link=JSONObject(
            id=Cast("id", output_field=CharField()),
            reference="reference",
            sender_agency_id=Cast("sender_agency_id", output_field=CharField()),
            receiver_agency_id=Cast("receiver_agency_id", output_field=CharField()),
        )
    )[:1]
    related = Referral.objects.filter(pk=OuterRef("related_referral_id"))
    persons = Person.objects.filter(referral_id=OuterRef("pk")).order_by("position").values(row=_json_row(Person, pii))

    def row_of(model, key: str) -> Subquery:
        rows = model.objects.filter(pk=OuterRef(key)).values(row=_json_row(model))[:1]
        return Subquery(rows, output_field=JSONField())

    return {
        "persons_rows": ArraySubquery(persons),
        **{annotation: row_of(model, f"{attribute}_id") for annotation, attribute, model in _RELATED_ROWS},
        "case_row": Subquery(
            Case.objects.filter(referral_id=OuterRef("pk")).values(row=_json_row(Case))[:1], output_field=JSONField()
        ),
        "children_links": ArraySubquery(children),
        # Only what the parent link needs: its id, reference and parties (never its content).
        "parent_link": Subquery(parent, output_field=JSONField()),
        "hhs_notified_by_code": Subquery(Agency.objects.filter(pk=OuterRef("hhs_notified_by_id")).values("code")[:1]),
        # The parties of the related referral, so its id is shown only to them.
        "related_sender_agency_id": Subquery(related.values("sender_agency_id")[:1]),
        "related_receiver_agency_id": Subquery(related.values("receiver_agency_id")[:1]),
    }


def with_representation(queryset: QuerySet[Referral], *, pii: bool = True) -> QuerySet[Referral]:
    """Load what a referral's representation needs in **one** query, for any page size: the referral; its parties,
    offices, case, people and forwarded children as JSON (scalar subqueries and arrays in the same statement, no
    joins); the links to its parent and related referral and the HHS notice's recorder (scalar subqueries).

    Without ``pii`` the people's identifying column is not even read, so it is never decrypted.
    """
    shaped = queryset.annotate(**_representation_annotations(pii))
    shaped._iterable_class = RepresentationIterable
    return shaped


def representation_with_pii(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    """A ``shape``: the whole representation, people's identities included (``pii:read``)."""
    return with_representation(queryset, pii=True)


def representation_without_pii(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    """A ``shape``: the whole representation, without the people's identities (not even read)."""
    return with_representation(queryset, pii=False)


def representation_shape(pii: bool) -> Callable[[QuerySet[Referral]], QuerySet[Referral]]:
    return representation_with_pii if pii else representation_without_pii


@functools.lru_cache(maxsize=2)
def _by_id_query(pii: bool) -> PreparedQuery:
    marker = uuid.uuid4()
    return PreparedQuery(with_representation(Referral.objects.filter(pk=marker), pii=pii), markers={"id": marker})


def referral_with_representation(referral_id, *, pii: bool) -> Referral:
    """A referral already found visible (or just written), read again with its representation (one query)."""
    return _by_id_query(pii).run({"id": Referral._meta.pk.to_python(referral_id)})[0]


@functools.lru_cache(maxsize=64)
def _page_query(pii: bool, order: tuple[str, ...], limit: int) -> PreparedQuery:
    page, marker = fragment("page")
    queryset = with_representation(Referral.objects.filter(pk__in=page), pii=pii).order_by(*order)[:limit]
    return PreparedQuery(queryset, fragments={"page": marker})


def representation_page(ids: QuerySet, *, pii: bool, order: tuple[str, ...], limit: int) -> list[Referral]:
    """The referrals whose ids ``ids`` selects (a list page's keyset branches, compiled per request: their filters
    vary), with their representation, in ``order``, at most ``limit``: one statement whose outer part, the same
    for every page, is compiled once per process."""
    prepared = _page_query(pii, order, limit)
    return prepared.run(fragments={"page": prepared.subquery(ids)})


def related_referral_visible(referral: Referral, agency: Agency) -> bool:
    """Whether ``agency`` may see the id of ``referral``'s related referral: only a party to that one (need to
    know: the id of a referral one cannot see is itself information). Reads the related referral's parties
    that ``with_representation`` and ``prime_representation`` load with it."""
    if referral.related_referral_id is None:
        return False
    return agency.pk in (referral.related_sender_agency_id, referral.related_receiver_agency_id)


def referral_side(referral: Referral, agency: Agency) -> str | None:
    """Return ``"sender"``, ``"receiver"`` or ``None`` for ``agency``'s part in ``referral``."""
    if referral.sender_agency_id == agency.pk:
        return "sender"
    if referral.receiver_agency_id == agency.pk:
        return "receiver"
    return None


def duplicates_queryset(*, agency: Agency, exclude_id, a_numbers, name_dobs) -> QuerySet:
    """The people ``agency`` may see whose blind indexes match, outside referral ``exclude_id``."""
    # A person withheld from ``agency`` as receiver (recalled, or protected by 1367 without a basis; see
    # policies.person_withheld) is not matched either: a match would tell the receiver who that person is.
    withheld = Q(referral__receiver_agency=agency) & (
        Q(referral__status="recalled")
        | Q(
            protected_1367=True,
            disclosure_exception__isnull=True,
            referral__receiver_agency__may_receive_1367_protected=False,
        )
    )
    return (
        Person.objects.filter(Q(a_number_index__in=a_numbers) | Q(name_dob_index__in=name_dobs))
        .filter(referral__in=referrals_visible_to(agency=agency))
        .exclude(withheld & ~Q(referral__sender_agency=agency))
        .exclude(referral_id=exclude_id)
        .values("referral_id", "referral__reference", "a_number_index", "name_dob_index")
        .order_by("referral__created_at")[:50]
    )


@functools.lru_cache(maxsize=16)
def _duplicates_query(a_number_count: int, name_dob_count: int) -> PreparedQuery:
    """``duplicates_queryset`` for so many digests of each kind, compiled once per process."""
    agency, agency_marker = _marker_agency()
    exclude = uuid.uuid4()
    a_numbers = {f"a{i}": text_marker() for i in range(a_number_count)}
    name_dobs = {f"n{i}": text_marker() for i in range(name_dob_count)}
    matches = duplicates_queryset(
        agency=agency, exclude_id=exclude, a_numbers=list(a_numbers.values()), name_dobs=list(name_dobs.values())
    )
    return PreparedQuery(matches, markers={"agency": agency_marker, "exclude": exclude, **a_numbers, **name_dobs})


def possible_duplicates(*, agency: Agency, exclude_id, persons: list[Person]) -> list[dict]:
    """Referrals ``agency`` can already see that name one of ``persons`` (same A-number, or same name and
    date of birth), matched by blind index only; nothing outside need-to-know is ever revealed."""
    a_numbers: set[str] = set()
    name_dobs: set[str] = set()
    for person in persons:
        # Digests under every listed blind-index key: rows not yet recomputed under the newest still match.
        by_a_number, by_name_dob = person_lookup_digests(person)
        a_numbers |= by_a_number
        name_dobs |= by_name_dob
    if not a_numbers and not name_dobs:
        return []
    a_numbers, name_dobs = sorted(a_numbers), sorted(name_dobs)
    prepared = _duplicates_query(len(a_numbers), len(name_dobs))
    matches = prepared.run(
        {
            "agency": agency.pk,
            "exclude": Referral._meta.pk.to_python(exclude_id),
            **{f"a{i}": digest for i, digest in enumerate(a_numbers)},
            **{f"n{i}": digest for i, digest in enumerate(name_dobs)},
        }
    )
    found: dict = {}
    for row in matches:
        entry = found.setdefault(
            row["referral_id"], {"id": str(row["referral_id"]), "reference": row["referral__reference"], "match": []}
        )
        if row["a_number_index"] in a_numbers and "a_number" not in entry["match"]:
            entry["match"].append("a_number")
        if row["name_dob_index"] in name_dobs and "name_and_date_of_birth" not in entry["match"]:
            entry["match"].append("name_and_date_of_birth")
    return list(found.values())
