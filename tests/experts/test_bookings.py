"""Booking an expert's time, with or without a sponsorship budget, through the services.

An expert offers subjects in slots cut from their weekly hours, in their own time zone, over
the next two weeks (from twelve hours ahead); a member books one of those slots, at the
expert's hourly rate for the slot's length. A budget of the member's own organization can pay:
the price is held on it, and released, or charged when the member cancels inside the expert's
free-cancellation window. Every refusal names what is wrong, and leaves nothing written."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from expert_helpers import free_slots, fresh, ledger_rows, open_hours, slot_between, written

from mentormesh.errors import Conflict, DomainError, NotFound
from mentormesh.experts import selectors, services
from mentormesh.experts.models import Booking, BookingStatus, ExpertOffer
from mentormesh.people import services as people

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def berlin_slot(expert, hour: int, minute: int = 0) -> datetime:
    """The expert's first free slot at hour:minute Berlin time, a day and a half ahead or more
    (so the hours before it that day are offered too)."""
    return next(
        slot
        for slot in free_slots(expert)
        if slot >= timezone.now() + timedelta(hours=36)
        and slot.astimezone(BERLIN).time() == time(hour, minute)
    )


def balance_of(budget, member=None) -> tuple[int, int, int, int]:
    """(total, held, spent, available) of the budget or of one member's share."""
    money = selectors.balance(budget, member)
    return money.total, money.held, money.spent, money.available


# --- Offers -----------------------------------------------------------------------------------


def test_an_offer_needs_a_rate_and_currency_on_the_profile_first(make_user, subjects):
    """Given Nora, not open to paid help, when she offers paid sessions, then she is told to
    set an hourly rate and currency first, and no offer is written."""
    nora = fresh(make_user("nora"))

    with pytest.raises(DomainError) as refused:
        services.expert_offer_set(user=nora, subjects=["Kubernetes"])

    assert refused.value.status == 400
    assert "hourly rate and currency" in refused.value.detail
    assert not ExpertOffer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subjects": ["Basket weaving"]}, "subjects"),
        ({"subjects": []}, "subjects"),
        ({"slot_minutes": 10}, "slot_minutes"),
        ({"slot_minutes": 241}, "slot_minutes"),
        ({"free_cancellation_hours": 24 * 14 + 1}, "free_cancellation_hours"),
    ],
)
def test_a_bad_offer_is_refused_naming_the_field(make_user, subjects, changes, field):
    """Given Nora with a rate, when she offers an unknown or no subject, slots under 15 or over
    240 minutes, or a free-cancellation window over two weeks, then the refusal names that
    field and no offer is written."""
    nora = fresh(make_user("nora", open_to_paid=True, paid_rate_minor=9_000, paid_currency="EUR"))

    with pytest.raises(DomainError) as refused:
        services.expert_offer_set(user=nora, **({"subjects": ["Kubernetes"]} | changes))

    assert refused.value.status == 400
    assert refused.value.field == field
    assert refused.value.detail.startswith(f"{field}:")
    assert not ExpertOffer.objects.exists()


def test_offering_again_replaces_the_subjects_and_terms(priya):
    """Given Priya's offer of Kubernetes and incident reviews in hour slots, when she offers
    Rust alone in 30-minute slots, then that is her offer and Kubernetes can no longer be
    booked."""
    services.expert_offer_set(
        user=priya, subjects=["rust"], slot_minutes=30, free_cancellation_hours=0
    )

    offer = ExpertOffer.objects.get(user=priya)
    assert [skill.name for skill in offer.subjects.all()] == ["Rust"]
    assert (offer.slot_minutes, offer.free_cancellation_hours) == (30, 0)


# --- Slots ------------------------------------------------------------------------------------


