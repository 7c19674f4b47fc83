"""Members, persons, dedicated personnel and validity: EX-24..36."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from partnerkit.eligibility.organisation import (
    PersonState,
    invitation_expires_at,
    may_apply_dedicated,
    may_create_custom_role,
    may_delete_custom_role,
    may_disassociate_person,
    may_disqualify,
    may_invite_person,
    may_invite_persons,
    may_request_for_person,
    may_send_invitations,
    member_roles,
    orphaned_managers,
)
from partnerkit.eligibility.validity import (
    certificate_notice_on,
    certificate_valid_to,
    competency_frozen_until,
    may_apply_competency,
    may_create_solution,
    passes_accreditation,
    renewed_valid_to,
    rework_deadline,
    solution_valid_to,
)
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import ActorId, PartnerId
from partnerkit.partners import Partner, PartnerRole
from partnerkit.permissions import Actor, OrgRole

UTC = UTC


def on(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def test_ex24_role_assignment() -> None:
    """EX-24 / R-ELIG-057, R-ELIG-058, R-ELIG-059: 1-3 roles, admin alone, AM and AD apart; AM + finance
    manages all customers."""
    assert member_roles({OrgRole.ADMIN, OrgRole.FINANCE_SPECIALIST}).codes == ("ROLE_CONFLICT",)
    assert member_roles({OrgRole.ACCOUNT_MANAGER, OrgRole.ACCOUNT_DIRECTOR}).codes == (
        "ROLE_CONFLICT",
    )
    four = member_roles({OrgRole.ACCOUNT_MANAGER, OrgRole.FINANCE_SPECIALIST},
                        custom_roles=("c1", "c2"))  # fmt: skip
    assert four.codes == ("TOO_MANY_ROLES",)
    assert member_roles(set()).codes == ("NO_ROLE",)
    pair = {OrgRole.ACCOUNT_MANAGER, OrgRole.FINANCE_SPECIALIST}
    assert member_roles(pair).allowed
    manager = Actor.partner_user(ActorId("m"), PartnerId("p"), pair)
    assert manager.sees_all_customers
    alone = Actor.partner_user(ActorId("m"), PartnerId("p"), {OrgRole.ACCOUNT_MANAGER})
    assert not alone.sees_all_customers
    with pytest.raises(InvalidArgumentError):
        member_roles({OrgRole.CUSTOM})
    with pytest.raises(InvalidArgumentError):
        member_roles({OrgRole.ADMIN}, custom_roles=("x", "x"))


def test_director_removal_orphans_its_managers() -> None:
    """R-ELIG-060: removing a director leaves its account managers to be reassigned."""
    assert orphaned_managers("dana", {"am1": "dana", "am2": "eve", "am3": "dana"}) == ("am1", "am3")


def test_ex25_custom_role_and_contact_limits() -> None:
    """EX-25 / R-ELIG-061, R-ELIG-062: an 11th custom role, a role in use, a 6th contact."""
    assert may_create_custom_role(9).allowed
    assert may_create_custom_role(10).codes == ("ROLE_LIMIT",)
    assert may_delete_custom_role(1).codes == ("ROLE_IN_USE",)
    assert may_delete_custom_role(0).allowed
    with pytest.raises(InvalidArgumentError):
        Partner(PartnerId("p"), PartnerRole.CSP, "HK", contact_email="a@x.com",
                customer_contacts=tuple(f"c{n}" for n in range(6)))  # fmt: skip


def test_who_may_invite_persons() -> None:
    """R-ELIG-064: a network member on the Service, SI or Learning path, or in DPP or CSP."""
    assert may_invite_persons(network_member=True, paths=["SERVICE_PARTNER"], programs=[]).allowed
    assert may_invite_persons(network_member=True, paths=[], programs=["CSP"]).allowed
    assert may_invite_persons(
        network_member=True, paths=["SOFTWARE_PARTNER"], programs=[]
    ).codes == ("INVITER_NOT_ELIGIBLE",)
    assert not may_invite_persons(
        network_member=False, paths=["SERVICE_PARTNER"], programs=[]
    ).allowed


def test_ex26_invitation_batch_and_daily_limits() -> None:
    """EX-26 / R-ELIG-066: 6 in a batch; 98 sent plus 3; 98 plus 2 reaches 100."""
    assert may_send_invitations(6, sent_today=0).codes == ("BATCH_LIMIT",)
    assert may_send_invitations(3, sent_today=98).codes == ("DAILY_LIMIT",)
    assert may_send_invitations(2, sent_today=98).allowed


def test_ex27_invitation_expiry() -> None:
    """EX-27 / R-ELIG-066, R-ELIG-067: sent 03-01 10:00, expires 03-08 10:00."""
    expires = invitation_expires_at(on("2024-03-01 10:00:00"))
    assert expires == on("2024-03-08 10:00:00")
    assert on("2024-03-08 09:59:59") <= expires < on("2024-03-08 10:00:01")


def test_ex28_three_partners_per_year() -> None:
    """EX-28 / R-ELIG-065: three associations started within (as_of - 1 year, as_of] refuse."""
    starts = [on("2023-08-01"), on("2024-01-05"), on("2024-02-10")]
    clean = {"enterprise_authenticated": False, "associated_elsewhere": False, "real_name": True,
             "partner_account": False}  # fmt: skip
    assert may_invite_person(**clean, associations_started=starts, as_of=on("2024-06-01")).codes == (
        "THREE_PARTNERS_IN_YEAR",
    )  # fmt: skip
    assert may_invite_person(**clean, associations_started=starts, as_of=on("2024-08-02")).allowed
    every = may_invite_person(enterprise_authenticated=True, associated_elsewhere=True,
                              real_name=False, partner_account=True, associations_started=[],
                              as_of=on("2024-08-02"), mainland_site=True)  # fmt: skip
    assert every.codes == (
        "ENTERPRISE_AUTHENTICATED", "ASSOCIATED_ELSEWHERE", "REAL_NAME_REQUIRED", "PARTNER_ACCOUNT",
    )  # fmt: skip


def test_association_is_a_benefit_prerequisite() -> None:
    """R-ELIG-068: vouchers and FH only for associated persons."""
    assert may_request_for_person(PersonState.INVITED).codes == ("PERSON_NOT_ASSOCIATED",)
    assert may_request_for_person(PersonState.NORMAL).allowed


def test_ex30_dedicated_personnel_application() -> None:
    """EX-30 / R-ELIG-069: a CSP-only partner; a missing base location; then allowed."""
    assert may_apply_dedicated(
        paths=[], state=PersonState.ASSOCIATED, base_location="HK"
    ).codes == ("PATH_REQUIRED",)
    assert may_apply_dedicated(paths=["SYSTEM_INTEGRATOR"], state=PersonState.ASSOCIATED,
                               base_location=None).codes == ("BASE_LOCATION_MISSING",)  # fmt: skip
    assert may_apply_dedicated(paths=["SYSTEM_INTEGRATOR"], state=PersonState.ASSOCIATED,
                               base_location="Shenzhen").allowed  # fmt: skip
    assert may_apply_dedicated(paths=["SYSTEM_INTEGRATOR"], state=PersonState.DP_UNDER_REVIEW,
                               base_location="Shenzhen").codes == ("DP_NOT_ALLOWED",)  # fmt: skip


def test_ex31_disqualify_before_disassociating() -> None:
    """EX-31 / R-ELIG-070, R-ELIG-071: normal personnel are disqualified first; 10 files at most."""
    assert may_disassociate_person(PersonState.NORMAL).codes == ("DISQUALIFY_FIRST",)
    assert may_disqualify(PersonState.NORMAL, reason="left company", files=11).codes == (
        "TOO_MANY_FILES",
    )
    assert may_disqualify(PersonState.NORMAL, reason="left company", files=1).allowed
    assert may_disqualify(PersonState.DISQUALIFICATION_UNDER_REVIEW, reason="again",
                          files=1).codes == ("INVALID_DP_STATE",)  # fmt: skip
    assert may_disqualify(PersonState.NORMAL, reason=" ", files=0).codes == ("REASON_REQUIRED",)
    assert may_disassociate_person(PersonState.DISQUALIFICATION_APPROVED).allowed
    assert may_disassociate_person(PersonState.INVITED).codes == ("INVALID_PERSON_STATE",)


def test_ex32_certificate_renewal() -> None:
    """EX-32 / R-ELIG-073, R-ELIG-074, R-ELIG-075: 3 years; a higher exam before expiry renews; 80 passes."""
    issued = on("2021-05-10")
    valid_to = certificate_valid_to(issued)
    assert valid_to == on("2024-05-10")
    renewed = renewed_valid_to(valid_to, "PROFESSIONAL", passed_at=on("2024-04-01"),
                               passed_level="EXPERT")  # fmt: skip
    assert renewed == on("2027-04-01")
    assert renewed_valid_to(valid_to, "PROFESSIONAL", passed_at=on("2024-04-01"),
                            passed_level="ASSOCIATE") == valid_to  # fmt: skip
    assert renewed_valid_to(valid_to, "PROFESSIONAL", passed_at=on("2024-05-11"),
                            passed_level="EXPERT") == valid_to  # fmt: skip
    assert (passes_accreditation(80), passes_accreditation(79)) == (True, False)
    assert certificate_notice_on(date(2024, 2, 29)) == date(2024, 3, 1)
    with pytest.raises(InvalidArgumentError):
        passes_accreditation(101)
    with pytest.raises(InvalidArgumentError):
        renewed_valid_to(valid_to, "MASTER", passed_at=on("2024-04-01"), passed_level="EXPERT")


def test_ex33_ex34_solutions() -> None:
    """EX-33, EX-34 / R-ELIG-082, R-ELIG-085: 12 months from approval; Software path only."""
    assert solution_valid_to(on("2024-08-23")) == on("2025-08-23")
    assert may_create_solution(on_software_path=False).codes == ("SOFTWARE_PATH_REQUIRED",)
    assert may_create_solution(on_software_path=True).allowed


def test_ex35_ex36_competency_rework_and_freeze() -> None:
    """EX-35, EX-36 / R-ELIG-078, R-ELIG-079: 30 days to rework; 6-month freeze per competency."""
    assert rework_deadline(date(2024, 6, 26)) == date(2024, 7, 26)
    frozen_until = competency_frozen_until(date(2024, 7, 26))
    assert frozen_until == date(2025, 1, 26)
    frozen = [("cloud_migration", frozen_until)]
    assert may_apply_competency(
        "cloud_migration", frozen=frozen, today=date(2025, 1, 25)
    ).codes == ("COMPETENCY_FROZEN",)
    assert may_apply_competency("cloud_migration", frozen=frozen, today=date(2025, 1, 26)).allowed
    assert competency_frozen_until(date(2024, 3, 5)) == date(2024, 9, 5)
    assert may_apply_competency("devops_support", frozen=frozen, today=date(2025, 1, 1)).allowed


def test_ex29_accepting_one_invitation_voids_the_others() -> None:
    """EX-29 / R-ELIG-067: accepting P2's invitation invalidates P1's."""
    from partnerkit.eligibility.organisation import accept_invitation

    assert accept_invitation(["P1", "P2"], "P2") == {"P1": "invalidated", "P2": "associated"}
    with pytest.raises(InvalidArgumentError):
        accept_invitation(["P1"], "P3")
