"""Revenue and incentive statistics as pure read models (incentives.md 4.5; R-INC-57..59).

Every figure is exact :class:`~partnerkit.money.Money` built from
:func:`~partnerkit.incentives.revenue.eligible_amount` (tax excluded, signed,
zero for "no revenue or rebate" products) and rounded once, half-up, to the
minor unit for display (DC-INC-01).  A tax-inclusive figure is kept beside it
for the statistics screens only (DC-INC-30, CF-10).  Unsettled lines never
count (R-INC-17).  Orderings are deterministic: rankings by amount, highest
first, ties broken by id; breakdowns in a fixed order.

What a partner sees is a :class:`StatisticsScope` (R-INC-59): a CSP sees its
own customers only, never those of its resellers; a distributor sees its own
and its resellers' customers (credited to it, R-INC-04).

>>> from datetime import date
>>> from partnerkit.ids import CustomerId, PartnerId
>>> from partnerkit.money import Money
>>> from partnerkit.partners import PartnerRole
>>> from partnerkit.incentives.revenue import OrderType, RevenueLine
>>> line = lambda rid, customer, amount: RevenueLine(
...     revenue_id=rid, partner_id=PartnerId("p"), customer_id=CustomerId(customer),
...     order_type=OrderType.RENEWAL, product_code="ecs", generated_on=date(2024, 7, 3),
...     amount=Money.of(amount, "USD"))
>>> scope = statistics_scope(PartnerId("p"), PartnerRole.CSP)
>>> lines = [line("1", "b", "10"), line("2", "a", "10"), line("3", "c", "25.5")]
>>> [(r.key, str(r.total)) for r in top_customers(lines, scope, period=Period.parse("2024M7"))]
[('c', '25.50 USD'), ('a', '10.00 USD'), ('b', '10.00 USD')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol, final

import attrs

from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.incentives.revenue import (
    BillingMode,
    ProductClassification,
    RevenueLine,
    eligible_amount,
)
from partnerkit.money import Currency, Money, Rounding, total
from partnerkit.partners import PartnerRole, RoleKind
from partnerkit.periods import Period, PeriodKind

__all__ = [
    "TOP_N",
    "BillingModeBreakdown",
    "BillingModeShare",
    "CustomerRevenue",
    "EarningLike",
    "EarningLineLike",
    "IncentiveStatistics",
    "IncentiveSummary",
    "MonthlyRevenue",
    "PeriodEarning",
    "ProgrammeEarning",
    "Ranked",
    "RevenueSummary",
    "StatisticsScope",
    "by_billing_mode",
    "incentive_statistics",
    "monthly_revenue",
    "revenue_summary",
    "statistics_scope",
    "top_customers",
    "top_services",
]

#: How many customers or services the statistics rank (R-INC-57, R-INC-58).
TOP_N = 10


def _display(amount: Money) -> Money:
    return amount.round(rounding=Rounding.HALF_UP)


# -- scope (R-INC-59) ----------------------------------------------------------------------


@final
@attrs.frozen(kw_only=True)
class StatisticsScope:
    """Whose customers a partner's statistics cover (R-INC-59).

    Attributes:
        partner_id: The partner looking.
        role: Its role.
        partners: The partners whose customers' lines it sees: itself, plus its
            resellers for a distributor.
    """

    partner_id: PartnerId
    role: PartnerRole
    partners: frozenset[PartnerId]

    def covers(self, line: RevenueLine) -> bool:
        """Whether the line's customer is in the scope."""
        return line.partner_id in self.partners


def statistics_scope(
    partner_id: PartnerId,
    role: PartnerRole,
    distributor_of: Mapping[PartnerId, PartnerId] | None = None,
) -> StatisticsScope:
    """The scope of ``partner_id``'s customer statistics (R-INC-59, R-INC-04).

    A distributor sees the customers of every reseller that ``distributor_of``
    credits to it (:func:`~partnerkit.incentives.revenue.credited_partner`);
    any other role, a CSP included, sees only its own customers.

    >>> from partnerkit.ids import PartnerId
    >>> mapping = {PartnerId("r1"): PartnerId("d1")}
    >>> sorted(statistics_scope(PartnerId("d1"), PartnerRole.DISTRIBUTOR, mapping).partners)
    ['d1', 'r1']
    >>> sorted(statistics_scope(PartnerId("d1"), PartnerRole.CSP, mapping).partners)
    ['d1']
    """
    if not isinstance(partner_id, str) or not partner_id:
        raise InvalidArgumentError("partner_id", partner_id, "a partner id")
    if not isinstance(role, PartnerRole):
        raise InvalidArgumentError("role", role, "a PartnerRole")
    partners = {partner_id}
    if role.kind is RoleKind.DISTRIBUTOR:
        mapping = distributor_of or {}
        partners |= {r for r in mapping if _credited(r, mapping) == partner_id}
    return StatisticsScope(partner_id=partner_id, role=role, partners=frozenset(partners))


