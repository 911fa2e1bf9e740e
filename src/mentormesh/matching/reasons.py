"""Plain reasons for a suggestion, each one a fact the index can count.

Reasons are built only for the people shown (the top K), from the same evidence the
signals used: items known at the request time, counted exactly. Work is done on the
postings of the request's own tags and terms, grouped by person, so explaining 50
people costs about as much as scoring everyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mentormesh.matching import signals
from mentormesh.matching.text import column_postings_by_column

if TYPE_CHECKING:
    from mentormesh.matching.index import Index
    from mentormesh.matching.signals import Query

MAX_REASONS = 4
MAX_TERMS_NAMED = 2
RECENT_DAYS = 365
ACTIVE_DAYS = 30
# BM25's IDF of a word found in half of all items; commoner words are not worth naming.
COMMON_WORD_IDF = float(np.log1p(1.0))

# How each kind of evidence reads: verb, what it acted on, and the item's own name.
_KIND_PHRASES = {
    "answer": ("answered", ("question", "questions"), ("answer", "answers")),
    "post": ("wrote", ("post", "posts"), ("post", "posts")),
    "session": ("ran", ("session", "sessions"), ("session", "sessions")),
    "talk": ("gave", ("talk", "talks"), ("talk", "talks")),
}
_MIXED = ("", ("contribution", "contributions"), ("contribution", "contributions"))


def _phrases(kind: str | None) -> tuple[str, tuple[str, str], tuple[str, str]]:
    if kind is None:
        return _MIXED
    generic = (f"{kind} item", f"{kind} items")
    return _KIND_PHRASES.get(kind, ("", generic, generic))


def plural(count: int, singular: str, plural_form: str) -> str:
    return f"{count} {singular if count == 1 else plural_form}"


def count_phrase(kind: str | None, count: int) -> str:
    """'answered 1 question', 'wrote 3 posts', '2 review items', or '5 contributions'."""
    verb, objects, _ = _phrases(kind)
    return f"{verb} {plural(count, *objects)}".strip()


def join_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


class _Collector:
    """Reasons per shown row, each with a weight so the most telling come first."""

    def __init__(self, index: Index, rows: np.ndarray) -> None:
        self.rows = rows
        self.slot = np.full(len(index), -1, dtype=np.int64)
        self.slot[rows] = np.arange(len(rows))
        self.found: list[list[tuple[float, str]]] = [[] for _ in rows]

    def add(self, slot: int, weight: float, text: str) -> None:
        self.found[slot].append((weight, text))

    def result(self) -> dict[int, list[str]]:
        return {
            int(row): [text for _, text in sorted(found, key=lambda item: -item[0])][:MAX_REASONS]
            for row, found in zip(self.rows, self.found, strict=True)
        }


def for_request(index: Index, query: Query, rows: np.ndarray) -> dict[int, list[str]]:
    """Reasons for each of ``rows`` (the people shown), most telling first."""
    collector = _Collector(index, rows)
    if len(rows):
        _tag_reasons(index, query, collector)
        _offer_reasons(index, query, collector)
        _term_reasons(index, query, collector)
        _activity_reasons(index, query, collector)
    return collector.result()


def _shown_postings(index: Index, query: Query, collector: _Collector, matrix, columns):
    """Known evidence postings of ``columns`` owned by shown rows: (position, column slot, owner slot)."""
    positions, _, slots = column_postings_by_column(
        matrix, columns, np.ones(len(columns), dtype=np.float32)
    )
    known = positions < query.cut
    positions, slots = positions[known], slots[known]
    owners = collector.slot[index.timeline.person_row[positions]]
    shown = owners >= 0
    return positions[shown], slots[shown], owners[shown]


def _tag_reasons(index: Index, query: Query, collector: _Collector) -> None:
    """'answered 12 questions tagged espresso (3 in the last year)'."""
    columns = query.tag_columns
    positions, slots, owners = _shown_postings(
        index, query, collector, index.evidence_tags, columns
    )
    if len(positions) == 0:
        return
    keys = owners * len(columns) + slots
    size = len(collector.rows) * len(columns)
    counts = np.bincount(keys, minlength=size)
    is_recent = index.timeline.days_before(positions, query.at) <= RECENT_DAYS
    recent = np.bincount(keys[is_recent], minlength=size)
    kinds = index.evidence_kinds[positions].astype(np.int64)
    lowest_kind = np.full(size, np.iinfo(np.int64).max)
    highest_kind = np.full(size, -1)
    np.minimum.at(lowest_kind, keys, kinds)
    np.maximum.at(highest_kind, keys, kinds)
    for key in np.flatnonzero(counts).tolist():
        owner, slot = divmod(key, len(columns))
        tag = index.tags.names[int(columns[slot])]
        single_kind = lowest_kind[key] == highest_kind[key]
        kind = index.kind_names[int(lowest_kind[key])] if single_kind else None
        text = f"{count_phrase(kind, int(counts[key]))} tagged {tag}"
        if 0 < recent[key] < counts[key]:
            text += f" ({recent[key]} in the last year)"
        if slot >= query.direct_tag_count:
            text += f", related to {_related_direct_tag(index, query, tag)}"
        collector.add(owner, 3.0 + counts[key], text)


def _related_direct_tag(index: Index, query: Query, tag: str) -> str:
    direct = [index.tags.names[c] for c in query.tag_columns[: query.direct_tag_count].tolist()]
    neighbours = index.vocabulary.related(tag)
    return next((name for name in direct if name in neighbours), direct[0])


def _offer_reasons(index: Index, query: Query, collector: _Collector) -> None:
    """'offers help with espresso' from the person's declared skills."""
    columns = query.tag_columns
    person_rows, _, slots = column_postings_by_column(
        index.offers, columns, np.ones(len(columns), dtype=np.float32)
    )
    owners = collector.slot[person_rows]
    for owner, slot in zip(owners.tolist(), slots.tolist(), strict=True):
        if owner < 0:
            continue
        tag = index.tags.names[int(columns[slot])]
        text = f"offers help with {tag}"
        if slot >= query.direct_tag_count:
            text += f", related to {_related_direct_tag(index, query, tag)}"
        collector.add(owner, 2.5, text)


