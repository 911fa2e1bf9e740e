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
OFFER_PHRASE = "offers help with {skill}"
# BM25's IDF of a word found in half of all items; commoner words are not worth naming.
COMMON_WORD_IDF = float(np.log1p(1.0))

# How each kind of evidence reads: verb, what it acted on, and the item's own name.
_KIND_PHRASES = {
    "answer": ("answered", ("question", "questions"), ("answer", "answers")),
    "help": ("helped with", ("request", "requests"), ("request", "requests")),
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


def for_request(
    index: Index, query: Query, rows: np.ndarray, offer_phrase: str = OFFER_PHRASE
) -> dict[int, list[str]]:
    """Reasons for each of ``rows`` (the people shown), most telling first.

    ``offer_phrase`` says a declared skill (``{skill}``); a board says it to the learner.
    """
    collector = _Collector(index, rows)
    if len(rows):
        items = _ShownItems(index, query, collector)
        _tag_reasons(index, query, collector, items)
        _offer_reasons(index, query, collector, offer_phrase)
        _term_reasons(index, query, collector, items)
        _activity_reasons(index, query, collector, items)
    return collector.result()


class _ShownItems:
    """The known evidence items of the people shown, and whose each one is."""

    def __init__(self, index: Index, query: Query, collector: _Collector) -> None:
        timeline = index.timeline
        per_person = [timeline.positions_of(int(row), query.cut) for row in collector.rows]
        self.positions = np.concatenate(per_person) if per_person else np.zeros(0, np.int64)
        self.owners = np.repeat(np.arange(len(per_person)), [len(p) for p in per_person])
        self.days_old = timeline.days_before(self.positions, query.at)

    def entries(self, by_item, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(item index, column slot) of every non-zero in ``columns`` of these items."""
        found = by_item[self.positions][:, columns].tocoo()
        return found.row, found.col


def _kind_ranges(index: Index, keys: np.ndarray, positions: np.ndarray, size: int):
    """Lowest and highest kind code per key: equal when all items share one kind."""
    kinds = index.evidence_kinds[positions].astype(np.int64)
    lowest = np.full(size, np.iinfo(np.int64).max)
    highest = np.full(size, -1)
    np.minimum.at(lowest, keys, kinds)
    np.maximum.at(highest, keys, kinds)
    return lowest, highest


def _tag_reasons(index: Index, query: Query, collector: _Collector, items: _ShownItems) -> None:
    """'answered 12 questions tagged espresso (3 in the last year)'."""
    columns = query.tag_columns
    item, slots = items.entries(index.evidence_tags_by_item, columns)
    if len(item) == 0:
        return
    keys = items.owners[item] * len(columns) + slots
    size = len(collector.rows) * len(columns)
    counts = np.bincount(keys, minlength=size)
    recent = np.bincount(keys[items.days_old[item] <= RECENT_DAYS], minlength=size)
    lowest_kind, highest_kind = _kind_ranges(index, keys, items.positions[item], size)
    for key in np.flatnonzero(counts).tolist():
        owner, slot = divmod(key, len(columns))
        column = int(columns[slot])
        tag = index.tags.label(column)
        single_kind = lowest_kind[key] == highest_kind[key]
        kind = index.kind_names[int(lowest_kind[key])] if single_kind else None
        text = f"{count_phrase(kind, int(counts[key]))} tagged {tag}"
        if 0 < recent[key] < counts[key]:
            text += f" ({recent[key]} in the last year)"
        if slot >= query.direct_tag_count:
            text += f", related to {_related_direct_tag(index, query, column)}"
        collector.add(owner, 3.0 + counts[key], text)


def _related_direct_tag(index: Index, query: Query, column: int) -> str:
    """The asked-for skill that ``column`` was found through, as people write it."""
    direct = query.tag_columns[: query.direct_tag_count].tolist()
    neighbours = index.vocabulary.related(index.tags.names[column])
    found = next((c for c in direct if index.tags.names[c] in neighbours), direct[0])
    return index.tags.label(found)


def _offer_reasons(index: Index, query: Query, collector: _Collector, phrase: str) -> None:
    """'offers help with espresso' from the person's declared skills."""
    columns = query.tag_columns
    person_rows, _, slots = column_postings_by_column(
        index.offers, columns, np.ones(len(columns), dtype=np.float32)
    )
    owners = collector.slot[person_rows]
    shown = owners >= 0
    for owner, slot in zip(owners[shown].tolist(), slots[shown].tolist(), strict=True):
        column = int(columns[slot])
        skill = index.tags.label(column)
        if slot >= query.direct_tag_count:
            # "helps with Storytelling, close to Public Speaking, which you want to learn":
            # the phrase's tail belongs to the skill asked for, not to the related one.
            skill += f", close to {_related_direct_tag(index, query, column)}"
        text = phrase.format(skill=skill)
        collector.add(owner, 2.5, text)


def _term_reasons(index: Index, query: Query, collector: _Collector, items: _ShownItems) -> None:
    """'wrote about grinder and burr in 4 answers'.

    Words named are the ones that say most about this person: skill names first, then
    words used in many of their items yet rare overall; words in over half of all items
    ("beer" on a beer site) say nothing and are never named. The count is of items
    using any word named.
    """
    columns = query.term_columns
    item, slots = items.entries(index.evidence_terms_by_item, columns)
    if len(item) == 0:
        return
    owners = items.owners[item]
    n_shown, n_words = len(collector.rows), len(columns)
    items_per_word = np.bincount(owners * n_words + slots, minlength=n_shown * n_words)
    items_per_word = items_per_word.reshape(n_shown, n_words)
    idf = signals.known_idf(index, query)
    words = [index.term_name(int(column)) for column in columns]
    is_skill = np.array([word in index.tags.column for word in words], dtype=bool)
    weight = items_per_word * np.where(idf > COMMON_WORD_IDF, idf, 0.0)
    # A skill name outranks any plain word: the bonus exceeds every possible weight.
    weight = np.where(weight > 0, weight + is_skill * (weight.max() + 1), 0.0)
    ranked_words = np.argsort(-weight, axis=1, kind="stable")[:, :MAX_TERMS_NAMED]
    named = np.zeros((n_shown, n_words), dtype=bool)
    np.put_along_axis(named, ranked_words, np.take_along_axis(weight, ranked_words, 1) > 0, 1)
    # Distinct items using a named word, per person (an item has one owner).
    naming_items = np.unique(item[named[owners, slots]])
    item_owner = items.owners[naming_items]
    items_per_owner = np.bincount(item_owner, minlength=n_shown)
    lowest_kind, highest_kind = _kind_ranges(
        index, item_owner, items.positions[naming_items], n_shown
    )
    for owner in np.flatnonzero(items_per_owner).tolist():
        single_kind = lowest_kind[owner] == highest_kind[owner]
        kind = index.kind_names[int(lowest_kind[owner])] if single_kind else None
        _, _, item_names = _phrases(kind)
        chosen = [words[slot] for slot in ranked_words[owner] if named[owner, slot]]
        count = int(items_per_owner[owner])
        phrase = f"wrote about {join_words(chosen)} in {plural(count, *item_names)}"
        collector.add(owner, 1.0 + count / 10, phrase)


def _activity_reasons(
    index: Index, query: Query, collector: _Collector, items: _ShownItems
) -> None:
    """'active lately: 7 contributions in the last 30 days', else when they last helped."""
    n_shown = len(collector.rows)
    recent = np.bincount(items.owners[items.days_old <= ACTIVE_DAYS], minlength=n_shown)
    newest = np.full(n_shown, np.inf)
    np.minimum.at(newest, items.owners, items.days_old)
    reference = "this request" if query.at is not None else "the newest activity on record"
    for owner in range(n_shown):
        if recent[owner]:
            text = f"active lately: {plural(int(recent[owner]), 'contribution', 'contributions')}"
            collector.add(owner, 2.0, f"{text} in the last {ACTIVE_DAYS} days")
        elif np.isfinite(newest[owner]):
            days = plural(round(newest[owner]), "day", "days")
            collector.add(owner, 0.5, f"last contributed {days} before {reference}")
