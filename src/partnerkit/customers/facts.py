"""Customer facts: what the rules read about a customer account (customers.md 1.6).

The embedding application supplies these facts (from the vendor's APIs, a
CRM or a test fixture); partnerkit never fetches or computes them.

>>> from datetime import datetime
>>> from partnerkit.periods import GMT_PLUS_8
>>> c = CustomerFacts(CustomerId("c-1"), "alice@example.com",
...                   registered_at=datetime(2024, 6, 1, tzinfo=GMT_PLUS_8))
>>> c.site, c.normalized_email
(<Site.INTERNATIONAL: 'intl'>, 'alice@example.com')
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId

__all__ = ["CustomerFacts", "EnterpriseRole", "Site", "normalize_email"]


class Site(enum.Enum):
    """Which of the vendor's sites the account is registered on."""

    INTERNATIONAL = "intl"
    CHINESE_MAINLAND = "cn-mainland"


class EnterpriseRole(enum.Enum):
    """The account's place in an enterprise (unified-accounting) structure."""

    NONE = "none"
    MASTER = "master"
    MASTER_WITH_INDEPENDENT_MEMBERS = "master-with-independent-members"
    MEMBER = "member"


def normalize_email(email: str) -> str:
    """Trimmed, lower-case email used for matching (R-CUST-12, G-18).

    >>> normalize_email("  Alice@Example.COM ")
    'alice@example.com'
    """
    if not isinstance(email, str) or "@" not in email.strip():
        raise InvalidArgumentError("email", email, "expected an email address", rule_id="R-CUST-13")
    return email.strip().lower()


def _id(instance: object, attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError("customer_id", value, "expected a non-empty id")


def _email(instance: object, attribute: object, value: Any) -> None:
    normalize_email(value)


@final
@attrs.frozen
class CustomerFacts:
    """A customer account and the facts association rules read.

    Every flag defaults to the harmless value, so a test or notebook states
    only the facts that matter to it.
    """

    id: CustomerId = attrs.field(validator=_id)
    email: str = attrs.field(validator=_email)
    registered_at: datetime = attrs.field(kw_only=True, validator=_v.aware)
    site: Site = attrs.field(default=Site.INTERNATIONAL, kw_only=True)
    registration_country: str | None = attrs.field(default=None, kw_only=True)
    enterprise_role: EnterpriseRole = attrs.field(default=EnterpriseRole.NONE, kw_only=True)
    unified_accounting_master_linked: bool = attrs.field(default=False, kw_only=True)
    has_cash_expenditure: bool = attrs.field(default=False, kw_only=True)
    followed_by_direct_sales: bool = attrs.field(default=False, kw_only=True)
    belongs_to_online_sales_team: bool = attrs.field(default=False, kw_only=True)
    signed_contract_with_vendor: bool = attrs.field(default=False, kw_only=True)
    special_contract: bool = attrs.field(default=False, kw_only=True)
    professional_service_contract: bool = attrs.field(default=False, kw_only=True)
    special_commerce_contract_active: bool = attrs.field(default=False, kw_only=True)
    is_partner_or_applying: bool = attrs.field(default=False, kw_only=True)
    is_vendor_internal_account: bool = attrs.field(default=False, kw_only=True)
    unpaid_bills: bool = attrs.field(default=False, kw_only=True)
    overdue_payment: bool = attrs.field(default=False, kw_only=True)
    credit_bill_run_overdue: bool = attrs.field(default=False, kw_only=True)
    topup_balance_and_invoice_over_limit: bool = attrs.field(default=False, kw_only=True)
    has_valid_reserved_instances: bool = attrs.field(default=False, kw_only=True)
    has_partner_support_plan: bool = attrs.field(default=False, kw_only=True)
    currency_set: bool = attrs.field(default=True, kw_only=True)
    orders_awaiting_partner_payment: int = attrs.field(default=0, kw_only=True)
    version: int = attrs.field(default=0, kw_only=True)

    @orders_awaiting_partner_payment.validator
    def _check_orders(self, attribute: object, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidArgumentError(
                "orders_awaiting_partner_payment", value, "expected an int >= 0"
            )

    @property
    def normalized_email(self) -> str:
        """The email as matched against pre-registrations."""
        return normalize_email(self.email)
