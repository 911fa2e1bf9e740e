"""Times two people could meet: `common_slots` takes each person's weekly windows in their own
time zone and returns UTC start times inside both, skipping what is already booked. It is
pure (no database), so these tests call it with plain windows and datetimes."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mentormesh.matching.availability import common_slots, dated_windows
from mentormesh.matching.model import AvailabilityWindow

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)  # no daylight-saving change in this week anywhere used


def window(weekday: int, start: str, end: str) -> AvailabilityWindow:
    """A weekly window from "HH:MM" to "HH:MM" ("24:00" for midnight at the end)."""

    def minutes(text: str) -> int:
        hours, mins = text.split(":")
        return int(hours) * 60 + int(mins)

    return AvailabilityWindow(weekday, minutes(start), minutes(end))


def weekdays(start: str, end: str) -> list[AvailabilityWindow]:
    return [window(day, start, end) for day in range(5)]


def local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %H:%M")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A UTC moment in the reference week (day 0 is Monday 2 March 2026)."""
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


# --- Overlap across time zones --------------------------------------------------------------


def test_a_berlin_afternoon_meets_a_new_york_morning_at_one_utc_time():
    """Given Anna in Berlin free 15:00-18:00 and Ben in New York free 09:00-12:00 on weekdays
    (6 hours apart in March before either changes clocks), when we look for an hour over one
    week, then each weekday offers 14:00 UTC: 15:00 for Anna and 09:00 for Ben."""
    anna = (weekdays("15:00", "18:00"), "Europe/Berlin")
    ben = (weekdays("09:00", "12:00"), "America/New_York")

    slots = common_slots(anna, ben, after=MONDAY, days=7, minutes=60)

    assert slots == [at(day, 14) for day in range(5)]
    assert all(slot.tzinfo is not None and slot.utcoffset() == timedelta(0) for slot in slots)
    assert {local(slot, BERLIN)[4:] for slot in slots} == {"15:00"}
    assert {local(slot, NEW_YORK)[4:] for slot in slots} == {"09:00"}


def test_a_window_that_is_the_previous_day_in_utc_still_meets():
    """Given Kenji in Tokyo free Tuesday 07:00-09:00 (Monday 22:00-24:00 UTC) and Anna in
    Berlin free Monday 22:00-24:00 in winter (21:00-23:00 UTC), when we look for 30 minutes,
    then the one time is Monday 22:00 UTC: Tuesday 07:00 for Kenji, Monday 23:00 for Anna."""
    kenji = ([window(1, "07:00", "09:00")], "Asia/Tokyo")
    anna = ([window(0, "22:00", "24:00")], "Europe/Berlin")

    slots = common_slots(kenji, anna, after=MONDAY, days=7, minutes=30)

    assert slots == [at(0, 22)]
    assert (local(slots[0], TOKYO), local(slots[0], BERLIN)) == ("Tue 07:00", "Mon 23:00")


def test_windows_that_never_meet_give_no_times():
    """Given Anna free Berlin mornings and Ben free New York evenings (her night), when we
    look for 30 minutes over two weeks, then there is nothing to suggest."""
    anna = (weekdays("08:00", "11:00"), "Europe/Berlin")
    ben = (weekdays("18:00", "21:00"), "America/New_York")

    assert common_slots(anna, ben, after=MONDAY, days=14, minutes=30) == []


def test_an_overlap_shorter_than_the_meeting_gives_no_times():
    """Given Anna and Ben share only 45 minutes a day (Berlin 15:00-15:45 = New York
    09:00-09:45), when we look for an hour, then nothing fits, and for 45 minutes it does."""
    anna = (weekdays("15:00", "15:45"), "Europe/Berlin")
    ben = (weekdays("08:00", "12:00"), "America/New_York")

    assert common_slots(anna, ben, after=MONDAY, days=7, minutes=60) == []
    assert common_slots(anna, ben, after=MONDAY, days=7, minutes=45) == [
        at(day, 14) for day in range(5)
    ]


def test_an_unknown_or_missing_time_zone_meets_no_one():
    """Given Ben's zone is misspelled (or not set), when we look for times with Anna, then
    none are suggested rather than guessing UTC."""
    anna = (weekdays("00:00", "24:00"), "Europe/Berlin")

    for zone in ("Europe/Berln", None, ""):
        ben = (weekdays("00:00", "24:00"), zone)
        assert common_slots(anna, ben, after=MONDAY, days=7, minutes=30) == []