def _credited(partner: PartnerId, distributor_of: Mapping[PartnerId, PartnerId]) -> PartnerId:
    """Who is credited with ``partner``'s customers' revenue, as ``credited_partner`` (R-INC-04)."""
    return distributor_of.get(partner, partner)


def _check_scope(scope: object) -> StatisticsScope:
    if not isinstance(scope, StatisticsScope):
        raise InvalidArgumentError("scope", scope, "a StatisticsScope", rule_id="R-INC-59")
    return scope


def _select(
    lines: Iterable[RevenueLine],
    scope: StatisticsScope,
    covers: Callable[[RevenueLine], bool],
    rules: tuple[ProductClassification, ...],
) -> list[tuple[RevenueLine, Money]]:
    """The settled lines in scope that ``covers`` accepts, with their eligible amounts."""
    chosen = sorted(
        (line for line in lines if line.settled and scope.covers(line) and covers(line)),
        key=lambda line: line.revenue_id,
    )
    return [(line, eligible_amount(line, rules)) for line in chosen]


def _period(period: object, kinds: tuple[PeriodKind, ...], rule_id: str) -> Period:
    if not isinstance(period, Period) or period.kind not in kinds:
        expected = " or ".join(k.value for k in kinds)
        raise InvalidArgumentError("period", period, f"a {expected} period", rule_id=rule_id)
    return period


# -- revenue statistics (R-INC-57) ---------------------------------------------------------


@final
@attrs.frozen(kw_only=True)
class MonthlyRevenue:
    """A month's eligible revenue (R-INC-57).

    Attributes:
        period: The month.
        exact: The exact eligible revenue.
        total: ``exact`` rounded half-up to the minor unit.
        tax_inclusive: The tax-inclusive figure, for display only (DC-INC-30).
        lines: How many lines were counted.
    """

    period: Period
    exact: Money
    total: Money
    tax_inclusive: Money
    lines: int


def monthly_revenue(
    lines: Iterable[RevenueLine],
    scope: StatisticsScope,
    *,
    up_to: Period,
    classifications: Iterable[ProductClassification] = (),
    currency: str = "USD",
) -> tuple[MonthlyRevenue, ...]:
    """Eligible revenue per month, from January of ``up_to``'s year to ``up_to`` (R-INC-57).

    ``up_to`` is the current month, passed in; every month of the range is
    present, zero when nothing was generated in it.
    """
    scope = _check_scope(scope)
    last = _period(up_to, (PeriodKind.MONTH,), "R-INC-57")
    months = Period.month(last.first_day.year, 1), last
    span_first, span_last = months[0].first_day, last.last_day
    rules = tuple(classifications)
    chosen = _select(lines, scope, lambda x: span_first <= x.generated_on <= span_last, rules)
    unit = Currency(currency)
    result = []
    for index in range(last.first_day.month):
        month = months[0].shift(index)
        mine = [(line, amount) for line, amount in chosen if month.contains(line.generated_on)]
        exact = total((a for _, a in mine), currency=unit)
        taxed = total((line.tax_inclusive for line, _ in mine), currency=unit)
        result.append(
            MonthlyRevenue(
                period=month,
                exact=exact,
                total=_display(exact),
                tax_inclusive=_display(taxed),
                lines=len(mine),
            )
        )
    return tuple(result)


@final
@attrs.frozen(kw_only=True)
class Ranked:
    """One customer's or service's eligible revenue or earnings in a ranking (R-INC-57, R-INC-58).

    Attributes:
        key: The customer id or product code.
        exact: The exact amount the ranking orders by.
        total: ``exact`` rounded half-up to the minor unit.
        lines: How many lines contributed.
    """

    key: str
    exact: Money
    total: Money
    lines: int


def _rank(items: Iterable[tuple[str, Money]], unit: Currency, limit: int) -> tuple[Ranked, ...]:
    sums: dict[str, list[Money]] = {}
    for key, amount in items:
        sums.setdefault(key, []).append(amount)
    ranked = [
        Ranked(key=key, exact=exact, total=_display(exact), lines=len(amounts))
        for key, amounts in sums.items()
        for exact in (total(amounts, currency=unit),)
    ]
    ranked.sort(key=lambda r: (-r.exact.amount, r.key))
    return tuple(ranked[:limit])


