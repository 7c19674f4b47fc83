"""Customers: development, association, disassociation, authorization and care.

This is a kernel package (the architecture card's ``customers`` module, grown
into modules of its own):

* :mod:`~partnerkit.customers.facts`: the customer facts the rules read;
* :mod:`~partnerkit.customers.policy`: :class:`CustomerPolicy` and the vendor presets;
* :mod:`~partnerkit.customers.development`: pre-registration (SM-1) and invitations (SM-2);
* :mod:`~partnerkit.customers.association`: association (SM-3) and disassociation (SM-4);
* :mod:`~partnerkit.customers.authorization`: on-behalf authorization (SM-7);
* :mod:`~partnerkit.customers.account_managers`: account managers (SM-9) and alerts (SM-10);
* :mod:`~partnerkit.customers.leads`: Alibaba's lead flow (SM-12).

Every function is pure: it takes the current values and ``as_of`` and returns
new values and events.
"""

from partnerkit.customers.account_managers import (
    AccountManagerAssignment,
    AccountManagerChanged,
    AlertChanged,
    AlertStatus,
    CustomerAlert,
    LossReason,
    NotLostFeedback,
    assign_account_manager,
    attributed_manager,
    end_assignment,
    handle_alert,
    unassign_account_manager,
)
from partnerkit.customers.association import (
    FAILURE_MESSAGES,
    AcceptanceResult,
    Association,
    AssociationRequest,
    AssociationRequestChanged,
    AssociationStatus,
    CustomerAssociated,
    CustomerDisassociated,
    Initiator,
    RequestStatus,
    accept_invitation,
    evaluate_association,
    evaluate_disassociation,
    request_disassociation,
    respond_to_disassociation,
)
from partnerkit.customers.authorization import (
    AuthorizationChanged,
    AuthorizationStatus,
    CustomerAuthorization,
    evaluate_authorization_request,
    evaluate_on_behalf,
    request_authorization,
    respond_to_authorization,
    revoke_authorization,
)
from partnerkit.customers.development import (
    Invitation,
    InvitationChanged,
    InvitationIssued,
    InvitationMethod,
    InvitationStatus,
    PreRegistration,
    PreRegistrationChanged,
    PreRegistrationDecision,
    PreRegistrationRequest,
    PreRegistrationStatus,
    approve_review,
    count_toward_capacity,
    delete_preregistration,
    evaluate_preregistration,
    expire_invitation,
    expire_preregistration,
    generate_link,
    holds_exclusivity,
    preregister,
    reject_review,
    send_email_invitation,
)
from partnerkit.customers.facts import CustomerFacts, EnterpriseRole, Site, normalize_email
from partnerkit.customers.leads import (
    Lead,
    LeadChannel,
    LeadRouted,
    flow_back_lead,
    route_lead,
    transfer_leads,
)
from partnerkit.customers.policy import ALIBABA, HUAWEI, AttributionStart, CustomerPolicy

__all__ = [
    "ALIBABA",
    "FAILURE_MESSAGES",
    "HUAWEI",
    "AcceptanceResult",
    "AccountManagerAssignment",
    "AccountManagerChanged",
    "AlertChanged",
    "AlertStatus",
    "Association",
    "AssociationRequest",
    "AssociationRequestChanged",
    "AssociationStatus",
    "AttributionStart",
    "AuthorizationChanged",
    "AuthorizationStatus",
    "CustomerAlert",
    "CustomerAssociated",
    "CustomerAuthorization",
    "CustomerDisassociated",
    "CustomerFacts",
    "CustomerPolicy",
    "EnterpriseRole",
    "Initiator",
    "Invitation",
    "InvitationChanged",
    "InvitationIssued",
    "InvitationMethod",
    "InvitationStatus",
    "Lead",
    "LeadChannel",
    "LeadRouted",
    "LossReason",
    "NotLostFeedback",
    "PreRegistration",
    "PreRegistrationChanged",
    "PreRegistrationDecision",
    "PreRegistrationRequest",
    "PreRegistrationStatus",
    "RequestStatus",
    "Site",
    "accept_invitation",
    "approve_review",
    "assign_account_manager",
    "attributed_manager",
    "count_toward_capacity",
    "delete_preregistration",
    "end_assignment",
    "evaluate_association",
    "evaluate_authorization_request",
    "evaluate_disassociation",
    "evaluate_on_behalf",
    "evaluate_preregistration",
    "expire_invitation",
    "expire_preregistration",
    "flow_back_lead",
    "generate_link",
    "handle_alert",
    "holds_exclusivity",
    "normalize_email",
    "preregister",
    "reject_review",
    "request_authorization",
    "request_disassociation",
    "respond_to_authorization",
    "respond_to_disassociation",
    "revoke_authorization",
    "route_lead",
    "send_email_invitation",
    "transfer_leads",
    "unassign_account_manager",
]