# --- Busy times, steps, the start and end of the search ------------------------------------


def test_a_busy_interval_moves_the_suggestion_past_it():
    """Given both free Monday 09:00-13:00 UTC and Anna already booked 09:00-10:15, when we look
    for an hour in 30-minute steps, then Monday's time is 10:30 (the next step after the
    booking), not 09:00 and not inside it."""
    both = ([window(0, "09:00", "13:00")], "UTC")
    busy = [(at(0, 9), at(0, 10, 15))]

    slots = common_slots(both, both, after=MONDAY, days=1, minutes=60, busy=busy)

    assert slots == [at(0, 10, 30)]


def test_back_to_back_bookings_push_the_time_past_all_of_them():
    """Given both free Monday 09:00-13:00 UTC with bookings 09:00-10:00 and 10:00-11:30, when
    we look for an hour, then the time is 11:30: right after the second, touching it."""
    both = ([window(0, "09:00", "13:00")], "UTC")
    busy = [(at(0, 10), at(0, 11, 30)), (at(0, 9), at(0, 10))]

    assert common_slots(both, both, after=MONDAY, days=1, minutes=60, busy=busy) == [at(0, 11, 30)]


def test_a_window_filled_by_bookings_is_skipped_but_the_next_day_is_offered():
    """Given both free 09:00-11:00 UTC on Monday and Tuesday, and Monday's window booked in the
    middle (09:30-10:30), when we look for an hour, then Monday has no time (neither side of
    the booking fits an hour) and Tuesday offers 09:00."""
    both = ([window(0, "09:00", "11:00"), window(1, "09:00", "11:00")], "UTC")
    busy = [(at(0, 9, 30), at(0, 10, 30))]

    assert common_slots(both, both, after=MONDAY, days=2, minutes=60, busy=busy) == [at(1, 9)]


def test_a_booking_given_in_another_time_zone_is_still_respected():
    """Given a booking written in Berlin time (Monday 10:00-11:00 CET = 09:00-10:00 UTC), when
    we look for an hour in a shared 09:00-12:00 UTC window, then the time is 10:00 UTC."""
    both = ([window(0, "09:00", "12:00")], "UTC")
    busy = [(datetime(2026, 3, 2, 10, tzinfo=BERLIN), datetime(2026, 3, 2, 11, tzinfo=BERLIN))]

    assert common_slots(both, both, after=MONDAY, days=1, minutes=60, busy=busy) == [at(0, 10)]


def test_starts_fall_on_the_step_even_when_the_overlap_does_not():
    """Given Asha in Kathmandu (UTC+05:45) free 15:00-19:00 and Ben in UTC free all Monday,
    their overlap starts at 09:15 UTC; when we look with 30-minute steps, then the time is
    09:30, and with 15-minute steps 09:15, and with hour steps 10:00."""
    asha = ([window(0, "15:00", "19:00")], "Asia/Kathmandu")
    ben = ([window(0, "00:00", "24:00")], "UTC")

    def first(step: int) -> datetime:
        (only,) = common_slots(asha, ben, after=MONDAY, days=1, minutes=60, step=step)
        return only

    assert (first(30), first(15), first(60)) == (at(0, 9, 30), at(0, 9, 15), at(0, 10))


def test_nothing_starts_before_after_and_the_search_is_rounded_up_to_the_step():
    """Given both free all Monday (UTC), when we search from 10:07, then the first time is
    10:30, never earlier than the search start."""
    both = ([window(0, "00:00", "24:00")], "UTC")

    slots = common_slots(both, both, after=at(0, 10, 7), days=1, minutes=30)

    assert slots[0] == at(0, 10, 30)


def test_a_meeting_must_end_inside_the_search_days():
    """Given both free Monday 09:00-12:00 and Tuesday 08:00-12:00 UTC, when we search one day
    from Monday 08:30, then Monday 09:00 is offered but Tuesday 08:00-09:00 is not (it ends
    after Tuesday 08:30); searching from Monday 09:00, it ends exactly at the edge and is."""
    both = ([window(0, "09:00", "12:00"), window(1, "08:00", "12:00")], "UTC")

    assert common_slots(both, both, after=at(0, 8, 30), days=1, minutes=60) == [at(0, 9)]
    assert common_slots(both, both, after=at(0, 9), days=1, minutes=60) == [at(0, 9), at(1, 8)]