def _limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidArgumentError("limit", limit, "a whole number >= 1")
    return limit


def _top(
    lines: Iterable[RevenueLine],
    scope: StatisticsScope,
    period: Period,
    key: Callable[[RevenueLine], str],
    classifications: Iterable[ProductClassification],
    currency: str,
    limit: int,
) -> tuple[Ranked, ...]:
    scope = _check_scope(scope)
    chosen_period = _period(period, (PeriodKind.MONTH, PeriodKind.QUARTER), "R-INC-57")
    count = _limit(limit)
    chosen = _select(
        lines, scope, lambda x: chosen_period.contains(x.generated_on), tuple(classifications)
    )
    return _rank(((key(line), amount) for line, amount in chosen), Currency(currency), count)


def top_customers(
    lines: Iterable[RevenueLine],
    scope: StatisticsScope,
    *,
    period: Period,
    classifications: Iterable[ProductClassification] = (),
    currency: str = "USD",
    limit: int = TOP_N,
) -> tuple[Ranked, ...]:
    """The top customers by eligible revenue in a month or quarter (R-INC-57, R-INC-59).

    Highest first; equal amounts in customer-id order.
    """
    return _top(lines, scope, period, lambda x: x.customer_id, classifications, currency, limit)


def top_services(
    lines: Iterable[RevenueLine],
    scope: StatisticsScope,
    *,
    period: Period,
    classifications: Iterable[ProductClassification] = (),
    currency: str = "USD",
    limit: int = TOP_N,
) -> tuple[Ranked, ...]:
    """The top services (product codes) by eligible revenue in a month or quarter (R-INC-57).

    Highest first; equal amounts in product-code order.
    """
    return _top(lines, scope, period, lambda x: x.product_code, classifications, currency, limit)


@final
@attrs.frozen(kw_only=True)
class BillingModeShare:
    """One billing mode's eligible revenue (R-INC-57).

    Attributes:
        billing_mode: The mode.
        exact: Its exact eligible revenue.
        total: ``exact`` rounded half-up to the minor unit.
        lines: How many lines it has.
    """

    billing_mode: BillingMode
    exact: Money
    total: Money
    lines: int


@final
@attrs.frozen(kw_only=True)
class BillingModeBreakdown:
    """A period's eligible revenue by billing mode; the shares' exact amounts sum to ``exact``.

    Attributes:
        period: The period.
        exact: The exact eligible revenue of the period.
        total: ``exact`` rounded half-up to the minor unit.
        shares: One per billing mode, in declaration order, zero when unused.
    """

    period: Period
    exact: Money
    total: Money
    shares: tuple[BillingModeShare, ...]


def by_billing_mode(
    lines: Iterable[RevenueLine],
    scope: StatisticsScope,
    *,
    period: Period,
    classifications: Iterable[ProductClassification] = (),
    currency: str = "USD",
) -> BillingModeBreakdown:
    """The period's eligible revenue broken down by billing mode (R-INC-57)."""
    scope = _check_scope(scope)
    kinds = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF_YEAR, PeriodKind.YEAR)
    chosen_period = _period(period, kinds, "R-INC-57")
    chosen = _select(
        lines, scope, lambda x: chosen_period.contains(x.generated_on), tuple(classifications)
    )
    unit = Currency(currency)
    shares = []
    for mode in BillingMode:
        amounts = [amount for line, amount in chosen if line.billing_mode is mode]
        exact = total(amounts, currency=unit)
        shares.append(
            BillingModeShare(
                billing_mode=mode, exact=exact, total=_display(exact), lines=len(amounts)
            )
        )
    exact = total((a for _, a in chosen), currency=unit)
    return BillingModeBreakdown(
        period=chosen_period, exact=exact, total=_display(exact), shares=tuple(shares)
    )


@final
@attrs.frozen(kw_only=True)
class CustomerRevenue:
    """One customer's expenditures and refunds in a period: the drill-down (R-INC-57).

    Attributes:
        customer_id: The customer.
        expenditures: Eligible revenue of its positive lines (exact).
        refunds: Eligible revenue of its unsubscriptions and refunds (exact, <= 0).
        net: ``expenditures + refunds`` (exact).
        revenue_ids: Its lines, in revenue-id order.
    """

    customer_id: CustomerId
    expenditures: Money
    refunds: Money
    net: Money
    revenue_ids: tuple[str, ...]


