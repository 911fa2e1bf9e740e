"""Reading and writing the JSON Lines interchange files (see shared/data/matching/README.md).

Every problem with an input line is reported as ``InterchangeError`` naming the file, the
line number and the field, so a 100,000-line import fails with a message a person can act
on. Unknown keys are ignored, so newer files still load.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from mentormesh.matching.model import (
    LEVEL_RANK,
    AvailabilityWindow,
    Evidence,
    Goal,
    Match,
    Offer,
    Openness,
    Person,
    Request,
)

DEFAULT_TOP_K = 50


class InterchangeError(ValueError):
    def __init__(self, path: Path | str, line_number: int, problem: str) -> None:
        super().__init__(f"{path}, line {line_number}: {problem}")
        self.path = str(path)
        self.line_number = line_number
        self.problem = problem


class _Invalid(Exception):
    """A problem inside one record; the reader adds where it happened."""


@dataclass(frozen=True)
class Labels:
    relevant: tuple[str, ...]
    accepted: str | None


def _records(path: Path | str) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as lines:
        for line_number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InterchangeError(path, line_number, f"not valid JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise InterchangeError(path, line_number, "expected a JSON object")
            yield line_number, record


def _read(path: Path | str, parse) -> list:
    parsed = []
    for line_number, record in _records(path):
        try:
            parsed.append(parse(record))
        except (_Invalid, ValueError, TypeError) as error:
            raise InterchangeError(path, line_number, str(error)) from None
    return parsed


def _field(record: dict, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
    if name not in record or record[name] is None:
        if default is ...:
            raise _Invalid(f"missing required field {name!r}")
        return default
    value = record[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise _Invalid(f"field {name!r} must be {_describe(kind)}, got {type(value).__name__}")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _describe(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        list: "a list",
        dict: "an object",
        int: "an integer",
        float: "a number",
        bool: "true or false",
    }
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def _id(record: dict) -> str:
    value = _field(record, "id", str)
    if not value.strip():
        raise _Invalid("field 'id' must not be empty")
    return value


def _strings(record: dict, name: str) -> tuple[str, ...]:
    values = _field(record, name, list, [])
    if not all(isinstance(value, str) for value in values):
        raise _Invalid(f"field {name!r} must be a list of strings")
    return tuple(values)


def _moment(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"field {name!r} must be an ISO 8601 string")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"field {name!r} is not an ISO 8601 time: {value!r}") from None


def _offer(value: Any) -> Offer:
    if isinstance(value, str):
        return Offer(value)
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
        return Offer(value[0], value[1])
    if isinstance(value, dict):
        return Offer(_field(value, "skill", str), _field(value, "proficiency", int, None))
    raise _Invalid("each of 'offers' must be a skill name, [skill, proficiency] or an object")


def _goal(value: Any) -> Goal:
    if isinstance(value, str):
        return Goal(value)
    if isinstance(value, list) and 1 <= len(value) <= 3 and isinstance(value[0], str):
        return Goal(*value)
    if isinstance(value, dict):
        return Goal(
            _field(value, "skill", str),
            _field(value, "goal", str, ""),
            _field(value, "priority", int, 0),
        )
    raise _Invalid("each of 'seeks' must be a skill name, [skill, goal, priority] or an object")


def _window(value: Any) -> AvailabilityWindow:
    if isinstance(value, list) and len(value) == 3:
        return AvailabilityWindow(*value)
    if isinstance(value, dict):
        return AvailabilityWindow(
            _field(value, "weekday", int), _field(value, "start", int), _field(value, "end", int)
        )
    raise _Invalid("each of 'availability' must be [weekday, start, end] or an object")


def _evidence(value: Any) -> Evidence:
    if not isinstance(value, dict):
        raise _Invalid("each of 'evidence' must be an object")
    return Evidence(
        kind=_field(value, "kind", str, "contribution"),
        text=_field(value, "text", str, ""),
        tags=_strings(value, "tags"),
        at=_moment(value.get("at"), "evidence.at"),
        score=float(_field(value, "score", (int, float), 0)),
    )


def _openness(record: dict) -> Openness:
    flags = _field(record, "openness", dict, {})
    names = [field.name for field in fields(Openness)]
    return Openness(**{name: bool(flags[name]) for name in names if name in flags})


def person_from_record(record: dict) -> Person:
    level = _field(record, "level", str, None)
    if level is not None and level not in LEVEL_RANK:
        raise _Invalid(f"field 'level' must be one of {', '.join(LEVEL_RANK)}, got {level!r}")
    return Person(
        id=_id(record),
        name=_field(record, "name", str, ""),
        headline=_field(record, "headline", str, ""),
        bio=_field(record, "bio", str, ""),
        offers=[_offer(value) for value in _field(record, "offers", list, [])],
        seeks=[_goal(value) for value in _field(record, "seeks", list, [])],
        level=level,
        organizations=_strings(record, "organizations"),
        time_zone=_field(record, "time_zone", str, None),
        availability=tuple(_window(value) for value in _field(record, "availability", list, [])),
        capacity=_field(record, "capacity", int, None),
        openness=_openness(record),
        evidence=[_evidence(value) for value in _field(record, "evidence", list, [])],
    )


def request_from_record(record: dict) -> Request:
    candidates = record.get("candidates")
    return Request(
        id=_id(record),
        text=_field(record, "text", str, ""),
        asker_id=_field(record, "asker", str, None),
        tags=_strings(record, "tags"),
        at=_moment(record.get("at"), "at"),
        candidates=None if candidates is None else _strings(record, "candidates"),
    )


def labels_from_record(record: dict) -> tuple[str, Labels]:
    return _id(record), Labels(_strings(record, "relevant"), _field(record, "accepted", str, None))


def read_people(path: Path | str) -> list[Person]:
    """People from a people.jsonl file; a repeated id is an error at its second line."""
    people = []
    first_seen: dict[str, int] = {}
    for line_number, record in _records(path):
        try:
            person = person_from_record(record)
        except (_Invalid, ValueError, TypeError) as error:
            raise InterchangeError(path, line_number, str(error)) from None
        if person.id in first_seen:
            problem = f"person id {person.id!r} already given on line {first_seen[person.id]}"
            raise InterchangeError(path, line_number, problem)
        first_seen[person.id] = line_number
        people.append(person)
    return people


def read_requests(path: Path | str) -> list[Request]:
    return _read(path, request_from_record)


def read_labels(path: Path | str) -> dict[str, Labels]:
    return dict(_read(path, labels_from_record))


def ranking_record(request_id: str, matches: list[Match], top_k: int = DEFAULT_TOP_K) -> dict:
    """One output line: the ranked ids and, for the first ``top_k``, their reasons."""
    return {
        "id": request_id,
        "ranked": [match.person_id for match in matches],
        "reasons": {match.person_id: list(match.reasons) for match in matches[:top_k]},
    }


def write_rankings(path: Path | str, records: Iterable[dict]) -> int:
    """Write ranking records as JSON Lines; returns how many were written."""
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    return written
