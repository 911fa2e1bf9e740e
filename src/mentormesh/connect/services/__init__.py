"""Writes for connect: asks, introductions, relationships, sessions and feedback.

Every function runs in one transaction and raises a DomainError naming the problem.
"""

from __future__ import annotations

from mentormesh.connect.services.asks import (
    ASKS_PER_WEEK,
    EXPIRE_AFTER,
    REMIND_AFTER,
    TIME_MINUTES,
    TOPIC_LENGTH,
    AskDraft,
    ask_accept,
    ask_create,
    ask_decline,
    ask_draft,
    ask_expire,
    ask_more,
    ask_remind,
    ask_reply,
    ask_report,
    ask_send,
    ask_withdraw,
    block_add,
    block_remove,
)
from mentormesh.connect.services.intros import (
    intro_decline,
    intro_forward,
    intro_request,
    intro_withdraw,
)
from mentormesh.connect.services.relationships import (
    relationship_check_later,
    relationship_live_for,
    relationship_nudge,
    relationship_start,
    relationship_touch,
    relationship_update,
)
from mentormesh.connect.services.sessions import (
    BOOK_AHEAD,
    feedback_give,
    followup_add,
    followup_done,
    session_after,
    session_cancel,
    session_confirm,
    session_propose,
    session_update,
)

__all__ = [
    "ASKS_PER_WEEK",
    "BOOK_AHEAD",
    "EXPIRE_AFTER",
    "REMIND_AFTER",
    "TIME_MINUTES",
    "TOPIC_LENGTH",
    "AskDraft",
    "ask_accept",
    "ask_create",
    "ask_decline",
    "ask_draft",
    "ask_expire",
    "ask_more",
    "ask_remind",
    "ask_reply",
    "ask_report",
    "ask_send",
    "ask_withdraw",
    "block_add",
    "block_remove",
    "feedback_give",
    "followup_add",
    "followup_done",
    "intro_decline",
    "intro_forward",
    "intro_request",
    "intro_withdraw",
    "relationship_check_later",
    "relationship_live_for",
    "relationship_nudge",
    "relationship_start",
    "relationship_touch",
    "relationship_update",
    "session_after",
    "session_cancel",
    "session_confirm",
    "session_propose",
    "session_update",
]
