"""Pages for connect: asks, introductions, relationships and sessions."""

from mentormesh.connect.views.asks import ask, ask_answer, ask_check, ask_new, asks, block
from mentormesh.connect.views.intros import intro, intro_answer, intro_new
from mentormesh.connect.views.sessions import (
    followup_done,
    relationship,
    relationships,
    session,
    session_act,
    session_ics,
    session_new,
)

__all__ = [
    "ask",
    "ask_answer",
    "ask_check",
    "ask_new",
    "asks",
    "block",
    "followup_done",
    "intro",
    "intro_answer",
    "intro_new",
    "relationship",
    "relationships",
    "session",
    "session_act",
    "session_ics",
    "session_new",
]