def test_one_suggestion_per_shared_window_per_day_earliest_first():
    """Given both free Monday 09:00-12:00 and 14:00-17:00 UTC and Tuesday 09:00-12:00, when we
    look for 30 minutes, then the suggestions are the start of each window, in time order,
    rather than every half hour of Monday morning."""
    both = (
        [window(0, "14:00", "17:00"), window(0, "09:00", "12:00"), window(1, "09:00", "12:00")],
        "UTC",
    )

    assert common_slots(both, both, after=MONDAY, days=7, minutes=30) == [
        at(0, 9),
        at(0, 14),
        at(1, 9),
    ]


def test_the_limit_keeps_the_earliest_times():
    """Given both free every weekday 09:00-17:00 UTC, when we ask for at most 3 over two weeks,
    then the three are Monday, Tuesday and Wednesday of the first week."""
    both = (weekdays("09:00", "17:00"), "UTC")

    slots = common_slots(both, both, after=MONDAY, days=14, minutes=60, limit=3)

    assert slots == [at(0, 9), at(1, 9), at(2, 9)]
    assert len(common_slots(both, both, after=MONDAY, days=14, minutes=60, limit=20)) == 10


def test_the_search_crosses_into_following_weeks():
    """Given both free only on Fridays 12:00-13:00 UTC, when we search 21 days from a
    Wednesday, then the three following Fridays are offered."""
    both = ([window(4, "12:00", "13:00")], "UTC")

    slots = common_slots(both, both, after=at(2, 8), days=21, minutes=60)

    assert slots == [at(4, 12), at(11, 12), at(18, 12)]


# --- Daylight saving ------------------------------------------------------------------------


def test_the_weeks_between_europe_and_america_changing_clocks_move_the_slots():
    """Given Anna in Berlin free 15:00-18:00 and Ben in New York free 09:00-12:00 on weekdays,
    when we look for an hour over three weeks in October-November 2025 (Berlin changes clocks
    on Sunday 26 October, New York on Sunday 2 November), then the UTC time moves from 13:00 to
    14:00 with Berlin's change; in the week between, Ben's first shared hour is 10:00 his time,
    and from 3 November it is 09:00 again. Anna's time is 15:00 throughout."""
    anna = (weekdays("15:00", "18:00"), "Europe/Berlin")
    ben = (weekdays("09:00", "12:00"), "America/New_York")
    october_20 = datetime(2025, 10, 20, tzinfo=UTC)

    slots = common_slots(anna, ben, after=october_20, days=21, minutes=60, limit=30)

    assert [slot.date().isoformat() for slot in slots] == [
        f"2025-{day}" for day in ("10-20", "10-21", "10-22", "10-23", "10-24")
    ] + [f"2025-{day}" for day in ("10-27", "10-28", "10-29", "10-30", "10-31")] + [
        f"2025-11-0{day}" for day in (3, 4, 5, 6, 7)
    ]
    assert [slot.hour for slot in slots] == [13] * 5 + [14] * 10
    assert {local(slot, BERLIN)[4:] for slot in slots} == {"15:00"}
    assert [local(slot, NEW_YORK)[4:] for slot in slots] == ["09:00"] * 5 + ["10:00"] * 5 + [
        "09:00"
    ] * 5


def test_in_the_week_between_clock_changes_a_full_three_hours_does_not_fit():
    """Given the same windows, when we look for three hours, then the weeks of 20 October and
    3 November offer 3 hours every weekday, and the week of 27 October (five hours apart, so
    only two hours shared) offers none."""
    anna = (weekdays("15:00", "18:00"), "Europe/Berlin")
    ben = (weekdays("09:00", "12:00"), "America/New_York")

    slots = common_slots(
        anna, ben, after=datetime(2025, 10, 20, tzinfo=UTC), days=21, minutes=180, limit=30
    )

    assert sorted({slot.date().isocalendar().week for slot in slots}) == [43, 45]
    assert len(slots) == 10