@final
@attrs.frozen(kw_only=True)
class RevenueSummary:
    """A period's revenue summary with expenditure and refund figures (R-INC-57, DC-INC-30).

    Attributes:
        period: The period.
        expenditures: Exact eligible revenue of the positive lines.
        refunds: Exact eligible revenue of unsubscriptions and refunds (<= 0).
        exact: ``expenditures + refunds``.
        total: ``exact`` rounded half-up to the minor unit.
        tax_inclusive: The tax-inclusive total, for display only (DC-INC-30).
        customers: The per-customer drill-down, in customer-id order.
    """

    period: Period
    expenditures: Money
    refunds: Money
    exact: Money
    total: Money
    tax_inclusive: Money
    customers: tuple[CustomerRevenue, ...]

    def customer(self, customer_id: CustomerId) -> CustomerRevenue:
        """Drill down to one customer of the scope (R-INC-57, R-INC-59).

        Raises:
            InvalidArgumentError: The customer has no line in the scope.
        """
        for row in self.customers:
            if row.customer_id == customer_id:
                return row
        raise InvalidArgumentError(
            "customer_id", customer_id, "a customer in the statistics scope", rule_id="R-INC-59"
        )


def _split(chosen: Sequence[tuple[RevenueLine, Money]], unit: Currency) -> tuple[Money, Money]:
    spent = total((a for line, a in chosen if line.order_type.sign > 0), currency=unit)
    refunded = total((a for line, a in chosen if line.order_type.sign < 0), currency=unit)
    return spent, refunded


def revenue_summary(
    lines: Iterable[RevenueLine],
    scope: StatisticsScope,
    *,
    period: Period,
    classifications: Iterable[ProductClassification] = (),
    currency: str = "USD",
) -> RevenueSummary:
    """The period's revenue summary: expenditures, refunds, per-customer drill-down (R-INC-57)."""
    scope = _check_scope(scope)
    kinds = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF_YEAR, PeriodKind.YEAR)
    chosen_period = _period(period, kinds, "R-INC-57")
    chosen = _select(
        lines, scope, lambda x: chosen_period.contains(x.generated_on), tuple(classifications)
    )
    unit = Currency(currency)
    per_customer: dict[CustomerId, list[tuple[RevenueLine, Money]]] = {}
    for line, amount in chosen:
        per_customer.setdefault(line.customer_id, []).append((line, amount))
    customers = []
    for customer_id in sorted(per_customer):
        mine = per_customer[customer_id]
        spent, refunded = _split(mine, unit)
        customers.append(
            CustomerRevenue(
                customer_id=customer_id,
                expenditures=spent,
                refunds=refunded,
                net=spent + refunded,
                revenue_ids=tuple(line.revenue_id for line, _ in mine),
            )
        )
    spent, refunded = _split(chosen, unit)
    taxed = total((line.tax_inclusive for line, _ in chosen), currency=unit)
    return RevenueSummary(
        period=chosen_period,
        expenditures=spent,
        refunds=refunded,
        exact=spent + refunded,
        total=_display(spent + refunded),
        tax_inclusive=_display(taxed),
        customers=tuple(customers),
    )


# -- incentive statistics (R-INC-58) -------------------------------------------------------


class EarningLineLike(Protocol):
    """What the statistics read of an earning's detail line (``calculate.EarningLine``)."""

    @property
    def revenue_id(self) -> str:
        """The revenue line it comes from."""

    @property
    def earning(self) -> Money | None:
        """Its exact earning; ``None`` when the schedule earns on the period base (ladders)."""


class EarningLike(Protocol):
    """What the statistics read of an earning (``calculate.Earning`` or a stored statement)."""

    @property
    def partner_id(self) -> PartnerId:
        """The credited partner."""

    @property
    def period(self) -> Period:
        """The period it is for."""

    @property
    def policy_id(self) -> str:
        """The incentive programme or policy."""

    @property
    def amount(self) -> Money:
        """The rounded, signed earning."""

    @property
    def lines(self) -> Sequence[EarningLineLike]:
        """Its detail lines."""


@final
@attrs.frozen(kw_only=True)
class PeriodEarning:
    """The earnings of one period, all programmes together (the trend, R-INC-58).

    Attributes:
        period: The period.
        amount: The sum of the earnings' amounts.
        earnings: How many earnings.
    """

    period: Period
    amount: Money
    earnings: int


@final
@attrs.frozen(kw_only=True)
class ProgrammeEarning:
    """The earnings of one incentive programme in the year (R-INC-58).

    Attributes:
        policy_id: The programme or policy.
        amount: The sum of its earnings' amounts.
        earnings: How many earnings.
    """

    policy_id: str
    amount: Money
    earnings: int


