"""Signals people sends for writes that model signals do not see (bulk creates)."""

from django.dispatch import Signal

# Sent after people, skills or memberships were written in bulk.
people_bulk_changed = Signal()