def test_slots_are_the_experts_own_local_hours_on_real_dates(make_expert):
    """Given two experts both free Mondays 09:00-11:00 their time, one in Tokyo and one in New
    York, when a member looks on Sunday 6 January 2030 at midnight UTC, then each offers the
    two hours of the next two Mondays at 09:00 and 10:00 their own time, which is 00:00 and
    01:00 UTC for Tokyo and 14:00 and 15:00 UTC for New York."""
    now = utc(2030, 1, 6)
    tokyo = make_expert("kenji", zone="Asia/Tokyo", hours=None)
    new_york = make_expert("nate", zone="America/New_York", hours=None)
    for expert in (tokyo, new_york):
        open_hours(expert, time(9), time(11), weekdays=[0])

    assert free_slots(tokyo, now=now) == [
        utc(2030, 1, 7, 0),
        utc(2030, 1, 7, 1),
        utc(2030, 1, 14, 0),
        utc(2030, 1, 14, 1),
    ]
    assert free_slots(new_york, now=now) == [
        utc(2030, 1, 7, 14),
        utc(2030, 1, 7, 15),
        utc(2030, 1, 14, 14),
        utc(2030, 1, 14, 15),
    ]


def test_slots_keep_the_local_clock_time_across_a_daylight_saving_change(make_expert):
    """Given an expert in New York free Sundays 09:00-10:00, when a member looks on Saturday
    28 February 2026, then the two Sundays offered are both at 09:00 New York time: 14:00 UTC
    before clocks go forward on 8 March and 13:00 UTC on it."""
    nate = make_expert("nate", zone="America/New_York", hours=None)
    open_hours(nate, time(9), time(10), weekdays=[6])

    slots = free_slots(nate, now=utc(2026, 2, 28, 12))

    assert slots == [utc(2026, 3, 1, 14), utc(2026, 3, 8, 13)]
    assert {slot.astimezone(NEW_YORK).hour for slot in slots} == {9}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # 12 hours ahead is Monday 10:00: the 09:00 slot is too soon, 10:00 is just in time.
        (utc(2030, 1, 6, 22), [utc(2030, 1, 7, 10), utc(2030, 1, 14, 9), utc(2030, 1, 14, 10)]),
        # On Monday morning itself, that Monday is too soon; two weeks on is too far.
        (utc(2030, 1, 7, 0), [utc(2030, 1, 14, 9), utc(2030, 1, 14, 10)]),
    ],
)
def test_slots_start_twelve_hours_ahead_and_end_two_weeks_ahead(make_expert, now, expected):
    """Given an expert in UTC free Mondays 09:00-11:00, when a member looks on Sunday night or
    Monday morning, then only slots starting at least twelve hours ahead and ending within
    fourteen days are offered."""
    uma = make_expert("uma", zone="UTC", hours=None)
    open_hours(uma, time(9), time(11), weekdays=[0])

    assert free_slots(uma, now=now) == expected


def test_windows_are_cut_into_whole_slots_and_back_to_back_windows_join(make_expert):
    """Given an expert in UTC with 45-minute slots, free Mondays 09:00-11:30 and Tuesdays
    09:00-10:00 and 10:00-11:00, when a member looks, then Monday gives 09:00, 09:45 and 10:30
    (what is left after 11:15 is too short), and Tuesday's two windows make one morning:
    09:00 and 09:45 (which runs past the first window's end)."""
    uma = make_expert("uma", zone="UTC", hours=None, slot_minutes=45)
    open_hours(uma, time(9), time(11, 30), weekdays=[0])
    open_hours(uma, time(9), time(10), weekdays=[1])
    open_hours(uma, time(10), time(11), weekdays=[1])

    week = [s for s in free_slots(uma, now=utc(2030, 1, 6)) if s < utc(2030, 1, 9)]

    assert week == [
        utc(2030, 1, 7, 9),
        utc(2030, 1, 7, 9, 45),
        utc(2030, 1, 7, 10, 30),
        utc(2030, 1, 8, 9),
        utc(2030, 1, 8, 9, 45),
    ]


def test_priyas_slots_are_hours_of_her_berlin_day(priya):
    """Given Priya, free 09:00-17:00 Berlin time every day, when a member lists her slots,
    then there are eight each day, every one on the hour between 09:00 and 16:00 her time,
    and at least twelve hours ahead."""
    slots = free_slots(priya)

    local = [slot.astimezone(BERLIN) for slot in slots]
    assert {(moment.hour, moment.minute) for moment in local} == {(h, 0) for h in range(9, 17)}
    assert min(slots) >= timezone.now() + timedelta(hours=12)
    assert len(slots) in range(8 * 13, 8 * 14 + 1)


