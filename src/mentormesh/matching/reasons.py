"""Plain reasons for a suggestion, each one a fact the index can count.

Reasons are built only for the people actually shown (the top K), from the same
evidence the signals used: items known at the request time, counted exactly.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from mentormesh.matching.text import column_postings_by_column

if TYPE_CHECKING:
    from mentormesh.matching.index import Index
    from mentormesh.matching.signals import Query

MAX_REASONS = 4
MAX_TERMS_NAMED = 2
RECENT_DAYS = 365
ACTIVE_DAYS = 30

# How each kind of evidence reads: verb phrase with its object, and the item's own name.
_KIND_PHRASES = {
    "answer": ("answered", ("question", "questions"), ("answer", "answers")),
    "post": ("wrote", ("post", "posts"), ("post", "posts")),
    "session": ("ran", ("session", "sessions"), ("session", "sessions")),
    "talk": ("gave", ("talk", "talks"), ("talk", "talks")),
}


def _phrases(kind: str) -> tuple[str, tuple[str, str], tuple[str, str]]:
    generic = (f"{kind} item", f"{kind} items")
    return _KIND_PHRASES.get(kind, ("", generic, generic))


def count_phrase(kind: str, count: int) -> str:
    """'answered 1 question', 'wrote 3 posts', or '2 review items' for an unknown kind."""
    verb, objects, _ = _phrases(kind)
    return f"{verb} {_plural(count, *objects)}".strip()


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def for_request(index: Index, query: Query, rows: np.ndarray) -> dict[int, list[str]]:
    """Reasons per row for the rows shown, most telling first."""
    if len(rows) == 0:
        return {}
    term_hits = _term_hits(index, query, rows)
    explained: dict[int, list[str]] = {}
    for row in rows.tolist():
        positions = index.timeline.positions_of(row, query.cut)
        found = _tag_reasons(index, query, row, positions)
        found += _offer_reasons(index, query, row)
        if row in term_hits:
            found.append(term_hits[row])
        activity = _activity_reason(index, positions, query.at)
        if activity:
            found.append(activity)
        explained[row] = found[:MAX_REASONS]
    return explained


def _tag_reasons(index: Index, query: Query, row: int, positions: np.ndarray) -> list[str]:
    if len(positions) == 0 or len(query.tag_columns) == 0:
        return []
    tag_matrix = index.evidence_tags_by_row()[positions][:, query.tag_columns].tocsc()
    days_old = index.timeline.days_before(positions, query.at)
    kinds = index.evidence_kinds[positions]
    found: list[tuple[int, str]] = []
    for slot, column in enumerate(query.tag_columns.tolist()):
        hits = tag_matrix.indices[tag_matrix.indptr[slot] : tag_matrix.indptr[slot + 1]]
        if len(hits) == 0:
            continue
        tag = index.tags.names[column]
        kind = index.kind_names[int(np.bincount(kinds[hits]).argmax())]
        same_kind = hits[kinds[hits] == index.kind_names.index(kind)]
        recent = int(np.count_nonzero(days_old[same_kind] <= RECENT_DAYS))
        text = f"{count_phrase(kind, len(same_kind))} tagged {tag}"
        if recent and recent < len(same_kind):
            text += f" ({recent} in the last year)"
        if slot >= query.direct_tag_count:
            text += f", related to {_related_direct_tag(index, query, tag)}"
        found.append((len(same_kind), text))
    found.sort(key=lambda item: -item[0])
    return [text for _, text in found]


def _related_direct_tag(index: Index, query: Query, tag: str) -> str:
    direct = [index.tags.names[c] for c in query.tag_columns[: query.direct_tag_count].tolist()]
    neighbours = index.vocabulary.related(tag)
    return next((name for name in direct if name in neighbours), direct[0])


def _offer_reasons(index: Index, query: Query, row: int) -> list[str]:
    offered = index.offers[row].indices if len(query.tag_columns) else ()
    found = []
    for slot, column in enumerate(query.tag_columns.tolist()):
        if column in offered:
            tag = index.tags.names[column]
            if slot < query.direct_tag_count:
                found.append(f"offers help with {tag}")
            else:
                found.append(
                    f"offers help with {tag}, related to {_related_direct_tag(index, query, tag)}"
                )
    return found


def _term_hits(index: Index, query: Query, rows: np.ndarray) -> dict[int, str]:
    """'wrote about grinder and burr in 4 answers' for rows whose known evidence uses them.

    Words named are the ones that say most: skill names first, then words the person
    used in more items, then rarer words; the count is of items using any word named.
    """
    columns = query.term_columns
    positions, _, slots = column_postings_by_column(
        index.evidence_terms, columns, index.evidence_idf[columns]
    )
    known = positions < query.cut
    positions, slots = positions[known], slots[known]
    owners = index.timeline.person_row[positions]
    wanted = np.isin(owners, rows)
    positions, slots, owners = positions[wanted], slots[wanted], owners[wanted]
    words = [index.term_name(int(column)) for column in columns]
    is_skill = np.array([word in index.tags.column for word in words], dtype=bool)
    rarity = index.evidence_idf[columns]
    hits: dict[int, str] = {}
    for row in np.unique(owners).tolist():
        mine = owners == row
        items_per_slot = np.bincount(slots[mine], minlength=len(columns))
        used = np.flatnonzero(items_per_slot)
        best = used[np.lexsort((-rarity[used], -items_per_slot[used], ~is_skill[used]))]
        named = best[:MAX_TERMS_NAMED]
        items = np.unique(positions[mine][np.isin(slots[mine], named)])
        kind = index.kind_names[int(np.bincount(index.evidence_kinds[items]).argmax())]
        _, _, item_names = _phrases(kind)
        phrase = _join([words[slot] for slot in named])
        hits[row] = f"wrote about {phrase} in {_plural(len(items), *item_names)}"
    return hits


def _activity_reason(index: Index, positions: np.ndarray, at: datetime | None) -> str | None:
    if len(positions) == 0:
        return None
    days_old = index.timeline.days_before(positions, at)
    recent = int(np.count_nonzero(days_old <= ACTIVE_DAYS))
    if recent:
        return f"active lately: {_plural(recent, 'contribution', 'contributions')} in the last {ACTIVE_DAYS} days"
    newest = float(days_old.min())
    if not np.isfinite(newest):
        return None
    reference = "this request" if at is not None else "the newest activity on record"
    return f"last contributed {_plural(round(newest), 'day', 'days')} before {reference}"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
