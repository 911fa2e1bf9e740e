"""Writes for paid help and help requests."""

from __future__ import annotations

from mentormesh.experts.services.bookings import (
    booking_cancel,
    booking_create,
    booking_decide,
    booking_reschedule,
    booking_review,
    booking_settle,
    expert_offer_pause,
    expert_offer_set,
)
from mentormesh.experts.services.help import (
    EXPERT_WAIT,
    MAX_EXPERTS,
    MAX_PEERS,
    MAX_SKILLS,
    MIN_TEXT,
    help_close,
    help_offer_create,
    help_offer_withdraw,
    help_pick,
    help_request_create,
    help_resolve,
    help_route_experts,
    help_route_seen,
)
from mentormesh.experts.services.ledger import (
    ledger_charge,
    ledger_hold,
    ledger_refund,
    ledger_release,
)
from mentormesh.experts.services.sponsorship import (
    CURRENCY_LETTERS,
    budget_create,
    sponsorship_policy_set,
)

__all__ = [
    "CURRENCY_LETTERS",
    "EXPERT_WAIT",
    "MAX_EXPERTS",
    "MAX_PEERS",
    "MAX_SKILLS",
    "MIN_TEXT",
    "booking_cancel",
    "booking_create",
    "booking_decide",
    "booking_reschedule",
    "booking_review",
    "booking_settle",
    "budget_create",
    "expert_offer_pause",
    "expert_offer_set",
    "help_close",
    "help_offer_create",
    "help_offer_withdraw",
    "help_pick",
    "help_request_create",
    "help_resolve",
    "help_route_experts",
    "help_route_seen",
    "ledger_charge",
    "ledger_hold",
    "ledger_refund",
    "ledger_release",
    "sponsorship_policy_set",
]
