"""IncentiveService: a period from estimate to payment, goals and MDF over a store."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import attrs
import pytest
from tests.support.world import VENDOR, account_manager, admin, at

from partnerkit.adapters.memory import InMemoryStore
from partnerkit.errors import (
    IdempotencyConflictError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, PartnerId
from partnerkit.incentives.earnings import (
    BelowMinimumPayout,
    EarningStatus,
    IncentiveEarning,
    PartnerStanding,
    PaymentRequest,
    PaymentStatus,
    PayoutOption,
)
from partnerkit.incentives.funds import (
    BudgetItem,
    FhIncentiveStatus,
    FhProgramme,
    FhProofKind,
    FhQualification,
    FhRecipient,
    MdfApplication,
    MdfMaterial,
    MdfReimbursement,
    MdfStatus,
    ProofFile,
    SpifRecipient,
    SpifStatus,
    approve_fh_qualification,
    confirm_fh_qualification,
)
from partnerkit.incentives.goals import AnnualGoalStatus
from partnerkit.incentives.policy import Flat, IncentivePolicy
from partnerkit.incentives.revenue import OrderType, RevenueLine
from partnerkit.money import Money
from partnerkit.periods import Period, PeriodKind
from partnerkit.permissions import Actor, OrgRole, Permission
from partnerkit.services.incentives import (
    EARNINGS,
    FH_INCENTIVES,
    GOALS,
    MDF_APPLICATIONS,
    MDF_QUOTAS,
    PAYMENT_REQUESTS,
    SPIF_APPLICATIONS,
    IncentiveService,
)

K = itertools.count()
P1 = PartnerId("p1")
SYSTEM = Actor.system()
FINANCE = Actor.partner_user(ActorId("fin"), P1, {OrgRole.FINANCE_SPECIALIST})
POLICY = IncentivePolicy(
    policy_id="monthly",
    name="Monthly rebate",
    period_kind=PeriodKind.MONTH,
    schedule=Flat(rate="0.10"),
)
MAY = Period.parse("2024M5")
PAID = {MAY: date(2024, 6, 8)}


def key() -> IdempotencyKey:
    return IdempotencyKey(f"i-{next(K)}")


def usd(amount: str | int) -> Money:
    return Money.of(amount, "USD")


def lines(amount: str = "3000") -> list[RevenueLine]:
    return [
        RevenueLine(
            revenue_id="L1",
            partner_id=P1,
            customer_id=CustomerId("c1"),
            order_type=OrderType.NEW_PURCHASE,
            product_code="ecs",
            generated_on=date(2024, 5, 3),
            amount=usd(amount),
        ),
        RevenueLine(
            revenue_id="L2",
            partner_id=P1,
            customer_id=CustomerId("c1"),
            order_type=OrderType.UNSUBSCRIPTION,
            product_code="ecs",
            generated_on=date(2024, 5, 20),
            amount=usd("500"),
        ),
    ]


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def service(store: InMemoryStore) -> IncentiveService:
    return IncentiveService(store.unit_of_work)


def issued(service: IncentiveService) -> None:
    service.compute_period(
        SYSTEM,
        POLICY,
        lines(),
        earning_id="e-2024M5",
        partner_id=P1,
        period=MAY,
        revenue_final=True,
        as_of=at("2024-06-07 09:00"),
        idempotency_key=key(),
    )
    service.confirm(admin("p1"), "e-2024M5", as_of=at("2024-06-08 10:00"))
    service.issue(VENDOR, "e-2024M5", as_of=at("2024-06-09 10:00"))


class TestEarnings:
    def test_estimate_then_statement(self, service: IncentiveService) -> None:
        """R-INC-29, R-INC-11, DC-INC-36: estimates are recomputed; a statement is fixed."""
        service.compute_period(
            SYSTEM,
            POLICY,
            lines("1000"),
            earning_id="e",
            partner_id=P1,
            period=MAY,
            revenue_final=False,
            as_of=at("2024-05-25 09:00"),
            idempotency_key=key(),
        )
        (estimate,) = service.earnings(P1)
        assert (estimate.status, estimate.amount) == (EarningStatus.ESTIMATED, usd("50.00"))
        service.compute_period(
            SYSTEM,
            POLICY,
            lines(),
            earning_id="e",
            partner_id=P1,
            period=MAY,
            revenue_final=True,
            as_of=at("2024-06-07 09:00"),
            idempotency_key=key(),
        )
        (published,) = service.earnings(P1)
        assert (published.status, published.amount) == (
            EarningStatus.PENDING_CONFIRMATION,
            usd("250.00"),
        )
        assert published.detail is not None
        assert [x.revenue_id for x in published.detail.lines] == ["L1", "L2"]
        with pytest.raises(RuleViolationError) as caught:
            service.compute_period(
                SYSTEM,
                POLICY,
                lines(),
                earning_id="e",
                partner_id=P1,
                period=MAY,
                revenue_final=True,
                as_of=at("2024-06-08 09:00"),
                idempotency_key=key(),
            )
        assert caught.value.rule_id == "R-INC-29"

    def test_auto_confirm_and_issue(self, service: IncentiveService) -> None:
        """R-INC-31, R-INC-32: the system confirms after 5 days; the vendor issues."""
        service.compute_period(
            SYSTEM,
            POLICY,
            lines(),
            earning_id="e",
            partner_id=P1,
            period=MAY,
            revenue_final=True,
            as_of=at("2024-06-07 09:00"),
            idempotency_key=key(),
        )
        assert service.auto_confirm(SYSTEM, P1, as_of=at("2024-06-12 08:59")) == ()
        (event,) = service.auto_confirm(SYSTEM, P1, as_of=at("2024-06-12 09:00"))
        assert event.occurred_at == at("2024-06-12 09:00")
        service.issue(VENDOR, "e", as_of=at("2024-06-13 09:00"))
        assert service.earnings(P1)[0].status is EarningStatus.ISSUED

    def test_who_may_act(self, service: IncentiveService, store: InMemoryStore) -> None:
        """R-INC-30: partner finance confirms its own earnings; the vendor computes and issues."""
        with pytest.raises(PermissionDeniedError):
            service.compute_period(
                admin("p1"),
                POLICY,
                lines(),
                earning_id="e",
                partner_id=P1,
                period=MAY,
                revenue_final=True,
                as_of=at("2024-06-07 09:00"),
                idempotency_key=key(),
            )
        service.compute_period(
            SYSTEM,
            POLICY,
            lines(),
            earning_id="e",
            partner_id=P1,
            period=MAY,
            revenue_final=True,
            as_of=at("2024-06-07 09:00"),
            idempotency_key=key(),
        )
        before = store.snapshot()
        for actor in (account_manager("p1", "am"), admin("p2")):
            with pytest.raises(PermissionDeniedError):
                service.confirm(actor, "e", as_of=at("2024-06-08 09:00"))
        with pytest.raises(PermissionDeniedError):
            service.issue(admin("p1"), "e", as_of=at("2024-06-08 09:00"))
        with pytest.raises(NotFoundError):
            service.confirm(FINANCE, "nope", as_of=at("2024-06-08 09:00"))
        assert store.snapshot() == before


class TestPayout:
    def test_bank_transfer_to_completion(
        self, service: IncentiveService, store: InMemoryStore
    ) -> None:
        """3.5 / R-INC-45, R-INC-46, R-INC-48, R-INC-52: request, invoice, review, approve, pay."""
        issued(service)
        events = service.request_payment(
            FINANCE,
            PayoutOption.BANK_TRANSFER,
            request_id="r1",
            standing=PartnerStanding(),
            bills=PAID,
            as_of=at("2024-06-10 09:00"),
            idempotency_key=key(),
            service_fee_tax_rate=Decimal("0.12"),
        )
        assert [e.name for e in events] == [
            "PaymentRequestChanged",
            "EarningChanged",
            "PaymentRequestChanged",
        ]
        (request,) = service.payment_requests(P1)
        assert (request.status, request.invoice_amount) == (
            PaymentStatus.PENDING_PARTNER_INVOICE,
            usd("280.00"),
        )
        service.submit_invoice(
            FINANCE, "r1", usd("280.00"), billing_list=True, as_of=at("2024-06-11 09:00")
        )
        service.review_invoice(
            VENDOR, "r1", approve=False, causes="no VAT number", as_of=at("2024-06-13 09:00")
        )
        service.submit_invoice(
            FINANCE, "r1", usd("280.00"), billing_list=True, as_of=at("2024-06-14 09:00")
        )
        service.review_invoice(VENDOR, "r1", approve=True, as_of=at("2024-06-17 09:00"))
        service.decide_payment(VENDOR, "r1", approve=True, as_of=at("2024-06-20 09:00"))
        service.complete_payment(VENDOR, "r1", as_of=at("2024-07-05 09:00"))
        assert service.payment_requests(P1)[0].status is PaymentStatus.COMPLETED
        assert service.earnings(P1)[0].paid
        latest: dict[tuple[str, str], object] = {}
        for event in store.events():
            for value in event.snapshots():
                if isinstance(value, IncentiveEarning):
                    latest[(EARNINGS.name, EARNINGS.key(value))] = attrs.evolve(value, version=0)
                else:
                    assert isinstance(value, PaymentRequest)
                    where = (PAYMENT_REQUESTS.name, PAYMENT_REQUESTS.key(value))
                    latest[where] = attrs.evolve(value, version=0)
        stored = {
            (n, k): attrs.evolve(v, version=0)
            for n, t in store.snapshot().items()
            for k, v in t.items()
        }
        assert latest == stored

    def test_rejected_payment_frees_the_earnings(self, service: IncentiveService) -> None:
        """R-INC-40: a rejected payment application frees its earnings and waives expiry."""
        issued(service)
        service.request_payment(
            FINANCE,
            PayoutOption.TOP_UP,
            request_id="r1",
            standing=PartnerStanding(),
            bills=PAID,
            as_of=at("2024-06-10 09:00"),
            idempotency_key=key(),
        )
        service.submit_invoice(
            FINANCE, "r1", usd("250.00"), billing_list=True, as_of=at("2024-06-11 09:00")
        )
        service.review_invoice(VENDOR, "r1", approve=True, as_of=at("2024-06-12 09:00"))
        service.decide_payment(
            VENDOR, "r1", approve=False, causes="bank data", as_of=at("2024-06-14 09:00")
        )
        (earning,) = service.earnings(P1)
        assert (earning.request_id, earning.expiry_waived) == (None, True)
        service.request_payment(
            FINANCE,
            PayoutOption.COUPON,
            request_id="r2",
            standing=PartnerStanding(),
            bills=PAID,
            as_of=at("2026-01-01 09:00"),
            idempotency_key=key(),
        )
        assert service.earnings(P1)[0].paid

    def test_refusals_change_nothing_and_keys_replay(
        self, service: IncentiveService, store: InMemoryStore
    ) -> None:
        """R-INC-39, R-INC-42: frozen or too small is refused; a key replays its first answer."""
        issued(service)
        before = (store.snapshot(), len(store.events()))
        with pytest.raises(RuleViolationError) as frozen:
            service.request_payment(
                FINANCE,
                PayoutOption.TOP_UP,
                request_id="r1",
                standing=PartnerStanding(),
                bills={MAY: None},
                as_of=at("2024-06-10 09:00"),
                idempotency_key=key(),
            )
        assert frozen.value.rule_id == "DC-INC-10"  # nothing available while frozen
        with pytest.raises(PermissionDeniedError):
            service.request_payment(
                account_manager("p1", "am"),
                PayoutOption.COUPON,
                request_id="r1",
                standing=PartnerStanding(),
                bills=PAID,
                as_of=at("2024-06-10 09:00"),
                idempotency_key=key(),
            )
        assert (store.snapshot(), len(store.events())) == before
        k = key()
        first = service.request_payment(
            FINANCE,
            PayoutOption.COUPON,
            request_id="r1",
            standing=PartnerStanding(),
            bills=PAID,
            as_of=at("2024-06-10 09:00"),
            idempotency_key=k,
        )
        again = service.request_payment(
            FINANCE,
            PayoutOption.COUPON,
            request_id="r1",
            standing=PartnerStanding(),
            bills=PAID,
            as_of=at("2024-06-10 09:00"),
            idempotency_key=k,
        )
        assert again == first
        with pytest.raises(IdempotencyConflictError):
            service.request_payment(
                FINANCE,
                PayoutOption.TOP_UP,
                request_id="r1",
                standing=PartnerStanding(),
                bills=PAID,
                as_of=at("2024-06-10 09:00"),
                idempotency_key=k,
            )

    def test_auto_pay(self, service: IncentiveService) -> None:
        """R-INC-53: on the 5th day after generation auto-pay requests; below 200 it waits."""
        service.compute_period(
            SYSTEM,
            POLICY,
            lines("1500"),
            earning_id="e",
            partner_id=P1,
            period=MAY,
            revenue_final=True,
            as_of=at("2024-06-05 09:00"),
            idempotency_key=key(),
        )
        service.confirm(FINANCE, "e", as_of=at("2024-06-06 09:00"))
        service.issue(VENDOR, "e", as_of=at("2024-06-07 09:00"))
        ok = PartnerStanding()
        when = at("2024-06-10 09:00")
        with pytest.raises(BelowMinimumPayout):
            service.request_payment(
                FINANCE,
                PayoutOption.BANK_TRANSFER,
                request_id="x",
                standing=ok,
                bills=PAID,
                as_of=when,
                idempotency_key=key(),
            )
        assert (
            service.auto_pay(
                SYSTEM,
                P1,
                PayoutOption.BANK_TRANSFER,
                request_id="auto1",
                standing=ok,
                bills=PAID,
                as_of=when,
                idempotency_key=key(),
            )
            == ()
        )
        made = service.auto_pay(
            SYSTEM,
            P1,
            PayoutOption.COUPON,
            request_id="auto1",
            standing=ok,
            bills=PAID,
            as_of=when,
            idempotency_key=key(),
        )
        assert made
        assert service.payment_requests(P1)[0].auto


class TestGoalsAndMdf:
    def test_goal_flow(self, service: IncentiveService) -> None:
        """R-INC-22, R-INC-24, R-INC-25, R-INC-28: set, withdraw, set again, approve."""
        with pytest.raises(PermissionDeniedError) as caught:
            service.submit_goal(
                FINANCE, 2024, usd(400000), as_of=at("2024-01-05 09:00"), idempotency_key=key()
            )
        assert caught.value.rule_id == "R-INC-22"
        granted = Actor.partner_user(
            ActorId("m"), P1, {OrgRole.CUSTOM}, grants={Permission.REVENUE_GOAL}
        )
        service.submit_goal(
            granted, 2024, usd(400000), as_of=at("2024-01-05 09:00"), idempotency_key=key()
        )
        with pytest.raises(RuleViolationError):
            service.submit_goal(
                admin("p1"), 2024, usd(1), as_of=at("2024-01-06 09:00"), idempotency_key=key()
            )
        service.withdraw_goal(admin("p1"), 2024, reason="too high", as_of=at("2024-01-06 09:00"))
        service.submit_goal(
            admin("p1"), 2024, usd(380000), as_of=at("2024-01-07 09:00"), idempotency_key=key()
        )
        service.decide_goal(VENDOR, P1, 2024, approve=True, as_of=at("2024-01-10 09:00"))
        assert [g.status for g in service.goals(P1)] == [
            AnnualGoalStatus.WITHDRAWN,
            AnnualGoalStatus.APPROVED,
        ]
        with pytest.raises(RuleViolationError):
            service.decide_goal(VENDOR, P1, 2024, approve=False, as_of=at("2024-01-11 09:00"))
        assert GOALS.name == "annual_goals"

    def test_mdf_flow(self, service: IncentiveService, store: InMemoryStore) -> None:
        """R-INC-61, R-INC-63, R-INC-67, R-INC-71, DC-INC-21: quota, apply, approve, reimburse."""
        app = MdfApplication(
            application_id="m1",
            activity_name="Cloud day",
            activity_type="seminar",
            expected_start=date(2024, 9, 20),
            expected_end=date(2024, 9, 22),
            agreement_accepted=True,
            budget_items=(BudgetItem(item="Design", mdf_used=True, amount=usd("100")),),
        )
        with pytest.raises(RuleViolationError) as no_quota:
            service.submit_mdf(
                FINANCE,
                app,
                business_info_certified=True,
                as_of=at("2024-09-06 09:00"),
                idempotency_key=key(),
            )
        assert no_quota.value.rule_id == "R-INC-61"
        service.set_mdf_quota(VENDOR, P1, usd(50), as_of=at("2024-09-01 09:00"))
        before = store.snapshot()
        with pytest.raises(RuleViolationError) as over:
            service.submit_mdf(
                FINANCE,
                app,
                business_info_certified=True,
                as_of=at("2024-09-06 09:00"),
                idempotency_key=key(),
            )
        assert over.value.rule_id == "R-INC-63"
        assert store.snapshot() == before
        service.set_mdf_quota(VENDOR, P1, usd(8000), as_of=at("2024-09-02 09:00"))
        service.submit_mdf(
            FINANCE,
            app,
            business_info_certified=True,
            as_of=at("2024-09-06 09:00"),
            idempotency_key=key(),
        )
        service.decide_mdf(VENDOR, "m1", approve=True, as_of=at("2024-09-09 09:00"))
        with store.unit_of_work() as uow:
            quota = uow.repository(MDF_QUOTAS).get(P1).account
        assert (quota.reserved, quota.available) == (usd("100.00"), usd("7900.00"))
        claim = MdfReimbursement(
            expense_items=(BudgetItem(item="Design", mdf_used=True, amount=usd("80")),),
            materials=frozenset(MdfMaterial),
        )
        service.request_mdf_reimbursement(
            FINANCE,
            "m1",
            claim,
            business_info_certified=True,
            as_of=at("2024-09-25 09:00"),
            idempotency_key=key(),
        )
        service.decide_mdf_reimbursement(VENDOR, "m1", approve=True, as_of=at("2024-10-08 09:00"))
        with store.unit_of_work() as uow:
            record = uow.repository(MDF_APPLICATIONS).get("m1")
            quota = uow.repository(MDF_QUOTAS).get(P1).account
        assert record.application.status is MdfStatus.REIMBURSEMENT_APPROVED
        assert record.application.reimbursement is not None
        assert record.application.reimbursement.reimbursable == usd("80.00")
        assert (quota.consumed, quota.available) == (usd("80.00"), usd("7920.00"))
        with pytest.raises(PermissionDeniedError):
            service.decide_mdf(FINANCE, "m1", approve=True, as_of=at("2024-10-09 09:00"))
        with pytest.raises(PermissionDeniedError):
            service.request_mdf_reimbursement(
                admin("p2"),
                "m1",
                claim,
                business_info_certified=True,
                as_of=at("2024-10-09 09:00"),
                idempotency_key=key(),
            )
        with pytest.raises(NotFoundError):
            service.decide_mdf(VENDOR, "nope", approve=True, as_of=at("2024-10-09 09:00"))
        assert [r.application.application_id for r in service.mdf(P1)] == ["m1"]

    def test_fh_and_spif(self, service: IncentiveService, store: InMemoryStore) -> None:
        """R-INC-76, R-INC-77, R-INC-82, R-INC-93, R-INC-96, R-INC-97: FH and SPIF over the store."""
        qualification = approve_fh_qualification(
            confirm_fh_qualification(
                FhQualification(
                    partner_id="p1",
                    programme=FhProgramme.CSP,
                    agreement_accepted=True,
                    huawei_ids_associated=True,
                ),
                as_of=at("2024-01-05 09:00"),
            )
        )
        people = [
            FhRecipient(
                huawei_id=h,
                name=h,
                on_the_job="3months",
                mbo_score=100,
                amount=usd("18000.00"),
                info_updated_on=date(2024, 3, 28),
            )
            for h in ("hw-a", "hw-b")
        ]
        service.generate_fh(
            SYSTEM,
            qualification,
            incentive_id="fh-1",
            eligible=people,
            as_of=at("2024-04-01 08:00"),
        )
        pdf = [ProofFile(name="proof.pdf", size_bytes=1024)]
        for kind in (
            FhProofKind.EMPLOYMENT_CERTIFICATE,
            FhProofKind.QUALIFIED_NEW_CUSTOMERS,
            FhProofKind.REPORT_AND_SUMMARY,
        ):
            service.upload_fh_proofs(FINANCE, "fh-1", kind, pdf, as_of=at("2024-04-02 09:00"))
        before = store.snapshot()
        with pytest.raises(RuleViolationError) as too_many:
            service.reconcile_fh(
                FINANCE,
                "fh-1",
                selected=["hw-a", "hw-b"],
                dedicated_personnel=3,
                qualified_customers={"hw-a": 3, "hw-b": 4},
                as_of=at("2024-04-10 09:00"),
                idempotency_key=key(),
            )
        assert too_many.value.rule_id == "R-INC-77"
        assert store.snapshot() == before
        service.reconcile_fh(
            FINANCE,
            "fh-1",
            selected=["hw-a", "hw-b"],
            dedicated_personnel=4,
            qualified_customers={"hw-a": 3, "hw-b": 4},
            as_of=at("2024-04-10 09:00"),
            idempotency_key=key(),
        )
        service.finalise_fh(VENDOR, "fh-1", as_of=at("2024-04-12 09:00"))
        with store.unit_of_work() as uow:
            record = uow.repository(FH_INCENTIVES).get("fh-1")
        assert record.incentive.status is FhIncentiveStatus.FINALISED
        assert record.incentive.total == usd("36000.00")

        with pytest.raises(RuleViolationError) as unsigned:
            service.submit_spif(
                FINANCE,
                "sp-1",
                rep_office="Hong Kong",
                commitment_letter_signed=False,
                registration_form=None,
                as_of=at("2024-04-01 09:00"),
                idempotency_key=key(),
            )
        assert unsigned.value.rule_id == "R-INC-93"
        service.submit_spif(
            FINANCE,
            "sp-1",
            rep_office="Hong Kong",
            commitment_letter_signed=True,
            registration_form="form.pdf",
            as_of=at("2024-04-01 09:00"),
            idempotency_key=key(),
        )
        service.decide_spif(VENDOR, "sp-1", approve=True, as_of=at("2024-04-03 09:00"))
        service.save_spif_recipients(
            FINANCE,
            "sp-1",
            [SpifRecipient(account_manager="am-1", huawei_id="hw-1")],
            associated_ids=["hw-1"],
            as_of=at("2024-04-04 09:00"),
        )
        with store.unit_of_work() as uow:
            spif = uow.repository(SPIF_APPLICATIONS).get("sp-1").application
        assert (spif.status, spif.list_version) == (SpifStatus.APPROVED, 1)
        with pytest.raises(PermissionDeniedError):
            service.save_spif_recipients(
                admin("p2"), "sp-1", [], associated_ids=[], as_of=at("2024-04-05 09:00")
            )


def test_a_rejected_mdf_application_is_edited_and_resubmitted(
    service: IncentiveService, store: InMemoryStore
) -> None:
    """R-INC-65: the vendor rejects with a comment; the partner's edits are what is resubmitted."""
    service.set_mdf_quota(VENDOR, P1, usd(8000), as_of=at("2024-09-01 09:00"))
    app = MdfApplication(application_id="m2", activity_name="Cloud day",
                         activity_type="seminar", expected_start=date(2024, 9, 20),
                         expected_end=date(2024, 9, 22), agreement_accepted=True,
                         budget_items=(BudgetItem(item="Hall", mdf_used=True,
                                                  amount=usd("900")),))  # fmt: skip
    service.submit_mdf(FINANCE, app, business_info_certified=True,
                       as_of=at("2024-09-06 09:00"), idempotency_key=key())  # fmt: skip
    service.decide_mdf(VENDOR, "m2", approve=False, comment="too expensive",
                       as_of=at("2024-09-09 09:00"))  # fmt: skip
    cheaper = attrs.evolve(app, budget_items=(BudgetItem(item="Hall", mdf_used=True,
                                                         amount=usd("600")),))  # fmt: skip
    service.submit_mdf(FINANCE, cheaper, business_info_certified=True,
                       as_of=at("2024-09-06 10:00"), idempotency_key=key())  # fmt: skip
    with store.unit_of_work() as uow:
        stored = uow.repository(MDF_APPLICATIONS).get("m2").application
    assert stored.status is MdfStatus.UNDER_REVIEW
    assert stored.budget_with_mdf == usd("600.00")
    assert stored.comments == ("too expensive",)