def test_a_sunday_window_on_the_day_berlin_changes_clocks_uses_the_new_offset():
    """Given Anna in Berlin free Sundays 10:00-12:00 and Ben free all Sunday in UTC, when we
    look on 19 October (summer time) and 26 October 2025 (the change day), then Anna's
    10:00 is 08:00 UTC the first Sunday and 09:00 UTC on the change day."""
    anna = ([window(6, "10:00", "12:00")], "Europe/Berlin")
    ben = ([window(6, "00:00", "24:00")], "UTC")

    slots = common_slots(anna, ben, after=datetime(2025, 10, 13, tzinfo=UTC), days=14, minutes=60)

    assert slots == [
        datetime(2025, 10, 19, 8, tzinfo=UTC),
        datetime(2025, 10, 26, 9, tzinfo=UTC),
    ]
    assert {local(slot, BERLIN) for slot in slots} == {"Sun 10:00"}


def test_a_just_after_midnight_monday_window_stays_on_monday_after_the_clocks_change():
    """Given Anna in Berlin free Mondays 00:00-01:00 (Sunday 22:00 or 23:00 UTC), when we look
    for an hour over the three Mondays from 20 October 2025, then every suggestion is Monday
    00:00 on her clock, including 27 October, the first Monday after Berlin changed clocks
    (23:00 UTC on Sunday the 26th, not 22:00, which is Sunday 23:00 for her)."""
    anna = ([window(0, "00:00", "01:00")], "Europe/Berlin")
    ben = ([window(day, "00:00", "24:00") for day in range(7)], "UTC")

    slots = common_slots(anna, ben, after=datetime(2025, 10, 13, tzinfo=UTC), days=21, minutes=60)

    assert [local(slot, BERLIN) for slot in slots] == ["Mon 00:00"] * 3
    assert datetime(2025, 10, 26, 23, tzinfo=UTC) in slots


def test_on_the_day_clocks_go_forward_a_meeting_does_not_run_past_the_window():
    """Given Ben in New York free Sundays 01:00-04:00, when we look for three hours in the week
    of 9 March 2025 (clocks jump from 02:00 to 03:00 that Sunday, so only two hours pass
    between 01:00 and 04:00), then no time is offered: a 3-hour meeting from 01:00 would end
    at 05:00 on his clock."""
    ben = ([window(6, "01:00", "04:00")], "America/New_York")
    anyone = ([window(day, "00:00", "24:00") for day in range(7)], "UTC")

    slots = common_slots(ben, anyone, after=datetime(2025, 3, 3, tzinfo=UTC), days=7, minutes=180)

    assert [(local(s, NEW_YORK), local(s + timedelta(hours=3), NEW_YORK)) for s in slots] == []


def test_a_window_across_monday_midnight_utc_fits_a_meeting_as_long_as_the_window():
    """Given Kenji in Tokyo free Mondays 08:00-10:00 (Sunday 23:00 to Monday 01:00 UTC) and Ben
    in UTC free all week, when we look for two hours over two weeks, then each Monday 08:00
    for Kenji (Sunday 23:00 UTC) is offered."""
    kenji = ([window(0, "08:00", "10:00")], "Asia/Tokyo")
    ben = ([window(day, "00:00", "24:00") for day in range(7)], "UTC")

    slots = common_slots(kenji, ben, after=MONDAY, days=14, minutes=120)

    assert slots == [at(6, 23)]
    assert local(slots[0], TOKYO) == "Mon 08:00"


# --- Property: whatever the windows, every slot suits both and clashes with nothing ---------

ZONES = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "America/St_Johns",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "Pacific/Auckland",
]
LENGTHS = [15, 30, 45, 60, 90, 120]


