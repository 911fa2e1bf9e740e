"""The matching engine: pure Python, numpy, scipy and OR-Tools; no Django (import-linter).

Everything it needs is passed in as plain data:

    index = Index.build(people, vocabulary=None)      # once, over everyone
    index.rank(request, top_k=50) -> list[Match]      # one request, reasons for the top
    board(index, person, exclude=..., at=...) -> Board
    shortlist(seeker_ids, helper_ids, fit, size=3, capacity=3) -> Shortlists
    fit_from_index(index, seekers, helper_ids) -> sparse fit for shortlist

Interchange files: mentormesh.matching.interchange; the `mentormesh rank` command:
mentormesh.matching.cli.main(argv).
"""

from mentormesh.matching.board import Board, GoalBoard, Suggestion, board
from mentormesh.matching.index import Index
from mentormesh.matching.model import (
    AvailabilityWindow,
    Evidence,
    Goal,
    Match,
    Offer,
    Openness,
    Person,
    Request,
)
from mentormesh.matching.shortlist import ShortlistReport, Shortlists, fit_from_index, shortlist
from mentormesh.matching.vocabulary import SkillVocabulary, Vocabulary, normalize_tag

__all__ = [
    "AvailabilityWindow",
    "Board",
    "Evidence",
    "Goal",
    "GoalBoard",
    "Index",
    "Match",
    "Offer",
    "Openness",
    "Person",
    "Request",
    "ShortlistReport",
    "Shortlists",
    "SkillVocabulary",
    "Suggestion",
    "Vocabulary",
    "board",
    "fit_from_index",
    "normalize_tag",
    "shortlist",
]
