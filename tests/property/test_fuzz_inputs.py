"""Junk in, a PartnerkitError out, and nothing stored.

Hypothesis feeds junk - wrong types, floats and NaN for money, huge and
negative numbers, naive datetimes, unknown enum values, overlong strings,
JSON with missing keys - to every public constructor, to the JSON loaders
and to the structured input of the service commands.  The only acceptable
outcomes are a value or a :class:`~partnerkit.errors.PartnerkitError`; a
refused command leaves the store exactly as it was.  The CI profile runs
2,000 examples of each.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import math
import os
import pkgutil
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support.billing import coupon as make_coupon
from tests.support.billing import line as bill_line
from tests.support.world import VENDOR, World, admin, customer

import partnerkit
from partnerkit.adapters.memory import InMemoryStore
from partnerkit.adapters.sql import loads
from partnerkit.budget import BudgetType, FreezeMode, FreezeScope
from partnerkit.customers import InvitationMethod
from partnerkit.eligibility import programme_from_json
from partnerkit.errors import PartnerkitError
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.incentives import Flat, IncentivePolicy, OrderType, RevenueLine, policy_from_json
from partnerkit.incentives.earnings import PartnerStanding, PayoutOption
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.billing import BillingService
from partnerkit.services.budgets import BudgetService
from partnerkit.services.incentives import IncentiveService

EXAMPLES = 2000 if os.environ.get("CI") else 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _public_classes() -> dict[str, type]:
    found: dict[str, type] = {}
    names = sorted(
        info.name
        for info in pkgutil.walk_packages(partnerkit.__path__, "partnerkit.")
        if not info.name.rsplit(".", 1)[-1].startswith("_")
    )
    for name in ["partnerkit", *names]:
        module = importlib.import_module(name)
        for symbol in getattr(module, "__all__", []):
            value = getattr(module, symbol)
            if isinstance(value, type) and attrs.has(value):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


CLASSES = _public_classes()

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, -0.0, 1e308]),
    st.text(max_size=8),
    st.text(min_size=2000, max_size=2001),
    st.sampled_from(["UNKNOWN_ENUM_VALUE", "2024M13", "USD", "", " ", "-1", "NaN"]),
    st.just(datetime(2024, 5, 1, 9)),  # noqa: DTZ001 - naive on purpose
    st.just(date(2024, 5, 1)),
    st.sampled_from([Decimal("NaN"), Decimal("-Infinity"), Decimal("1E+999999"), Decimal(-1)]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(object),
)


def _parameters(cls: type) -> list[str]:
    signature = inspect.signature(cls)
    return [
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]


@FUZZ
@given(name=st.sampled_from(sorted(CLASSES)), data=st.data())
def test_every_public_constructor_refuses_junk_with_a_partnerkit_error(
    name: str, data: st.DataObject
) -> None:
    cls = CLASSES[name]
    arguments = {p: data.draw(junk, label=p) for p in _parameters(cls)}
    with contextlib.suppress(PartnerkitError):
        cls(**arguments)


def _json_junk() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=5),
        st.floats(allow_nan=False, allow_infinity=False),
    )
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "policy_id",
                        "name",
                        "period_kind",
                        "schedule",
                        "type",
                        "rate",
                        "bands",
                        "id",
                        "levels",
                        "label",
                        "~",
                        "t",
                        "f",
                        "v",
                        "amount",
                        "currency",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=12,
    )


@FUZZ
@given(document=_json_junk())
def test_json_loaders_refuse_bad_documents_with_a_partnerkit_error(document: Any) -> None:
    """Missing keys, wrong types and floats in JSON documents and stored rows."""
    text = json.dumps(document)
    for load in (policy_from_json, programme_from_json, loads):
        with contextlib.suppress(PartnerkitError):
            load(text)


P1 = PartnerId("p1")
FINANCE = Actor.partner_user(ActorId("fin"), P1, {OrgRole.FINANCE_SPECIALIST})
POLICY = IncentivePolicy(
    policy_id="m", name="Monthly rebate", period_kind=PeriodKind.MONTH, schedule=Flat(rate="0.1")
)
WHEN = datetime(2024, 6, 7, tzinfo=GMT_PLUS_8)
LINE = RevenueLine(
    revenue_id="L",
    partner_id=P1,
    customer_id=CustomerId("c"),
    order_type=OrderType.RENEWAL,
    product_code="ecs",
    generated_on=date(2024, 5, 3),
    amount=Money.of("3000", "USD"),
)


def _seeded() -> tuple[InMemoryStore, IncentiveService]:
    store = InMemoryStore()
    service = IncentiveService(store.unit_of_work)
    service.compute_period(
        Actor.system(),
        POLICY,
        [LINE],
        earning_id="e1",
        partner_id=P1,
        period=Period.parse("2024M5"),
        revenue_final=True,
        as_of=WHEN,
        idempotency_key=IdempotencyKey("seed"),
    )
    service.confirm(FINANCE, "e1", as_of=WHEN)
    service.issue(VENDOR, "e1", as_of=WHEN)
    return store, service


def _commands(service: IncentiveService) -> dict[str, tuple[Any, dict[str, Any]]]:
    return {
        "compute_period": (
            service.compute_period,
            {
                "actor": Actor.system(),
                "policy": POLICY,
                "lines": [LINE],
                "earning_id": "e2",
                "partner_id": P1,
                "period": Period.parse("2024M5"),
                "revenue_final": False,
                "as_of": WHEN,
                "idempotency_key": IdempotencyKey("k1"),
            },
        ),
        "request_payment": (
            service.request_payment,
            {
                "actor": FINANCE,
                "option": PayoutOption.TOP_UP,
                "request_id": "r1",
                "standing": PartnerStanding(),
                "bills": {},
                "as_of": WHEN,
                "idempotency_key": IdempotencyKey("k2"),
                "selected": None,
                "settlement_currency": "USD",
                "rates": None,
                "service_fee_tax_rate": Decimal(0),
            },
        ),
        "submit_goal": (
            service.submit_goal,
            {
                "actor": Actor.partner_user(ActorId("a"), P1, {OrgRole.ADMIN}),
                "year": 2024,
                "goal": Money.of("1000", "USD"),
                "as_of": WHEN,
                "idempotency_key": IdempotencyKey("k3"),
            },
        ),
        "confirm": (service.confirm, {"actor": FINANCE, "earning_id": "e1", "as_of": WHEN}),
        "set_mdf_quota": (
            service.set_mdf_quota,
            {"actor": VENDOR, "partner_id": P1, "quota": Money.of("100", "USD"), "as_of": WHEN},
        ),
    }


@FUZZ
@given(
    command=st.sampled_from(sorted(_commands(_seeded()[1]))), which=st.integers(0, 20), value=junk
)
def test_service_commands_refuse_junk_and_store_nothing(
    command: str, which: int, value: Any
) -> None:
    store, service = _seeded()
    function, arguments = _commands(service)[command]
    name = sorted(arguments)[which % len(arguments)]
    before = (store.snapshot(), store.events(), store.idempotency_keys())
    try:
        function(**{**arguments, name: value})
    except PartnerkitError:
        assert (store.snapshot(), store.events(), store.idempotency_keys()) == before


def _budget_and_billing() -> tuple[Any, dict[str, tuple[Any, dict[str, Any]]]]:
    """p1's customer c1 associated (reseller model) on one store, with the budget and billing
    services and a command each with valid arguments."""
    world = World()
    link = InvitationId("l-c1")
    world.service.generate_link(
        admin("p1"),
        invitation_id=link,
        method=InvitationMethod.GENERAL_LINK,
        as_of=WHEN,
        idempotency_key=IdempotencyKey("s1"),
    )
    world.record(customer("c1", "c1@x.com", "2024-06-07 08:00"))
    world.service.accept_invitation(
        Actor.customer(CustomerId("c1")),
        link,
        new_account=True,
        signed_instructions="V1001",
        as_of=WHEN,
        idempotency_key=IdempotencyKey("s2"),
    )
    budgets = BudgetService(world.store.unit_of_work)
    budgets.sync(world.store.events(), as_of=WHEN)
    billing = BillingService(world.store.unit_of_work)
    coupon = attrs.evolve(make_coupon("CP", "10", valid_to="2099-12-31 23:59"), holder=P1)
    lines = [bill_line("L1", "25.00", customer="c1", when="2024-05-10 10:00")]
    commands = {
        "set_budget": (
            budgets.set_budget,
            {
                "actor": admin("p1"),
                "customer_id": CustomerId("c1"),
                "budget_type": BudgetType.MONTHLY,
                "amount": Money.of("100", "USD"),
                "freeze_mode": FreezeMode.AUTOMATIC,
                "as_of": WHEN,
            },
        ),
        "record_usage": (
            budgets.record_usage,
            {
                "customer_id": CustomerId("c1"),
                "amount": Money.of("5", "USD"),
                "at": WHEN,
                "actor": Actor.system(),
                "idempotency_key": IdempotencyKey("u1"),
            },
        ),
        "freeze": (
            budgets.freeze,
            {
                "actor": admin("p1"),
                "customer_id": CustomerId("c1"),
                "scope": FreezeScope.ACCOUNT,
                "reason": "r",
                "as_of": WHEN,
                "idempotency_key": IdempotencyKey("f1"),
            },
        ),
        "grant_coupon": (
            billing.grant_coupon,
            {
                "actor": VENDOR,
                "coupon": coupon,
                "as_of": WHEN,
                "idempotency_key": IdempotencyKey("g1"),
            },
        ),
        "close_month": (
            billing.close_month,
            {
                "actor": VENDOR,
                "partner_id": P1,
                "cycle": Period.parse("2024M5"),
                "lines": lines,
                "as_of": WHEN,
                "idempotency_key": IdempotencyKey("c1"),
            },
        ),
        "top_up": (
            billing.top_up,
            {
                "actor": admin("p1"),
                "partner_id": P1,
                "amount": Money.of("50", "USD"),
                "as_of": WHEN,
                "idempotency_key": IdempotencyKey("t1"),
            },
        ),
    }
    return world.store, commands


@FUZZ
@given(
    command=st.sampled_from(sorted(_budget_and_billing()[1])), which=st.integers(0, 20), value=junk
)
def test_budget_and_billing_commands_refuse_junk_and_store_nothing(
    command: str, which: int, value: Any
) -> None:
    store, commands = _budget_and_billing()
    function, arguments = commands[command]
    name = sorted(arguments)[which % len(arguments)]
    before = (store.snapshot(), store.events(), store.idempotency_keys())
    try:
        function(**{**arguments, name: value})
    except PartnerkitError:
        assert (store.snapshot(), store.events(), store.idempotency_keys()) == before