def test_a_booked_slot_leaves_the_list_and_comes_back_when_cancelled(priya, leo, book):
    """Given Priya's slots, when Leo books one, then that slot is no longer offered (the hours
    either side still are); when he cancels, it is offered again."""
    slot, now = slot_between(priya, 24), timezone.now()
    before = free_slots(priya, now=now)

    booking = book(leo, priya, slot)

    assert free_slots(priya, now=now) == [s for s in before if s != slot]
    assert slot in selectors.expert_slots(fresh(priya), minutes=60, free_only=False, now=now)

    services.booking_cancel(booking_id=booking.pk, by=leo)

    assert free_slots(priya, now=now) == before


def test_a_booking_takes_every_slot_it_overlaps(priya, leo, book):
    """Given Leo's hour with Priya at 10:00 Berlin, when Priya changes to 45-minute slots,
    then neither 09:45 nor 10:30 (each overlapping his hour) is offered, but 09:00 and 11:15
    are."""
    ten = berlin_slot(priya, 10)
    book(leo, priya, ten)

    services.expert_offer_set(user=priya, subjects=["Kubernetes"], slot_minutes=45)
    slots = free_slots(priya)

    m = timedelta(minutes=1)
    assert ten - 15 * m not in slots and ten + 30 * m not in slots
    assert ten - 60 * m in slots and ten + 75 * m in slots


def test_an_experts_own_booking_of_someone_else_takes_those_slots(priya, ravi, book):
    """Given Priya books Ravi's 45-minute slot at 10:30 Berlin, when a member lists Priya's
    slots, then her 10:00 and 11:00 hours (which overlap it) are gone; 09:00 and 12:00 stay."""
    ten_thirty = berlin_slot(ravi, 10, 30)
    book(priya, ravi, ten_thirty)

    slots = free_slots(priya)

    m = timedelta(minutes=1)
    assert ten_thirty - 30 * m not in slots and ten_thirty + 30 * m not in slots
    assert ten_thirty - 90 * m in slots and ten_thirty + 90 * m in slots


# --- Booking and price ------------------------------------------------------------------------


def test_booking_a_slot_confirms_it_at_the_hourly_rate(priya, leo, book):
    """Given Priya at 120.00 EUR an hour in hour slots, when Leo books one of her slots, then
    the booking is confirmed for that hour, with her, on Kubernetes, for 120.00 EUR."""
    slot = slot_between(priya, 24)

    booking = book(leo, priya, slot)

    stored = Booking.objects.get()
    assert stored.pk == booking.pk
    assert (stored.member, stored.expert, stored.subject.name) == (leo, priya, "Kubernetes")
    assert (stored.starts_at, stored.ends_at) == (slot, slot + timedelta(hours=1))
    assert stored.status == BookingStatus.CONFIRMED
    assert (stored.price_minor, stored.currency) == (12_000, "EUR")
    assert not stored.budget
    assert ledger_rows() == []


@pytest.mark.parametrize(
    ("rate", "minutes", "price"),
    [(10_000, 45, 7_500), (9_000, 90, 13_500), (6_000, 15, 1_500), (15_000, 240, 60_000)],
)
def test_the_price_is_the_hourly_rate_for_the_slots_length(
    make_expert, leo, book, rate, minutes, price
):
    """Given an expert whose slots are shorter or longer than an hour, when Leo books one,
    then he pays the hourly rate pro rata: 100.00 an hour for 45 minutes is 75.00."""
    expert = make_expert("vera", rate=rate, slot_minutes=minutes, hours=(time(8), time(18)))

    booking = book(leo, expert, slot_between(expert, 24))

    assert Booking.objects.get(pk=booking.pk).price_minor == price
    assert booking.ends_at - booking.starts_at == timedelta(minutes=minutes)


def test_a_slot_may_be_given_in_any_time_zone(priya, leo, book):
    """Given one of Priya's slots, when Leo gives that moment in Tokyo time, then it is the
    same slot and the booking is stored at that moment."""
    slot = slot_between(priya, 24)

    booking = book(leo, priya, slot.astimezone(TOKYO))

    assert Booking.objects.get(pk=booking.pk).starts_at == slot