def _term_reasons(index: Index, query: Query, collector: _Collector) -> None:
    """'wrote about grinder and burr in 4 answers'.

    Words named are the ones that say most about this person: used in many of their
    items yet rare overall (skill names break ties); words in over half of all items
    ("beer" on a beer site) say nothing and are never named. The count is of items
    using any word named.
    """
    columns = query.term_columns
    positions, _, slots, rarity = signals.evidence_text_postings(index, query)
    owners = collector.slot[index.timeline.person_row[positions]]
    shown = owners >= 0
    positions, slots, owners = positions[shown], slots[shown], owners[shown]
    if len(positions) == 0:
        return
    words = [index.term_name(int(column)) for column in columns]
    is_skill = np.array([word in index.tags.column for word in words], dtype=bool)
    telling = rarity > COMMON_WORD_IDF
    by_owner = np.argsort(owners, kind="stable")
    bounds = np.searchsorted(owners[by_owner], np.arange(len(collector.rows) + 1))
    for owner in range(len(collector.rows)):
        mine = by_owner[bounds[owner] : bounds[owner + 1]]
        if len(mine) == 0:
            continue
        items_per_slot = np.bincount(slots[mine], minlength=len(columns))
        used = np.flatnonzero((items_per_slot > 0) & telling)
        if len(used) == 0:
            continue
        weight = items_per_slot[used] * rarity[used]
        best = used[np.lexsort((~is_skill[used], -weight))]
        named = best[:MAX_TERMS_NAMED]
        items = np.unique(positions[mine][np.isin(slots[mine], named)])
        item_kinds = np.unique(index.evidence_kinds[items])
        kind = index.kind_names[int(item_kinds[0])] if len(item_kinds) == 1 else None
        _, _, item_names = _phrases(kind)
        phrase = join_words([words[slot] for slot in named])
        collector.add(
            owner,
            1.0 + len(items) / 10,
            f"wrote about {phrase} in {plural(len(items), *item_names)}",
        )


def _activity_reasons(index: Index, query: Query, collector: _Collector) -> None:
    """'active lately: 7 contributions in the last 30 days', else when they last helped."""
    reference = "this request" if query.at is not None else "the newest activity on record"
    for owner, row in enumerate(collector.rows.tolist()):
        positions = index.timeline.positions_of(row, query.cut)
        if len(positions) == 0:
            continue
        days_old = index.timeline.days_before(positions, query.at)
        recent = int(np.count_nonzero(days_old <= ACTIVE_DAYS))
        if recent:
            text = f"active lately: {plural(recent, 'contribution', 'contributions')}"
            collector.add(owner, 2.0, f"{text} in the last {ACTIVE_DAYS} days")
            continue
        newest = float(days_old.min())
        if np.isfinite(newest):
            days = plural(round(newest), "day", "days")
            collector.add(owner, 0.5, f"last contributed {days} before {reference}")
