"""Paying experts, behind one small adapter.

There is no payment processor yet: the default adapter records an invoice/payout row for
each settled booking, to be paid by hand (the admin lists them). A real processor is a class
with the same ``send`` method, named in ``MENTORMESH_PAYOUT_ADAPTER``; nothing else changes.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from mentormesh.experts.models import Booking, Payout, PayoutStatus


class PayoutAdapter(Protocol):
    def send(self, payout: Payout) -> tuple[str, str]:
        """Start paying ``payout``; returns (status, reference)."""


class RecordOnly:
    """Keeps the record for someone to pay by hand."""

    def send(self, payout: Payout) -> tuple[str, str]:
        return PayoutStatus.RECORDED, f"MM-{payout.created_at:%Y%m}-{payout.pk:06d}"


def adapter() -> PayoutAdapter:
    return import_string(settings.MENTORMESH_PAYOUT_ADAPTER)()


def record(booking: Booking) -> Payout:
    """The payout for a charged booking (once): paid by the budget's organization, or by
    the member when nobody sponsors it."""
    payout, created = Payout.objects.get_or_create(
        booking=booking,
        defaults={
            "expert_id": booking.expert_id,
            "amount_minor": booking.price_minor,
            "currency": booking.currency,
            "payer_organization_id": booking.budget.organization_id if booking.budget_id else None,
            "payer_member_id": None if booking.budget_id else booking.member_id,
        },
    )
    if created:
        payout.status, payout.reference = adapter().send(payout)
        payout.save(update_fields=["status", "reference"])
    return payout