def test_a_subject_may_be_named_in_any_case(priya, leo, book):
    """Given Priya offers incident reviews, when Leo asks for 'INCIDENT reviews', then he is
    booked for it."""
    booking = book(leo, priya, slot_between(priya, 24), subject="INCIDENT reviews")

    assert booking.subject.name == "Incident reviews"


# --- Refusals: each names what is wrong and writes nothing ------------------------------------


@pytest.mark.parametrize(
    "moved",
    [timedelta(minutes=30), timedelta(hours=-10), timedelta(days=20)],
    ids=["half past", "outside her hours", "beyond two weeks"],
)
def test_a_time_that_is_not_one_of_the_experts_slots_is_refused(priya, leo, book, moved):
    """Given Priya's slots, when Leo books half an hour off one, a time outside her hours, or
    beyond the two weeks, then he is told it is not one of her slots (400 naming starts_at)
    and nothing is written."""
    starts_at = slot_between(priya, 24) + moved
    assert starts_at not in free_slots(priya)

    with pytest.raises(DomainError) as refused:
        book(leo, priya, starts_at)

    assert (refused.value.status, refused.value.field) == (400, "starts_at")
    assert "not one of @priya's free slots" in refused.value.detail
    assert written() == (0, 0)


def test_a_time_inside_her_hours_but_less_than_twelve_hours_ahead_is_refused(
    make_expert, leo, book
):
    """Given an expert free at every hour of every day, when Leo books the hour starting in
    two to three hours, then it is not one of her slots (400 naming starts_at)."""
    always = make_expert("ada", zone="UTC", hours=(time(0), time(23, 59)))
    soon = (timezone.now() + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    if soon.hour == 23:  # 23:00 is no slot of hers at all (the hour would end past 23:59)
        soon += timedelta(hours=1)
    assert soon + timedelta(days=1) in free_slots(always)  # the same hour tomorrow is

    with pytest.raises(DomainError) as refused:
        book(leo, always, soon)

    assert (refused.value.status, refused.value.field) == (400, "starts_at")
    assert written() == (0, 0)


@pytest.mark.parametrize(
    ("starts_at", "says"),
    [
        (lambda slot: slot - timedelta(days=30), "that time has passed"),
        (lambda slot: slot.replace(tzinfo=None), "give a time zone"),
    ],
    ids=["past", "no time zone"],
)
def test_a_past_time_or_one_without_a_zone_is_refused(priya, leo, book, starts_at, says):
    """Given Priya's slots, when Leo books a time a month ago or a time with no zone, then the
    refusal names starts_at and says why, and nothing is written."""
    with pytest.raises(DomainError) as refused:
        book(leo, priya, starts_at(slot_between(priya, 24)))

    assert (refused.value.status, refused.value.field) == (400, "starts_at")
    assert says in refused.value.detail
    assert written() == (0, 0)


@pytest.mark.parametrize("subject", ["Rust", "Basket weaving"])
def test_a_subject_the_expert_does_not_offer_is_refused(priya, leo, book, subject):
    """Given Priya offers Kubernetes and incident reviews, when Leo books her for Rust (a
    known skill) or basket weaving (unknown), then the refusal names the subject and nothing
    is written."""
    with pytest.raises(DomainError) as refused:
        book(leo, priya, slot_between(priya, 24), subject=subject)

    assert (refused.value.status, refused.value.field) == (400, "subject")
    assert f"@priya does not offer “{subject}”" in refused.value.detail
    assert written() == (0, 0)


def test_an_expert_cannot_book_themselves(priya, book):
    """Given Priya's slots, when she books one of them herself, then she is refused (400)
    and nothing is written."""
    with pytest.raises(DomainError) as refused:
        book(priya, priya, slot_between(priya, 24))

    assert refused.value.status == 400
    assert "cannot book yourself" in refused.value.detail
    assert written() == (0, 0)


def test_someone_who_offers_no_paid_sessions_cannot_be_booked(make_user, leo, book):
    """Given Nora, free every day but with no paid offer, when Leo books her, then he is told
    she does not offer paid sessions (404) and nothing is written."""
    nora = make_user("nora")
    open_hours(nora, time(9), time(17))

    with pytest.raises(NotFound) as refused:
        book(leo, nora, timezone.now() + timedelta(days=2))

    assert "@nora does not offer paid sessions" in refused.value.detail
    assert written() == (0, 0)


def test_an_expert_whose_profile_the_member_may_not_see_is_not_found(make_expert, leo, book):
    """Given Petra, an expert whose profile only people in her organizations may see, when Leo
    (no organization in common) books her, then he gets the same 404 as for no one at all, and nothing is written."""
    petra = make_expert("petra", visibility="organizations")
    slot = slot_between(petra, 24)

    with pytest.raises(NotFound) as private:
        book(leo, petra, slot)
    with pytest.raises(NotFound) as missing:
        services.booking_create(
            member=leo, expert_handle="nobody", subject="Kubernetes", starts_at=slot
        )

    assert private.value.detail.replace("petra", "nobody") == missing.value.detail
    assert written() == (0, 0)


# --- Clashes ----------------------------------------------------------------------------------


def test_a_slot_someone_has_booked_is_refused_to_the_next(priya, leo, mia, book):
    """Given Leo booked one of Priya's slots, when Mia books the same slot, then she is told
    it is already booked (409 naming starts_at) and Leo's booking is the only one."""
    slot = slot_between(priya, 24)
    first = book(leo, priya, slot)

    with pytest.raises(Conflict) as refused:
        book(mia, priya, slot)

    assert refused.value.field == "starts_at"
    assert "already booked" in refused.value.detail
    assert list(Booking.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_member_cannot_be_in_two_overlapping_sessions(priya, ravi, leo, book):
    """Given Leo's hour with Priya at 10:00 Berlin, when he books Ravi's 45 minutes at 10:30,
    which overlaps it, then he is refused (409) and nothing more is written; Ravi's 11:15,
    right after Priya's hour, he can book."""
    ten = berlin_slot(priya, 10)
    book(leo, priya, ten)

    with pytest.raises(Conflict):
        book(leo, ravi, ten + timedelta(minutes=30))
    assert written() == (1, 0)

    book(leo, ravi, ten + timedelta(minutes=75))
    assert written() == (2, 0)


def test_an_expert_booked_by_someone_cannot_book_someone_else_then(priya, ravi, leo, book):
    """Given Leo booked Priya at 10:00 Berlin, when Priya books Ravi's 10:30, then she is
    refused (409): she is taken then."""
    ten = berlin_slot(priya, 10)
    book(leo, priya, ten)

    with pytest.raises(Conflict):
        book(priya, ravi, ten + timedelta(minutes=30))
    assert written() == (1, 0)


def test_back_to_back_hours_do_not_clash(priya, leo, book):
    """Given Leo's hour with Priya at 10:00 Berlin, when he books her 11:00 too, then he has
    both."""
    ten = berlin_slot(priya, 10)
    book(leo, priya, ten)
    book(leo, priya, ten + timedelta(hours=1))

    assert Booking.objects.filter(member=leo).count() == 2


# --- Sponsorship budgets ----------------------------------------------------------------------


def test_a_sponsored_booking_holds_its_price_on_the_budget(priya, leo, budget, book):
    """Given Northwind's 300.00 EUR budget (200.00 per member), when Leo books Priya's hour on
    it, then 120.00 is held: the budget has 180.00 left and Leo's share 80.00."""
    booking = book(leo, priya, slot_between(priya, 24), budget=budget)

    assert booking.budget == budget
    assert ledger_rows() == [("leo", "hold", 12_000)]
    assert balance_of(budget) == (30_000, 12_000, 0, 18_000)
    assert balance_of(budget, leo) == (20_000, 12_000, 0, 8_000)


def test_a_budget_of_an_organization_the_member_is_not_in_is_not_found(
    priya, leo, acme, make_budget, book
):
    """Given Acme's budget, when Leo (not in Acme) books Priya on it, then he is told there
    is no such budget of his (404) and nothing is written."""
    theirs = make_budget(acme)

    with pytest.raises(NotFound):
        book(leo, priya, slot_between(priya, 24), budget=theirs)

    assert written() == (0, 0)


def test_a_budget_in_another_currency_is_refused_naming_the_currency(
    priya, leo, northwind, make_budget, book
):
    """Given Northwind's budget in USD and Priya charging EUR, when Leo books her on it, then
    the refusal names the currency and both currencies (400), and nothing is written."""
    dollars = make_budget(northwind, currency="USD")

    with pytest.raises(DomainError) as refused:
        book(leo, priya, slot_between(priya, 24), budget=dollars)

    assert (refused.value.status, refused.value.field) == (400, "currency")
    assert "EUR" in refused.value.detail and "USD" in refused.value.detail
    assert written() == (0, 0)


@pytest.mark.parametrize("side", ["ended", "not begun"])
def test_a_session_outside_the_budgets_period_is_refused(
    priya, leo, northwind, make_budget, book, side
):
    """Given a Northwind budget that ended yesterday, or one that begins after the session,
    when Leo books Priya on it, then the refusal names starts_at (400) and nothing is
    written."""
    slot = slot_between(priya, 48)
    today = timezone.now().date()
    if side == "ended":
        period = {"starts_on": today - timedelta(days=30), "ends_on": today - timedelta(days=1)}
    else:
        period = {"starts_on": slot.date() + timedelta(days=1), "ends_on": today + timedelta(60)}
    budget = make_budget(northwind, **period)

    with pytest.raises(DomainError) as refused:
        book(leo, priya, slot, budget=budget)

    assert (refused.value.status, refused.value.field) == (400, "starts_at")
    assert "budget's period" in refused.value.detail
    assert written() == (0, 0)


def test_a_members_share_limits_what_they_may_book(priya, leo, mia, budget, book):
    """Given Leo's 120.00 booking on the budget (his share is 200.00), when he books another
    120.00 hour, then he is told his share has too little left (409 over_budget) and nothing
    is written; Mia, with her own share, can still book that hour."""
    book(leo, priya, slot_between(priya, 24), budget=budget)
    second = slot_between(priya, 72)

    with pytest.raises(Conflict) as refused:
        book(leo, priya, second, budget=budget)

    assert refused.value.code == "over_budget"
    assert "Your share of the Learning budget" in refused.value.detail
    assert written() == (1, 1)
    assert balance_of(budget, leo) == (20_000, 12_000, 0, 8_000)

    book(mia, priya, second, budget=budget)
    assert balance_of(budget) == (30_000, 24_000, 0, 6_000)


def test_the_budget_total_limits_everyone_together(priya, leo, mia, hana, budget, book):
    """Given Leo and Mia each hold 120.00 of the 300.00 budget, when Hana books a 120.00 hour
    on it, then she is told the budget has too little left (409 over_budget) although her own
    share is untouched, and nothing is written."""
    book(leo, priya, slot_between(priya, 24), budget=budget)
    book(mia, priya, slot_between(priya, 48), budget=budget)

    with pytest.raises(Conflict) as refused:
        book(hana, priya, slot_between(priya, 72), budget=budget)

    assert refused.value.code == "over_budget"
    assert (
        "The Learning budget has 60.00 EUR left; this session costs 120.00 EUR"
        in refused.value.detail
    )
    assert written() == (2, 2)
    assert balance_of(budget) == (30_000, 24_000, 0, 6_000)


def test_money_released_by_a_cancellation_can_be_booked_again(priya, leo, budget, book):
    """Given Leo's share is used up by a booking, when he cancels it in good time, then he can
    book another hour on the budget."""
    first = book(leo, priya, slot_between(priya, 72), budget=budget)
    services.booking_cancel(booking_id=first.pk, by=leo)

    book(leo, priya, slot_between(priya, 96), budget=budget)

    assert balance_of(budget, leo) == (20_000, 12_000, 0, 8_000)


def test_a_refund_gives_back_at_most_what_was_charged(priya, leo, budget, book):
    """Given Leo was charged 120.00 for a late cancellation, when 50.00 is refunded, then his
    share has 130.00 left; a refund of more than the 70.00 still charged is refused, naming
    the amount, and writes nothing."""
    booking = book(leo, priya, slot_between(priya, 13, 46), budget=budget)
    services.booking_cancel(booking_id=booking.pk, by=leo)

    services.ledger_refund(booking=booking, amount=5_000)
    assert balance_of(budget, leo) == (20_000, 0, 7_000, 13_000)

    with pytest.raises(DomainError) as refused:
        services.ledger_refund(booking=booking, amount=7_001)
    assert (refused.value.status, refused.value.field) == (400, "amount")
    assert balance_of(budget, leo) == (20_000, 0, 7_000, 13_000)
    assert len(ledger_rows()) == 4


# --- Cancelling -------------------------------------------------------------------------------


def test_a_member_cancelling_before_the_window_pays_nothing(priya, leo, budget, book):
    """Given Leo's sponsored hour with Priya more than 48 hours ahead (her free-cancellation
    window), when he cancels, then it is cancelled and the 120.00 held goes back."""
    booking = book(leo, priya, slot_between(priya, 50), budget=budget)

    cancelled = services.booking_cancel(booking_id=booking.pk, by=leo)

    assert cancelled.status == Booking.objects.get().status == BookingStatus.CANCELLED
    assert ledger_rows() == [("leo", "hold", 12_000), ("leo", "release", 12_000)]
    assert balance_of(budget) == (30_000, 0, 0, 30_000)


def test_a_member_cancelling_inside_the_window_is_charged_in_full(priya, leo, budget, book):
    """Given Leo's sponsored hour with Priya less than 48 hours ahead, when he cancels, then
    it is cancelled and the full 120.00 is charged to the budget."""
    booking = book(leo, priya, slot_between(priya, 13, 46), budget=budget)

    services.booking_cancel(booking_id=booking.pk, by=leo)

    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert ledger_rows() == [
        ("leo", "hold", 12_000),
        ("leo", "release", 12_000),
        ("leo", "charge", 12_000),
    ]
    assert balance_of(budget) == (30_000, 0, 12_000, 18_000)
    assert balance_of(budget, leo) == (20_000, 0, 12_000, 8_000)


@pytest.mark.parametrize("hours_ahead", [(13, 46), (50, 14 * 24)], ids=["inside", "before"])
def test_an_expert_cancelling_never_costs_the_member(priya, leo, budget, book, hours_ahead):
    """Given Leo's sponsored hour with Priya, inside or before her window, when Priya cancels,
    then it is cancelled and the 120.00 held goes back: nothing is charged."""
    booking = book(leo, priya, slot_between(priya, *hours_ahead), budget=budget)

    services.booking_cancel(booking_id=booking.pk, by=priya)

    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert ledger_rows() == [("leo", "hold", 12_000), ("leo", "release", 12_000)]
    assert balance_of(budget) == (30_000, 0, 0, 30_000)


def test_an_unsponsored_booking_cancelled_late_writes_no_ledger_entry(priya, leo, book):
    """Given Leo's own (unsponsored) hour with Priya inside her window, when he cancels, then
    it is cancelled and no budget is touched."""
    booking = book(leo, priya, slot_between(priya, 13, 46))

    services.booking_cancel(booking_id=booking.pk, by=leo)

    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert ledger_rows() == []


def test_cancelling_twice_is_a_conflict(priya, leo, budget, book):
    """Given Leo cancelled his sponsored hour, when he or Priya cancels it again, then they
    are told it is already cancelled (409) and nothing more is written."""
    booking = book(leo, priya, slot_between(priya, 50), budget=budget)
    services.booking_cancel(booking_id=booking.pk, by=leo)

    for person in (leo, priya):
        with pytest.raises(Conflict) as refused:
            services.booking_cancel(booking_id=booking.pk, by=person)
        assert "already cancelled" in refused.value.detail

    assert len(ledger_rows()) == 2


def test_a_session_that_has_started_cannot_be_cancelled(priya, leo, budget, book):
    """Given Leo's sponsored hour with Priya, once it has started (ten minutes ago), when
    either cancels, then they are told it can no longer be cancelled (409): it stays
    confirmed and the money stays held."""
    booking = book(leo, priya, slot_between(priya, 24), budget=budget)
    started = timezone.now() - timedelta(minutes=10)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=started, ends_at=started + timedelta(hours=1)
    )  # the hour has come

    for person in (leo, priya):
        with pytest.raises(Conflict) as refused:
            services.booking_cancel(booking_id=booking.pk, by=person)
        assert "has started" in refused.value.detail

    assert Booking.objects.get().status == BookingStatus.CONFIRMED
    assert ledger_rows() == [("leo", "hold", 12_000)]


def test_only_the_two_people_in_a_booking_may_cancel_it(priya, leo, mia, budget, book):
    """Given Leo's sponsored hour with Priya, when Mia (in Leo's organization) cancels it or
    anyone cancels a booking that does not exist, then both get the same 404 and the booking
    is untouched."""
    booking = book(leo, priya, slot_between(priya, 24), budget=budget)

    missing_id = booking.pk + 1000
    with pytest.raises(NotFound) as stranger:
        services.booking_cancel(booking_id=booking.pk, by=mia)
    with pytest.raises(NotFound) as missing:
        services.booking_cancel(booking_id=missing_id, by=mia)

    assert stranger.value.detail == missing.value.detail.replace(str(missing_id), str(booking.pk))
    assert Booking.objects.get().status == BookingStatus.CONFIRMED
    assert ledger_rows() == [("leo", "hold", 12_000)]


# --- Bugs found -------------------------------------------------------------------------------


class Rollback(Exception):
    pass


def test_the_same_moment_is_in_or_out_of_a_budgets_period_however_it_is_written(
    make_expert, leo, northwind, make_budget, book
):
    """Given Nate in New York, free 20:00-23:00 his time (after midnight UTC), and a budget
    that ends on the New York date of one of his evening slots, when Leo books that slot on
    the budget, written once in UTC and once in New York time, then both get the same answer.
    """
    nate = make_expert("nate", zone="America/New_York", hours=(time(20), time(23)))
    slot = slot_between(nate, 24)
    assert slot.astimezone(NEW_YORK).date() != slot.astimezone(UTC).date()
    budget = make_budget(northwind, ends_on=slot.astimezone(NEW_YORK).date())

    def outcome(starts_at) -> str:
        try:
            with transaction.atomic():
                book(leo, nate, starts_at, budget=budget)
                raise Rollback
        except Rollback:
            return "booked"
        except DomainError as error:
            return f"{error.status} {error.field}"

    assert outcome(slot.astimezone(UTC)) == outcome(slot.astimezone(NEW_YORK))


def test_the_free_cancellation_window_is_the_one_agreed_when_booking(priya, leo, budget, book):
    """Given Leo booked Priya's hour about four days ahead under her 48-hour free-cancellation
    window, when she widens her window to two weeks and Leo then cancels, then he pays nothing:
    the 120.00 held goes back."""
    booking = book(leo, priya, slot_between(priya, 90), budget=budget)
    services.expert_offer_set(user=priya, subjects=["Kubernetes"], free_cancellation_hours=24 * 14)

    services.booking_cancel(booking_id=booking.pk, by=leo)

    assert balance_of(budget, leo) == (20_000, 0, 0, 20_000)


def test_an_expert_no_longer_open_to_paid_help_cannot_be_booked(priya, leo, book):
    """Given Priya has turned paid help off on her profile, when Leo books one of her slots,
    then he is told she does not offer paid sessions (404) and nothing is written."""
    slot = slot_between(priya, 24)
    people.profile_update(user=priya, changes={"open_to_paid": False})

    with pytest.raises(NotFound):
        book(leo, priya, slot)
    assert written() == (0, 0)


def test_an_expert_who_cleared_their_rate_cannot_be_booked(priya, leo, book):
    """Given Priya turned paid help off and cleared her rate and currency, when Leo books one
    of her slots, then he is told she does not offer paid sessions (404)."""
    slot = slot_between(priya, 24)
    people.profile_update(
        user=priya, changes={"open_to_paid": False, "paid_rate_minor": None, "paid_currency": ""}
    )

    with pytest.raises(NotFound):
        book(leo, priya, slot)
