"""Writes for community: events, RSVPs and the question board; mixer rounds; posts."""

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
from mentormesh.community.services.posts import (
    MAX_SKILLS,
    MENTION,
    draft_comment,
    post_create,
    post_publish,
    post_share,
    post_update,
    render_post,
)

__all__ = [
    "MAX_LENGTH",
    "MAX_SKILLS",
    "MENTION",
    "QUESTION_LENGTH",
    "attendance_mark",
    "board_close",
    "draft_comment",
    "event_cancel",
    "event_create",
    "mixer_opt",
    "mixer_run",
    "post_create",
    "post_publish",
    "post_share",
    "post_update",
    "question_answer",
    "question_ask",
    "question_hide",
    "question_merge",
    "question_vote",
    "render_post",
    "rsvp_cancel",
    "rsvp_join",
]
