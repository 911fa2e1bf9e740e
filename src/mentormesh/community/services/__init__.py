"""Writes for community: events, RSVPs and the question board; mixer rounds."""

from __future__ import annotations

from mentormesh.community.services.events import (
    MAX_LENGTH,
    QUESTION_LENGTH,
    attendance_mark,
    board_close,
    event_cancel,
    event_create,
    question_answer,
    question_ask,
    question_hide,
    question_merge,
    question_vote,
    rsvp_cancel,
    rsvp_join,
)
from mentormesh.community.services.mixers import (
    mixer_opt,
    mixer_run,
)

__all__ = [
    "MAX_LENGTH",
    "QUESTION_LENGTH",
    "attendance_mark",
    "board_close",
    "event_cancel",
    "event_create",
    "mixer_opt",
    "mixer_run",
    "question_answer",
    "question_ask",
    "question_hide",
    "question_merge",
    "question_vote",
    "rsvp_cancel",
    "rsvp_join",
]