@st.composite
def windows(draw) -> list[AvailabilityWindow]:
    """A few weekly windows on quarter hours; they may touch or overlap."""
    found = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        start = draw(st.integers(min_value=0, max_value=95)) * 15
        end = draw(st.integers(min_value=start // 15 + 1, max_value=96)) * 15
        found.append(AvailabilityWindow(draw(st.integers(0, 6)), start, end))
    return found


SEARCH_STARTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@st.composite
def busy_intervals(draw, around: datetime) -> list[tuple[datetime, datetime]]:
    found = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        start = around + timedelta(minutes=draw(st.integers(min_value=-120, max_value=21 * 1440)))
        found.append((start, start + timedelta(minutes=draw(st.integers(1, 300)))))
    return found


def _inside(moment: datetime, length: int, person) -> bool:
    """Every minute of [moment, moment + length) is inside one of the person's windows, read
    on their own clock."""
    person_windows, zone_name = person
    zone = ZoneInfo(zone_name)
    for offset in range(length):
        clock = (moment + timedelta(minutes=offset)).astimezone(zone)
        minute = clock.hour * 60 + clock.minute
        if not any(
            w.weekday == clock.weekday() and w.start_minute <= minute < w.end_minute
            for w in person_windows
        ):
            return False
    return True


# Months in which no zone above changes its clocks (northern changes are in March and
# October-November, southern ones in April and September-October).
QUIET_MONTHS = st.builds(
    lambda year, month, day, minute: (
        datetime(year, month, day, tzinfo=UTC) + timedelta(minutes=minute)
    ),
    st.integers(2025, 2027),
    st.sampled_from([1, 6, 7, 12]),
    st.integers(1, 10),
    st.integers(0, 1439),
)


def check_slots(first, second, after, days, minutes, step, limit, busy) -> None:
    slots = common_slots(
        first, second, after=after, days=days, minutes=minutes, busy=busy, step=step, limit=limit
    )

    length = timedelta(minutes=minutes)
    assert len(slots) <= limit
    assert slots == sorted(set(slots))
    for slot in slots:
        assert after <= slot and slot + length <= after + timedelta(days=days)
        assert slot.second == slot.microsecond == 0
        assert (slot.hour * 60 + slot.minute) % step == 0
        assert _inside(slot, minutes, first), (slot, first)
        assert _inside(slot, minutes, second), (slot, second)
        assert not any(start < slot + length and end > slot for start, end in busy), slot


@settings(max_examples=300, deadline=None)
@given(
    first=st.tuples(windows(), st.sampled_from(ZONES)),
    second=st.tuples(windows(), st.sampled_from(ZONES)),
    after=QUIET_MONTHS,
    days=st.integers(min_value=1, max_value=21),
    minutes=st.sampled_from(LENGTHS),
    step=st.sampled_from([15, 30, 60]),
    limit=st.integers(min_value=1, max_value=12),
    data=st.data(),
)
def test_every_slot_is_inside_both_windows_and_clashes_with_nothing(
    first, second, after, days, minutes, step, limit, data
):
    """Given any two people's weekly windows in any two zones, bookings, a search start (in a
    month without clock changes), a length and a step, when slots are suggested, then each
    one: starts no earlier than the search and ends within it, starts on a step mark, lies
    wholly inside both people's windows as each reads their own clock, and overlaps no
    booking; and there are at most `limit`, in time order, with no repeats."""
    check_slots(first, second, after, days, minutes, step, limit, data.draw(busy_intervals(after)))


@settings(max_examples=300, deadline=None)
@given(
    first=st.tuples(windows(), st.sampled_from(ZONES)),
    second=st.tuples(windows(), st.sampled_from(ZONES)),
    after=SEARCH_STARTS,
    days=st.integers(min_value=1, max_value=21),
    minutes=st.sampled_from(LENGTHS),
    step=st.sampled_from([15, 30, 60]),
    limit=st.integers(min_value=1, max_value=12),
    data=st.data(),
)
@example(
    first=([AvailabilityWindow(0, 0, 60)], "Europe/Berlin"),
    second=([AvailabilityWindow(6, 0, 1440)], "UTC"),
    after=datetime(2025, 10, 20, tzinfo=UTC),
    days=14,
    minutes=60,
    step=30,
    limit=8,
    data=None,
).via("Berlin's Monday-midnight window in the week it changes clocks")
def test_every_slot_is_inside_both_windows_even_across_clock_changes(
    first, second, after, days, minutes, step, limit, data
):
    """The same property for search starts on any date, clock changes included."""
    busy = data.draw(busy_intervals(after)) if data is not None else []
    check_slots(first, second, after, days, minutes, step, limit, busy)


def test_a_window_ending_inside_the_spring_forward_gap_ends_at_the_change():
    """Sydney skips 02:00-03:00 on Sunday 5 October 2025. A Sunday window 01:15-02:15 ends
    when the clock jumps (02:00 AEST = 16:00 UTC), not at 03:15 AEDT, which the person never
    offered (found by the property above)."""
    window = AvailabilityWindow(weekday=6, start_minute=75, end_minute=135)
    pieces = dated_windows([window], "Australia/Sydney", date(2025, 10, 5), date(2025, 10, 5))
    assert pieces == [
        (datetime(2025, 10, 4, 15, 15, tzinfo=UTC), datetime(2025, 10, 4, 16, 0, tzinfo=UTC))
    ]
