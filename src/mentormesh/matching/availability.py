"""Weekly availability in UTC: how much two people's windows overlap, said plainly.

Windows are given in each person's own time zone. They are placed on one reference
week (so daylight saving is taken as it stands that week) and expressed as minutes
since Monday 00:00 UTC; a window that crosses the week's edge is split in two.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentormesh.matching.model import AvailabilityWindow

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Part of the day as people say it, by local start hour; before 5 and from 22 is night.
_DAY_PARTS = ((5, "early mornings"), (9, "mornings"), (12, "afternoons"), (17, "evenings"))
_NIGHT_FROM = 22

Interval = tuple[int, int]


@lru_cache(maxsize=1024)
def zone(name: str | None) -> ZoneInfo | None:
    """The named zone, or None for a missing or unknown name (then nothing can overlap)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def week_start(reference: date) -> datetime:
    monday = reference - timedelta(days=reference.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


def utc_intervals(
    windows: Iterable[AvailabilityWindow], time_zone: str | None, reference: date
) -> list[Interval]:
    """Windows as merged [start, end) minutes of the UTC week that contains ``reference``."""
    local_zone = zone(time_zone)
    if local_zone is None:
        return []
    monday = week_start(reference)
    pieces: list[Interval] = []
    for window in windows:
        local_day = (monday + timedelta(days=window.weekday)).date()
        local_start = datetime(
            local_day.year, local_day.month, local_day.day, tzinfo=local_zone
        ) + timedelta(minutes=window.start_minute)
        start = int((local_start.astimezone(UTC) - monday).total_seconds() // 60)
        start %= MINUTES_PER_WEEK
        end = start + (window.end_minute - window.start_minute)
        if end <= MINUTES_PER_WEEK:
            pieces.append((start, end))
        else:
            pieces.extend([(start, MINUTES_PER_WEEK), (0, end - MINUTES_PER_WEEK)])
    return _merge(pieces)


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def overlap(first: list[Interval], second: list[Interval]) -> list[Interval]:
    """Intersection of two merged interval lists (two-pointer sweep)."""
    shared: list[Interval] = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            shared.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return shared


def total_minutes(intervals: list[Interval]) -> int:
    return sum(end - start for start, end in intervals)


def hours_apart(first: str | None, second: str | None, at: datetime) -> float | None:
    """Difference between two zones' UTC offsets at ``at``, in hours; None if unknown."""
    first_zone, second_zone = zone(first), zone(second)
    if first_zone is None or second_zone is None:
        return None
    first_offset = at.astimezone(first_zone).utcoffset() or timedelta()
    second_offset = at.astimezone(second_zone).utcoffset() or timedelta()
    return abs((first_offset - second_offset).total_seconds()) / 3600


def describe(shared: list[Interval], viewer_zone: str | None, reference: date) -> str:
    """'Tue/Thu mornings' in the viewer's own time, from UTC week minutes."""
    local_zone = zone(viewer_zone) or UTC
    monday = week_start(reference)
    parts: dict[str, list[str]] = {}
    for start, _ in shared:
        local = (monday + timedelta(minutes=start)).astimezone(local_zone)
        days = parts.setdefault(_day_part(local.hour), [])
        day = WEEKDAY_NAMES[local.weekday()]
        if day not in days:
            days.append(day)
    return ", ".join(f"{'/'.join(days)} {part}" for part, days in parts.items())


def _day_part(hour: int) -> str:
    if hour < _DAY_PARTS[0][0] or hour >= _NIGHT_FROM:
        return "nights"
    return next(name for first_hour, name in reversed(_DAY_PARTS) if hour >= first_hour)


Busy = tuple[datetime, datetime]


def dated_windows(
    windows: Iterable[AvailabilityWindow], time_zone: str | None, first: date, last: date
) -> list[Busy]:
    """Weekly windows as real UTC intervals on the local dates first..last, merged.

    Each window is placed on its own date in its own zone, so a window keeps its local
    clock times across a daylight-saving change and lasts the real time it lasts that day
    (01:00-04:00 on a spring-forward night is two hours); windows that meet across
    midnight or the week's edge join into one.
    """
    local_zone = zone(time_zone)
    if local_zone is None:
        return []
    by_weekday: dict[int, list[AvailabilityWindow]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    pieces: list[Busy] = []
    day = first
    while day <= last:
        midnight = datetime(day.year, day.month, day.day, tzinfo=local_zone)
        for window in by_weekday.get(day.weekday(), ()):
            start = _local(midnight, window.start_minute).astimezone(UTC)
            end = _local(midnight, window.end_minute).astimezone(UTC)
            if start < end:
                pieces.append((start, end))
        day += timedelta(days=1)
    return _merge(pieces)


def _local(midnight: datetime, minute: int) -> datetime:
    """The wall-clock time ``minute`` minutes into the local day (24:00 is next midnight)."""
    if minute >= MINUTES_PER_DAY:
        following = midnight.date() + timedelta(days=1)
        return datetime(following.year, following.month, following.day, tzinfo=midnight.tzinfo)
    wall = midnight.replace(hour=minute // 60, minute=minute % 60)
    naive = wall.replace(tzinfo=None)
    if wall.astimezone(UTC).astimezone(wall.tzinfo).replace(tzinfo=None) == naive:
        return wall
    # A spring-forward gap: this clock time never happens that day. The clock passes it at
    # the change, the first minute whose local time is later: between the two readings of
    # the gap time (before and after the change), found by halving.
    low = wall.replace(fold=1).astimezone(UTC)
    high = wall.replace(fold=0).astimezone(UTC)
    low, high = min(low, high), max(low, high)
    while high - low > timedelta(minutes=1):
        middle = low + timedelta(minutes=(high - low) // timedelta(minutes=1) // 2)
        if middle.astimezone(wall.tzinfo).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return high


def common_slots(
    first: tuple[Iterable[AvailabilityWindow], str | None],
    second: tuple[Iterable[AvailabilityWindow], str | None],
    *,
    after: datetime,
    days: int,
    minutes: int,
    busy: Iterable[Busy] = (),
    step: int = 30,
    limit: int = 8,
) -> list[datetime]:
    """Start times (UTC) in the next ``days`` when both people's weekly windows leave
    ``minutes`` free and nothing in ``busy`` clashes.

    ``first`` and ``second`` are (windows, time zone). Starts fall on ``step``-minute
    marks; one per shared window, earliest first, so the suggestions spread over the days
    instead of filling one afternoon.
    """
    after = after.astimezone(UTC)
    until = after + timedelta(days=days)
    # A day either side: a local date can begin before or end after the UTC range.
    first_day, last_day = after.date() - timedelta(days=1), until.date() + timedelta(days=1)
    shared = overlap(
        dated_windows(first[0], first[1], first_day, last_day),
        dated_windows(second[0], second[1], first_day, last_day),
    )
    busy_list = sorted(busy)
    length = timedelta(minutes=minutes)
    slots: list[datetime] = []
    for window_start, window_end in shared:
        start = _round_up(max(window_start, after), step)
        while start + length <= min(window_end, until):
            clash = next((b for b in busy_list if b[0] < start + length and b[1] > start), None)
            if clash is None:
                slots.append(start)
                break
            start = _round_up(clash[1], step)
        if len(slots) >= limit:
            break
    return slots


def _round_up(moment: datetime, step: int) -> datetime:
    moment = moment.astimezone(UTC)
    whole = moment.replace(second=0, microsecond=0)
    if whole < moment:
        whole += timedelta(minutes=1)
    extra = (whole.hour * 60 + whole.minute) % step
    return whole + timedelta(minutes=step - extra) if extra else whole