@final
@attrs.frozen(kw_only=True)
class IncentiveSummary:
    """The year's earnings beside the customers' expenditures and refunds (R-INC-58, CF-28).

    Attributes:
        earnings: The sum of the year's earnings.
        expenditures: Exact eligible revenue of the positive lines of the year.
        refunds: Exact eligible revenue of the unsubscriptions and refunds (<= 0).
    """

    earnings: Money
    expenditures: Money
    refunds: Money


@final
@attrs.frozen(kw_only=True)
class IncentiveStatistics:
    """A partner's incentive statistics for a year (R-INC-58).

    Attributes:
        partner_id: The partner.
        year: The (current) year.
        trend: One entry per period with earnings, in period order.
        programmes: One entry per programme, in policy-id order.
        top_customers: Customers by their lines' exact earnings, highest first.
        top_services: Product codes by their lines' exact earnings, highest first.
        summary: Earnings, expenditures and refunds.
    """

    partner_id: PartnerId
    year: int
    trend: tuple[PeriodEarning, ...]
    programmes: tuple[ProgrammeEarning, ...]
    top_customers: tuple[Ranked, ...]
    top_services: tuple[Ranked, ...]
    summary: IncentiveSummary


def incentive_statistics(
    earnings: Iterable[EarningLike],
    lines: Iterable[RevenueLine],
    scope: StatisticsScope,
    *,
    year: int,
    period: Period | None = None,
    classifications: Iterable[ProductClassification] = (),
    currency: str = "USD",
    limit: int = TOP_N,
) -> IncentiveStatistics:
    """The scope partner's incentive statistics for ``year``, the current year (R-INC-58).

    Earnings of other partners and of periods outside the year are ignored.
    The top customers and services rank the exact detail-line earnings of the
    statistical ``period`` (default: the whole year), joined to ``lines`` by
    revenue id; lines earning on the period base (ladders) rank nowhere.  The
    summary sets the earnings beside the expenditures and refunds of the
    scope's lines in the year (CF-28).

    Raises:
        InvalidArgumentError: A bad year, a period outside it, or a detail line
            whose revenue line is missing from ``lines``.
    """
    scope = _check_scope(scope)
    count = _limit(limit)
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9998:
        raise InvalidArgumentError("year", year, "a calendar year", rule_id="R-INC-58")
    whole = Period.year_of(year)
    window = whole if period is None else period
    if not isinstance(window, Period) or not (
        whole.first_day <= window.first_day and window.last_day <= whole.last_day
    ):
        raise InvalidArgumentError("period", period, f"a period of {year}", rule_id="R-INC-58")
    unit = Currency(currency)
    mine = [
        e
        for e in earnings
        if e.partner_id == scope.partner_id
        and whole.first_day <= e.period.first_day
        and e.period.last_day <= whole.last_day
    ]
    by_period: dict[Period, list[Money]] = {}
    by_programme: dict[str, list[Money]] = {}
    for earning in mine:
        by_period.setdefault(earning.period, []).append(earning.amount)
        by_programme.setdefault(earning.policy_id, []).append(earning.amount)
    trend = tuple(
        PeriodEarning(period=p, amount=total(v, currency=unit), earnings=len(v))
        for p, v in sorted(by_period.items(), key=lambda kv: (kv[0].first_day, kv[0].last_day))
    )
    programmes = tuple(
        ProgrammeEarning(policy_id=k, amount=total(v, currency=unit), earnings=len(v))
        for k, v in sorted(by_programme.items())
    )
    revenue = {line.revenue_id: line for line in lines}
    detail: list[tuple[RevenueLine, Money]] = []
    for earning in mine:
        if not (
            window.first_day <= earning.period.first_day
            and earning.period.last_day <= window.last_day
        ):
            continue
        for item in earning.lines:
            if item.earning is None:
                continue
            if item.revenue_id not in revenue:
                raise InvalidArgumentError(
                    "lines", item.revenue_id, "the revenue line of every detail line"
                )
            detail.append((revenue[item.revenue_id], item.earning))
    detail.sort(key=lambda pair: pair[0].revenue_id)
    chosen = _select(
        revenue.values(), scope, lambda x: whole.contains(x.generated_on), tuple(classifications)
    )
    spent, refunded = _split(chosen, unit)
    return IncentiveStatistics(
        partner_id=scope.partner_id,
        year=year,
        trend=trend,
        programmes=programmes,
        top_customers=_rank(((x.customer_id, a) for x, a in detail), unit, count),
        top_services=_rank(((x.product_code, a) for x, a in detail), unit, count),
        summary=IncentiveSummary(
            earnings=total((e.amount for e in mine), currency=unit),
            expenditures=spent,
            refunds=refunded,
        ),
    )
