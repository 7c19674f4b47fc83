"""The public surface is curated: every package's ``__all__`` is pinned here.

Changing a public name is a deliberate act: update this file and the changelog.
"""

from __future__ import annotations

import importlib

import pytest

PUBLIC_API: dict[str, set[str]] = {
    "partnerkit": {
        "ActorId", "BillId", "BudgetId", "ConcurrencyConflictError", "CouponId", "Currency",
        "CurrencyMismatchError", "CustomerId", "DayOfMonth", "EarningId", "Event",
        "GMT_PLUS_8", "IdempotencyConflictError", "IdempotencyKey", "InvalidArgumentError",
        "InvitationId", "Money", "MonthlySchedule", "NotFoundError", "NthWorkingDay",
        "PartnerId", "PartnerkitError", "Period", "PeriodKind", "PermissionDeniedError",
        "PrecisionError", "ProgrammeId", "Rate", "Roll", "Rounding", "RuleViolationError",
        "TierId", "UTC", "UnknownCurrencyError", "WEEKENDS", "WeekdayCalendar",
        "WorkingCalendar", "__version__", "add_months", "add_working_days", "allocate",
        "nth_working_day", "quantize", "require_aware", "roll_backward", "roll_forward",
        "total", "working_days_between",
    },
    "partnerkit.adapters": set(),
    "partnerkit.adapters.clock": {
        "FixedClock", "SystemClock",
    },
    "partnerkit.adapters.holiday_calendars": {
        "HolidaysCalendar", "country_calendar",
    },
    "partnerkit.adapters.memory": {
        "InMemoryIdempotencyStore", "InMemoryRepository", "InMemoryStore",
        "InMemoryUnitOfWork",
    },
    "partnerkit.adapters.sql": {
        "AUDIT", "ENTITIES", "EVENTS", "IDEMPOTENCY", "METADATA", "SqlIdempotencyStore",
        "SqlRepository", "SqlStore", "SqlUnitOfWork", "create_schema", "dumps", "loads",
        "register",
    },
    "partnerkit.adapters.sql.codec": {
        "dumps", "loads", "register",
    },
    "partnerkit.adapters.sql.store": {
        "AUDIT", "ENTITIES", "EVENTS", "IDEMPOTENCY", "METADATA", "SqlIdempotencyStore",
        "SqlRepository", "SqlStore", "SqlUnitOfWork", "create_schema",
    },
    "partnerkit.adapters.verification": {
        "StaticVerifier",
    },
    "partnerkit.billing": {
        "ALIBABA_WINDOWS", "AdjustedItem", "AdjustedOrder", "AlibabaBillItem",
        "AttributionStart", "BillIssued", "BillLine", "BillStatus", "BillType",
        "BillingMode", "Card", "CardStatus", "CardWallet", "Certification", "ChainPrice",
        "ChileanId", "ColumnRun", "CommercialDiscount", "CommercialDiscountLevel",
        "CommercialDiscountStatus", "CommissionCalendar", "ConsumptionQuota",
        "ConsumptionQuotaAlert", "ConversionRounding", "CostBearer", "Coupon", "CouponKind",
        "CouponOrderKey", "CouponPolicy", "CouponRun", "CouponStatus", "CouponTemplate",
        "CouponTier", "CouponUsageNotice", "CreditLimitExceeded", "CreditLimitRestored",
        "CustomerColumns", "CustomerPartial", "DISCOUNT_BANNED_COUNTRIES", "Deduction",
        "DiscountPolicy", "EntryType", "ExpenditureRecord", "ExportStatus", "ExportTask",
        "FeeRecord", "Forfeit", "FundsAccount", "HUAWEI_CSP_WINDOWS", "HUAWEI_DISCOUNTS",
        "HUAWEI_DIST_WINDOWS", "HUAWEI_INSTRUMENT_ORDER", "HUAWEI_LOCAL_DISPLAY",
        "HUAWEI_P95", "HUAWEI_PAYMENTS", "Instrument", "InstrumentOrder", "Invoice",
        "InvoiceContent", "InvoiceInfo", "InvoiceStatus", "Invoicer", "Issuance",
        "IssuanceLimit", "IssuanceStatus", "MICROSOFT_LICENSE", "MICROSOFT_USAGE",
        "MINIMUM_PAYOUT", "MonthlyBill", "ONLINE_TOP_UP_ENTITIES", "Order", "OrderItem",
        "OrderStatus", "Outstanding", "Override", "P95Policy", "P95Settlement",
        "PartnerBill", "PartnerDiscount", "PaymentPolicy", "PayoutMethod", "PrecisionEra",
        "QueryKind", "QueryWindows", "RebateFrequency", "RebillingBasis", "RecipientKind",
        "Reduction", "ReductionKind", "RefundCause", "Repayment", "RepricingConfig",
        "RoundingPolicy", "SAMPLES_PER_DAY", "SERVICE_CENTRE_COMMISSION",
        "ServiceCentreCommission", "Statement", "StatementEntry", "TaxPolicy", "Trace",
        "TraceKind", "TraceStep", "add_config", "adjust_order_price", "alibaba_bill_item",
        "anonymise", "apply_coupons", "apply_tax", "attribution_start",
        "billable_bandwidth", "billable_to_partner", "cancel_issuance", "check_export_size",
        "check_payout", "check_query", "check_transaction", "choose_reduction",
        "close_customer", "close_month", "closed_by_next_stage", "commercial_discounts_of",
        "commission_calendar", "config_in_effect", "convert_subtotal", "coupon_applies",
        "coupon_notice_days", "coupon_usage_notice", "coupons_deducted_figure",
        "decide_issuance", "deemed_accepted_on", "discounted_price", "earnings_frozen",
        "exam_voucher_valid_to", "exchange_valid_to", "fixed_price_settlement",
        "incentive_revenue", "invoice_date", "invoiced_by", "issue_bill", "issue_time",
        "may_activate_platform", "may_discount", "may_issue", "may_request_exam_voucher",
        "may_request_test_coupons", "may_top_up_online", "may_top_up_with_vendor",
        "may_view_end_user_bills", "merge_partials", "outstanding", "p95_settlement",
        "pay_bill", "payout_invoice_amount", "refund_to_coupon", "repay", "reprice",
        "reprice_chain", "request_issuance", "require_bill", "rounding_for_cycle",
        "run_customer", "set_partner_discount", "settle", "settle_column", "settle_fee",
        "summary_available_at", "transfer_credited_by", "usage_days_ratio",
        "usage_in_pricing_unit", "used_consumption_quota", "verify_card",
        "withholding_split",
    },
    "partnerkit.billing.bandwidth": {
        "HUAWEI_P95", "P95Policy", "P95Settlement", "SAMPLES_PER_DAY", "billable_bandwidth",
        "p95_settlement",
    },
    "partnerkit.billing.bill": {
        "BillLine", "BillType", "BillingMode", "CustomerPartial", "MonthlyBill",
        "PrecisionEra", "RoundingPolicy", "TaxPolicy", "apply_tax", "billable_to_partner",
        "close_customer", "close_month", "fixed_price_settlement", "merge_partials",
        "rounding_for_cycle", "settle", "usage_days_ratio", "usage_in_pricing_unit",
    },
    "partnerkit.billing.channel": {
        "CommissionCalendar", "Invoicer", "SERVICE_CENTRE_COMMISSION",
        "ServiceCentreCommission", "commission_calendar", "deemed_accepted_on",
        "invoiced_by", "may_activate_platform", "may_top_up_with_vendor",
        "may_view_end_user_bills",
    },
    "partnerkit.billing.columns": {
        "ColumnRun", "CustomerColumns", "run_customer", "settle_column",
    },
    "partnerkit.billing.coupons": {
        "Coupon", "CouponKind", "CouponOrderKey", "CouponPolicy", "CouponRun",
        "CouponStatus", "CouponTier", "Deduction", "Forfeit", "RefundCause",
        "apply_coupons", "coupon_applies", "refund_to_coupon",
    },
    "partnerkit.billing.identities": {
        "AlibabaBillItem", "ConversionRounding", "FeeRecord", "HUAWEI_INSTRUMENT_ORDER",
        "HUAWEI_LOCAL_DISPLAY", "Instrument", "InstrumentOrder", "MICROSOFT_LICENSE",
        "MICROSOFT_USAGE", "alibaba_bill_item", "convert_subtotal", "settle_fee",
        "used_consumption_quota",
    },
    "partnerkit.billing.issuance": {
        "Certification", "CostBearer", "CouponTemplate", "CouponUsageNotice", "Issuance",
        "IssuanceLimit", "IssuanceStatus", "MINIMUM_PAYOUT", "PayoutMethod",
        "RebateFrequency", "RecipientKind", "cancel_issuance", "check_payout",
        "closed_by_next_stage", "coupon_notice_days", "coupon_usage_notice",
        "decide_issuance", "exam_voucher_valid_to", "exchange_valid_to", "may_issue",
        "may_request_exam_voucher", "may_request_test_coupons", "payout_invoice_amount",
        "request_issuance",
    },
    "partnerkit.billing.payments": {
        "BillIssued", "BillStatus", "Card", "CardStatus", "CardWallet", "ChileanId",
        "ConsumptionQuota", "ConsumptionQuotaAlert", "CreditLimitExceeded",
        "CreditLimitRestored", "EntryType", "FundsAccount", "HUAWEI_PAYMENTS",
        "ONLINE_TOP_UP_ENTITIES", "Outstanding", "PartnerBill", "PaymentPolicy",
        "Repayment", "Statement", "StatementEntry", "check_transaction", "earnings_frozen",
        "issue_bill", "issue_time", "may_top_up_online", "outstanding", "pay_bill", "repay",
        "transfer_credited_by", "verify_card", "withholding_split",
    },
    "partnerkit.billing.pricing": {
        "AdjustedItem", "AdjustedOrder", "CommercialDiscount", "CommercialDiscountLevel",
        "CommercialDiscountStatus", "DISCOUNT_BANNED_COUNTRIES", "DiscountPolicy",
        "HUAWEI_DISCOUNTS", "Order", "OrderItem", "OrderStatus", "PartnerDiscount",
        "Reduction", "ReductionKind", "adjust_order_price", "choose_reduction",
        "commercial_discounts_of", "discounted_price", "may_discount",
        "set_partner_discount",
    },
    "partnerkit.billing.records": {
        "ALIBABA_WINDOWS", "AttributionStart", "ExpenditureRecord", "ExportStatus",
        "ExportTask", "HUAWEI_CSP_WINDOWS", "HUAWEI_DIST_WINDOWS", "Invoice",
        "InvoiceContent", "InvoiceInfo", "InvoiceStatus", "QueryKind", "QueryWindows",
        "anonymise", "attribution_start", "check_export_size", "check_query",
        "coupons_deducted_figure", "incentive_revenue", "invoice_date", "require_bill",
        "summary_available_at",
    },
    "partnerkit.billing.repricing": {
        "ChainPrice", "Override", "RebillingBasis", "RepricingConfig", "add_config",
        "config_in_effect", "reprice", "reprice_chain",
    },
    "partnerkit.billing.trace": {
        "Trace", "TraceKind", "TraceStep",
    },
    "partnerkit.budget": {
        "ALIBABA_BUDGETS", "Budget", "BudgetAccount", "BudgetAccountChanged",
        "BudgetPeriodReset", "BudgetPolicy", "BudgetRecipient", "BudgetRecipients",
        "BudgetSet", "BudgetThresholdReached", "BudgetType", "BudgetWithdrawn",
        "CustomerFrozen", "CustomerUnfrozen", "FreezeCause", "FreezeHold", "FreezeMode",
        "FreezeScope", "HUAWEI_BUDGETS", "Operation", "QuotaPool",
        "ResourceRetentionExpiring", "ResourcesReleased", "UsageRecorded", "as_of",
        "cascade_freeze", "close_account", "evaluate_operation", "evaluate_quota", "freeze",
        "ingest_usage", "open_account", "quota_pool", "recheck", "recipients",
        "record_usage", "set_budget", "unfreeze", "withdraw_budget",
    },
    "partnerkit.budget.ingest": {
        "ingest_usage",
    },
    "partnerkit.budget.model": {
        "ALIBABA_BUDGETS", "Budget", "BudgetAccount", "BudgetPolicy", "BudgetRecipient",
        "BudgetRecipients", "BudgetType", "FreezeCause", "FreezeHold", "FreezeMode",
        "FreezeScope", "HUAWEI_BUDGETS", "Operation",
    },
    "partnerkit.budget.operations": {
        "BudgetAccountChanged", "BudgetPeriodReset", "BudgetSet", "BudgetThresholdReached",
        "BudgetWithdrawn", "CustomerFrozen", "CustomerUnfrozen",
        "ResourceRetentionExpiring", "ResourcesReleased", "UsageRecorded", "as_of",
        "cascade_freeze", "close_account", "evaluate_operation", "freeze", "open_account",
        "recheck", "recipients", "record_usage", "set_budget", "unfreeze", "withdraw_budget",
    },
    "partnerkit.budget.quota": {
        "QuotaPool", "evaluate_quota", "quota_pool",
    },
    "partnerkit.calendars": {
        "DayOfMonth", "MonthlySchedule", "NthWorkingDay", "Roll", "ScheduleRule",
        "WEEKENDS", "WeekdayCalendar", "WorkingCalendar", "add_working_days",
        "nth_working_day", "roll_backward", "roll_forward", "working_days_between",
    },
    "partnerkit.cli": {
        "main",
    },
    "partnerkit.customers": {
        "ALIBABA", "AUTHORIZATION_SCOPE", "AcceptanceResult", "AccountManagerAssignment",
        "AccountManagerChanged", "AlertChanged", "AlertStatus", "Association",
        "AssociationRequest", "AssociationRequestChanged", "AssociationStatus",
        "AttributionStart", "AuthorizationChanged", "AuthorizationStatus", "CustomerAlert",
        "CustomerAssociated", "CustomerAuthorization", "CustomerDisassociated",
        "CustomerFacts", "CustomerPolicy", "EnterpriseRole", "FAILURE_MESSAGES", "HUAWEI",
        "Initiator", "Invitation", "InvitationChanged", "InvitationIssued",
        "InvitationMethod", "InvitationStatus", "Lead", "LeadChannel", "LeadRouted",
        "LossReason", "NotLostFeedback", "PreRegistration", "PreRegistrationChanged",
        "PreRegistrationDecision", "PreRegistrationRequest", "PreRegistrationStatus",
        "RequestStatus", "Site", "accept_invitation", "approve_review",
        "assign_account_manager", "associate_by_ticket", "attributed_manager",
        "count_toward_capacity", "delete_preregistration", "end_assignment",
        "evaluate_association", "evaluate_authorization_request", "evaluate_disassociation",
        "evaluate_on_behalf", "evaluate_preregistration", "expire_invitation",
        "expire_preregistration", "flow_back_lead", "generate_link", "handle_alert",
        "holds_exclusivity", "normalize_email", "preregister", "reject_review",
        "request_authorization", "request_disassociation", "respond_to_authorization",
        "respond_to_disassociation", "revoke_authorization", "route_lead",
        "send_email_invitation", "transfer_leads", "unassign_account_manager",
    },
    "partnerkit.customers.account_managers": {
        "AccountManagerAssignment", "AccountManagerChanged", "AlertChanged", "AlertStatus",
        "CustomerAlert", "LossReason", "NotLostFeedback", "assign_account_manager",
        "attributed_manager", "end_assignment", "handle_alert", "unassign_account_manager",
    },
    "partnerkit.customers.association": {
        "AcceptanceResult", "Association", "AssociationRequest",
        "AssociationRequestChanged", "AssociationStatus", "CustomerAssociated",
        "CustomerDisassociated", "FAILURE_MESSAGES", "Initiator", "RequestStatus",
        "accept_invitation", "associate_by_ticket", "evaluate_association",
        "evaluate_disassociation", "request_disassociation", "respond_to_disassociation",
    },
    "partnerkit.customers.authorization": {
        "AUTHORIZATION_SCOPE", "AuthorizationChanged", "AuthorizationStatus",
        "CustomerAuthorization", "evaluate_authorization_request", "evaluate_on_behalf",
        "request_authorization", "respond_to_authorization", "revoke_authorization",
    },
    "partnerkit.customers.development": {
        "Invitation", "InvitationChanged", "InvitationIssued", "InvitationMethod",
        "InvitationStatus", "PreRegistration", "PreRegistrationChanged",
        "PreRegistrationDecision", "PreRegistrationRequest", "PreRegistrationStatus",
        "approve_review", "count_toward_capacity", "delete_preregistration",
        "evaluate_preregistration", "expire_invitation", "expire_preregistration",
        "generate_link", "holds_exclusivity", "preregister", "reject_review",
        "send_email_invitation",
    },
    "partnerkit.customers.facts": {
        "CustomerFacts", "EnterpriseRole", "Site", "normalize_email",
    },
    "partnerkit.customers.leads": {
        "Lead", "LeadChannel", "LeadRouted", "flow_back_lead", "route_lead",
        "transfer_leads",
    },
    "partnerkit.customers.policy": {
        "ALIBABA", "AttributionStart", "CustomerPolicy", "HUAWEI",
    },
    "partnerkit.decisions": {
        "Decision", "Reason",
    },
    "partnerkit.eligibility": {
        "AllOf", "AnyOf", "AtLeast", "Count", "DaysBefore", "Distinct", "Elapsed",
        "Evaluation", "Evidence", "Facts", "Flag", "Level", "LineResult", "Not", "Op",
        "Programme", "Rank", "Requirement", "Severity", "Step", "Threshold", "Window",
        "WindowKind", "evaluate", "evaluate_entry", "from_data", "from_json", "next_step",
        "programme_from_json", "programme_to_json", "to_data", "to_json", "walk",
    },
    "partnerkit.eligibility.benefits": {
        "HUAWEI_STAGE_BENEFITS", "QUALIFYING_MONTHLY_SPEND", "StageBenefit",
        "fh_reconcile_by", "may_add_spif_recipient", "may_apply_mdf", "may_confirm_si_fh",
        "may_reimburse_mdf", "may_request_benefit", "may_request_fh",
        "may_request_fh_payment", "may_request_si_fh", "may_request_software_coupons",
        "may_select_fh_recipients", "mdf_application_late", "qualified_new_customer",
        "si_fh_engineer_eligible", "software_coupon_quota",
    },
    "partnerkit.eligibility.catalogs": {
        "alibaba", "huawei",
    },
    "partnerkit.eligibility.catalogs.alibaba": {
        "AGENCY", "Assessment", "BID_WEIGHTS", "DIRECT_RESELLER", "DISTRIBUTOR",
        "SERVICE_CENTRE", "assessments", "bid_score", "may_open_biz_division",
        "transfer_customers", "trial_ends",
    },
    "partnerkit.eligibility.catalogs.huawei": {
        "CARRIER", "CSP", "CSP_TIERS", "DISTRIBUTION_DISTRIBUTOR", "DISTRIBUTION_RESELLER",
        "DISTRIBUTOR_PATH", "HMS_ECOSYSTEM_SUPPORT", "KOOGALLERY_SALES",
        "KOOGALLERY_SELLER", "LEARNING_PARTNER", "PARTNER_COMPETENCY", "PATHS", "PCE",
        "ROLE_VALIDATION_SOMEWHERE", "SERVICE_PARTNER", "SHARED_OPPORTUNITIES",
        "SOFTWARE_PARTNER", "STAGES", "SYSTEM_INTEGRATOR", "VERSION",
    },
    "partnerkit.eligibility.decision": {
        "Evaluation", "LineResult", "evaluate",
    },
    "partnerkit.eligibility.facts": {
        "Evidence", "Facts",
    },
    "partnerkit.eligibility.network": {
        "CERTIFICATE_PROGRAMS", "ExitBlocker", "GOAL_REVIEW_THRESHOLD", "GoalStatus",
        "bank_letter_required", "check_password", "goal_completion_percent", "goal_status",
        "is_purchase_blocked", "may_apply_to_network", "may_change_country",
        "may_change_registered_country", "may_download_certificate", "may_exit_path",
        "may_leave_network", "may_modify_goal", "may_register_reseller_account",
        "may_use_csp_setting", "review_due",
    },
    "partnerkit.eligibility.operations": {
        "Grant", "HUAWEI_MATRIX", "Operation", "Role", "Scope", "Verdict", "may_perform",
    },
    "partnerkit.eligibility.opportunities": {
        "CallOutcome", "Interest", "Opportunity", "OpportunityType",
        "PREREGISTRATION_VALIDITY", "ProgressEntry", "ho_accept_deadline",
        "ho_auto_rejected", "may_complete_task", "may_create_opportunity", "may_create_po",
        "may_reject_ho", "may_view_tasks", "preregistration_valid", "shared_overview",
        "visible_opportunities",
    },
    "partnerkit.eligibility.organisation": {
        "CUSTOM_ROLE_LIMIT", "INVITATION_BATCH_LIMIT", "INVITATION_DAILY_LIMIT",
        "INVITATION_VALIDITY", "PersonState", "accept_invitation", "invitation_expires_at",
        "may_apply_dedicated", "may_create_custom_role", "may_delete_custom_role",
        "may_disassociate_person", "may_disqualify", "may_invite_person",
        "may_invite_persons", "may_request_for_person", "may_send_invitations",
        "member_roles", "orphaned_managers",
    },
    "partnerkit.eligibility.programmes": {
        "Level", "Programme", "Step", "evaluate_entry", "next_step", "programme_from_json",
        "programme_to_json",
    },
    "partnerkit.eligibility.requirements": {
        "AllOf", "AnyOf", "AtLeast", "Count", "DaysBefore", "Distinct", "Elapsed", "Flag",
        "Not", "Op", "Rank", "Requirement", "Severity", "Threshold", "Window", "WindowKind",
        "from_data", "from_json", "requirement_converter", "to_data", "to_json", "walk",
    },
    "partnerkit.eligibility.validity": {
        "ACCREDITATION_PASS_MARK", "CERTIFICATE_YEARS", "LEVELS", "certificate_notice_on",
        "certificate_valid_to", "competency_frozen_until", "may_apply_competency",
        "may_create_solution", "passes_accreditation", "renewed_valid_to",
        "rework_deadline", "solution_operations", "solution_valid_to",
    },
    "partnerkit.errors": {
        "ConcurrencyConflictError", "CurrencyMismatchError", "IdempotencyConflictError",
        "InvalidArgumentError", "NotFoundError", "PartnerkitError", "PermissionDeniedError",
        "PrecisionError", "RuleViolationError", "UnknownCurrencyError",
    },
    "partnerkit.events": {
        "ActorId", "Event",
    },
    "partnerkit.formatting": {
        "format_money", "format_rate",
    },
    "partnerkit.ids": {
        "ActorId", "BillId", "BudgetId", "CouponId", "CustomerId", "EarningId",
        "IdempotencyKey", "InvitationId", "PartnerId", "ProgrammeId", "SYSTEM_ACTOR",
        "TierId",
    },
    "partnerkit.incentives": {
        "Accelerator", "AnnualGoal", "AnnualGoalChanged", "AnnualGoalStatus", "Attachment",
        "Band", "BelowMinimumPayout", "BillingMode", "BillsPaid", "ByTier", "ClawbackMode",
        "ConfirmedBy", "Earning", "EarningChanged", "EarningExpired", "EarningLine",
        "EarningStatus", "EarningsFrozen", "Feedback", "FeedbackRules", "Flat",
        "GoalImmutableError", "GoalPolicy", "HUAWEI_GOALS", "HUAWEI_PAYOUT",
        "INCENTIVE_FEEDBACK", "INDICATOR_FEEDBACK", "IncentiveEarning", "IncentivePolicy",
        "Indicator", "Ladder", "LadderMode", "NothingToPay", "OrderType", "PartnerStanding",
        "PaymentRequest", "PaymentRequestChanged", "PaymentStatus", "PayoutOption",
        "PayoutOptionNotAllowed", "PayoutPolicy", "PerProduct", "PeriodRevenue",
        "ProductClass", "ProductClassification", "REVENUE_FEEDBACK", "RevenueLine",
        "Schedule", "StatisticalMethod", "WHT_COUNTRIES", "WHT_FROM", "WithholdingSplit",
        "adjustment", "approve_goal", "approve_invoice", "approve_payment", "auto_confirm",
        "auto_pay", "auto_pay_on", "availability", "bill_fully_paid", "calculate",
        "check_feedback", "classification_on", "complete_payment", "completion_rate",
        "confirm", "convert", "coupon_failed", "credited_partner", "current_indicators",
        "display_status", "eligible_amount", "estimate", "estimated_rebate",
        "feedback_allowed", "find_indicators", "frozen_reason", "growth_base",
        "growth_rebate_eligible", "invoice_amount", "issue", "manager_lines", "modify_goal",
        "page_count", "period_revenue", "policy_from_json", "policy_to_json", "publish",
        "reject_goal", "reject_invoice", "reject_payment", "request_payment",
        "revenue_date", "review_due", "send_requisition", "statement", "submit_goal",
        "submit_invoice", "valid_until", "withdraw_goal", "withholding_on",
    },
    "partnerkit.incentives.calculate": {
        "Earning", "EarningLine", "calculate", "estimated_rebate",
    },
    "partnerkit.incentives.earnings": {
        "BelowMinimumPayout", "BillsPaid", "ConfirmedBy", "EarningChanged",
        "EarningExpired", "EarningStatus", "EarningsFrozen", "HUAWEI_PAYOUT",
        "IncentiveEarning", "NothingToPay", "PartnerStanding", "PaymentRequest",
        "PaymentRequestChanged", "PaymentStatus", "PayoutOption", "PayoutOptionNotAllowed",
        "PayoutPolicy", "adjustment", "approve_invoice", "approve_payment", "auto_confirm",
        "auto_pay", "auto_pay_on", "availability", "complete_payment", "confirm", "convert",
        "coupon_failed", "display_status", "estimate", "frozen_reason", "invoice_amount",
        "issue", "publish", "reject_invoice", "reject_payment", "request_payment",
        "send_requisition", "statement", "submit_invoice", "valid_until",
    },
    "partnerkit.incentives.funds": {
        "BudgetItem", "FH_PROOF_FORMATS", "FH_PROOF_MAX_BYTES", "FH_PROOF_MAX_FILES",
        "FhIncentiveExpired", "FhIncentiveStatus", "FhMonthlyLimitReached", "FhPayment",
        "FhPaymentStatus", "FhProgramme", "FhProof", "FhProofKind", "FhQualification",
        "FhQuarterlyIncentive", "FhRecipient", "FhRequestLimitReached",
        "FundRequestRefused", "FundsError", "InvalidFundTransition", "MDF_PATH_QUOTAS",
        "MdfApplication", "MdfKpis", "MdfMaterial", "MdfQuotaAccount", "MdfQuotaExceeded",
        "MdfQuotaReference", "MdfReimbursement", "MdfStatus", "ProofFile",
        "ProofUploadRejected", "QncCustomer", "QualificationStatus", "SiEngineer",
        "SiFhLine", "SiFhRequest", "SiFhStatus", "SpifApplication", "SpifChange",
        "SpifQuarter", "SpifRecipient", "SpifStatus", "approve_fh_payment",
        "approve_fh_qualification", "approve_mdf", "approve_mdf_reimbursement",
        "approve_spif", "cancel_mdf", "check_proof_upload", "confirm_fh_qualification",
        "credited_qualified_customers", "exit_blockers", "expire_fh_incentive",
        "fail_si_fh", "fh_incentive_status", "fh_total", "finalise_fh",
        "generate_fh_incentive", "mail_fh_invoice", "mail_mdf_invoice",
        "mdf_duplicate_warnings", "mdf_invoice_overdue", "mdf_latest_submission",
        "mdf_quota_for", "pass_si_fh", "pay_fh", "pay_mdf", "personnel_info_current",
        "qualified_customer_counts", "reconcile_fh", "record_spif_quarter",
        "reject_fh_invoice", "reject_fh_payment", "reject_fh_qualification",
        "reject_fh_reconciliation", "reject_mdf", "reject_mdf_reimbursement", "reject_spif",
        "request_fh_payment", "request_mdf_reimbursement", "request_si_fh",
        "request_si_fh_payment", "resubmit_fh_payment", "resubmit_si_fh", "resubmit_spif",
        "save_spif_recipients", "si_fh_total", "si_funding_period", "submit_mdf",
        "submit_spif", "update_fh_personnel", "upload_fh_proofs",
    },
    "partnerkit.incentives.goals": {
        "AnnualGoal", "AnnualGoalChanged", "AnnualGoalStatus", "GoalImmutableError",
        "GoalPolicy", "HUAWEI_GOALS", "approve_goal", "completion_rate", "growth_base",
        "growth_rebate_eligible", "modify_goal", "reject_goal", "review_due", "submit_goal",
        "withdraw_goal",
    },
    "partnerkit.incentives.indicators": {
        "Attachment", "Feedback", "FeedbackRules", "INCENTIVE_FEEDBACK",
        "INDICATOR_FEEDBACK", "Indicator", "REVENUE_FEEDBACK", "StatisticalMethod",
        "check_feedback", "current_indicators", "feedback_allowed", "find_indicators",
        "page_count",
    },
    "partnerkit.incentives.policy": {
        "Accelerator", "Band", "ByTier", "ClawbackMode", "Flat", "IncentivePolicy",
        "Ladder", "LadderMode", "PerProduct", "Schedule", "policy_from_json",
        "policy_to_json",
    },
    "partnerkit.incentives.revenue": {
        "BillingMode", "OrderType", "PeriodRevenue", "ProductClass",
        "ProductClassification", "RevenueLine", "classification_on", "credited_partner",
        "eligible_amount", "manager_lines", "period_revenue", "revenue_date",
    },
    "partnerkit.incentives.settlement": {
        "ASC_BID_WEIGHTS", "ASC_INVOICE_TERMS", "ASC_LEAD_ROUTING",
        "ASC_STATEMENT_CALENDAR", "AcceptedBy", "AscAssessment", "AscTrial", "BidScores",
        "BidWeights", "CommissionInvoice", "CommissionStatement", "CustomerReassignment",
        "EARNINGS_DISPLAY_CUTOFF", "InvoiceTerms", "Lead", "LeadRoute", "LeadRouting",
        "LeadRoutingPolicy", "MY_COMMISSIONS_MONTHLY", "MY_COMMISSIONS_QUARTERLY",
        "MyCommissionsStage", "Notice", "PayoutTimeline", "RevenuePeriodStatus",
        "StatementCalendar", "StatementMilestones", "StatementStatus", "asc_assessments",
        "asc_bid_score", "asc_trial", "cancellation_possible", "confirm_statement",
        "customer_statement_months", "deem_accepted", "dispute_statement",
        "earning_displayed_from", "earning_visible", "issue_statement",
        "may_hand_over_to_asc", "may_view_customer_statement", "month_revenue_visible_from",
        "my_commissions_calendar", "my_commissions_stage", "pay_statement",
        "payout_timeline", "reassign_customers", "remind_statement", "restate_statement",
        "revenue_line_visible_on", "revenue_period_status", "route_lead",
        "submit_commission_invoice", "view_statement",
    },
    "partnerkit.incentives.statistics": {
        "BillingModeBreakdown", "BillingModeShare", "CustomerRevenue", "EarningLike",
        "EarningLineLike", "IncentiveStatistics", "IncentiveSummary", "MonthlyRevenue",
        "PeriodEarning", "ProgrammeEarning", "Ranked", "RevenueSummary", "StatisticsScope",
        "TOP_N", "by_billing_mode", "incentive_statistics", "monthly_revenue",
        "revenue_summary", "statistics_scope", "top_customers", "top_services",
    },
    "partnerkit.incentives.tax": {
        "WHT_COUNTRIES", "WHT_FROM", "WithholdingSplit", "bill_fully_paid", "withholding_on",
    },
    "partnerkit.money": {
        "AmountLike", "Currency", "Money", "Rate", "Rounding", "allocate", "divide",
        "quantize", "scale", "to_decimal", "total",
    },
    "partnerkit.partners": {
        "AssociationType", "DelegationChanged", "Partner", "PartnerRole",
        "ResellerCandidate", "ResellerDelegation", "ResellerInvitation",
        "ResellerInvitationStatus", "ResellerInvited", "ResellerLinkChanged", "RoleKind",
        "Tier", "accept_reseller_invitation", "change_delegation", "entrust_marketing",
        "evaluate_reseller_invitation", "invite_reseller",
    },
    "partnerkit.periods": {
        "GMT_PLUS_8", "Period", "PeriodKind", "UTC", "add_months", "require_aware",
    },
    "partnerkit.permissions": {
        "Action", "Actor", "ActorKind", "OrgRole", "Permission", "evaluate_permission",
        "require_permission", "validate_roles",
    },
    "partnerkit.ports": {
        "AuditEntry", "Change", "Clock", "Collection", "IdempotencyRecord",
        "IdempotencyStore", "Repository", "UnitOfWork", "Verifier", "Versioned",
    },
    "partnerkit.serialization": {
        "configure_converter", "make_converter",
    },
    "partnerkit.services": set(),
    "partnerkit.services.billing": {
        "BillPaid", "BillRepaid", "BillingService", "CONSUMPTION_QUOTAS", "COUPONS",
        "COUPON_TEMPLATES", "ConsumptionQuotaChanged", "CouponGranted",
        "CouponTemplateSaved", "FUNDS", "FundsToppedUp", "ISSUANCES", "IssuanceChanged",
        "MonthClosed", "PARTNER_BILLS", "PartnerBillIssued", "TransferCredited",
    },
    "partnerkit.services.budgets": {
        "BUDGET_ACCOUNTS", "BUDGET_RECIPIENTS", "BudgetRecipientsChanged", "BudgetService",
    },
    "partnerkit.services.customers": {
        "ALERTS", "ASSIGNMENTS", "ASSOCIATIONS", "ASSOCIATION_REQUESTS", "AUTHORIZATIONS",
        "AlertRaised", "COLLECTIONS", "CUSTOMERS", "CustomerFactsRecorded",
        "CustomerService", "DELEGATIONS", "EMAIL_INDEX", "EmailIndex", "INVITATIONS",
        "LEADS", "PARTNERS", "PREREGISTRATIONS", "PartnerRegistered",
        "RESELLER_INVITATIONS", "replay",
    },
    "partnerkit.services.eligibility": {
        "ApplicationStatus", "BENEFIT_REQUESTS", "BenefitRequest", "BenefitRequestChanged",
        "ENROLMENTS", "EligibilityService", "Enrolment", "EnrolmentChanged", "MEMBERS",
        "Member", "MemberSaved", "OPPORTUNITIES", "OpportunityChanged", "RequestStatus",
    },
    "partnerkit.services.incentives": {
        "EARNINGS", "FH_INCENTIVES", "FhRecord", "FundChanged", "GOALS", "IncentiveService",
        "MDF_APPLICATIONS", "MDF_QUOTAS", "MdfChanged", "MdfQuotaRecord", "MdfQuotaSet",
        "MdfRecord", "PAYMENT_REQUESTS", "SPIF_APPLICATIONS", "SpifRecord",
    },
    "partnerkit.services.pricing": {
        "CustomerDiscountChanged", "CustomerDiscountExpired", "DISCOUNTS",
        "DiscountSetting", "ORDERS", "OrderPlaced", "OrderPriceAdjusted", "PricedItem",
        "PricedOrder", "PricingService",
    },
    "partnerkit.services.retry": {
        "retry_on_conflict",
    },
    "partnerkit.testing": set(),
    "partnerkit.testing.contract": {
        "UnitOfWorkContract", "WIDGETS", "Widget", "WidgetRenamed",
    },
    "partnerkit.testing.strategies": {
        "CURRENCY_CODES", "amounts", "aware_datetimes", "currencies", "events", "money",
        "periods", "rates", "time_zones",
    },
}  # fmt: skip


@pytest.mark.parametrize("module_name", sorted(PUBLIC_API))
def test_all_is_pinned(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert set(module.__all__) == PUBLIC_API[module_name]
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name} is in __all__ but missing"


@pytest.mark.parametrize("module_name", sorted(PUBLIC_API))
def test_all_has_no_duplicates(module_name: str) -> None:
    names = list(importlib.import_module(module_name).__all__)
    assert len(names) == len(set(names))


def test_every_public_module_is_pinned() -> None:
    import pkgutil

    import partnerkit

    found = {
        info.name
        for info in pkgutil.walk_packages(partnerkit.__path__, "partnerkit.")
        if not info.name.rsplit(".", 1)[-1].startswith("_")
    }
    assert found | {"partnerkit"} == set(PUBLIC_API)


def test_py_typed_ships() -> None:
    from importlib.resources import files

    assert files("partnerkit").joinpath("py.typed").is_file()
