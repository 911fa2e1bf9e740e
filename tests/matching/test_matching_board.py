"""A person's board: helpers per goal across levels, two-way first; people I could help."""

from datetime import UTC, datetime

from mentormesh.matching.board import board, level_band
from mentormesh.matching.index import Index
from mentormesh.matching.model import AvailabilityWindow, Goal, Openness, Person

MONDAY = datetime(2025, 3, 3, 12, tzinfo=UTC)


def helper(pid, level, **extra):
    return Person(pid, offers=["kubernetes"], level=level, **extra)


def me(**extra):
    fields = {
        "id": "me",
        "level": "early-career",
        "offers": ["sql"],
        "seeks": [Goal("Kubernetes", "run our services myself", 2)],
        "organizations": ("acme",),
        "time_zone": "Europe/Berlin",
        "availability": (AvailabilityWindow(1, 9 * 60, 12 * 60),),
    }
    fields.update(extra)
    return Person(**fields)


def test_levels_are_banded_relative_to_the_seeker():
    assert level_band("mid", "mid") == "peer"
    assert level_band("mid", "senior") == "near-peer"
    assert level_band("student", "leader") == "senior"
    assert level_band("senior", "mid") == "junior"
    assert level_band(None, "mid") == "unknown"


def test_only_open_people_with_room_and_not_excluded_appear():
    people = [
        me(),
        helper("closed", "mid", openness=Openness(mentor=False)),
        helper("full", "mid", capacity=0),
        helper("skipped", "mid"),
        helper("open", "mid"),
        Person("unrelated", offers=["figma"], level="mid"),
    ]
    index = Index.build(people)

    result = board(index, people[0], exclude={"skipped"}, at=MONDAY)

    (goal_board,) = result.goals
    assert [s.person_id for s in goal_board.suggestions] == ["open"]


def test_two_way_matches_come_first_and_say_so():
    people = [
        me(),
        helper("expert", "leader", evidence=[]),
        helper("swapper", "early-career", seeks=[Goal("SQL")]),
    ]
    index = Index.build(people)

    suggestions = board(index, people[0], at=MONDAY).goals[0].suggestions

    assert suggestions[0].person_id == "swapper" and suggestions[0].two_way
    assert suggestions[0].reasons[0] == "wants to learn sql, which you offer — two-way"
    assert suggestions[1].reasons[0] == "helps with kubernetes, which you want to learn"


def test_the_board_spreads_across_levels():
    people = (
        [me()]
        + [helper(f"peer{i}", "early-career") for i in range(4)]
        + [
            helper("near", "mid"),
            helper("senior", "leader"),
        ]
    )
    index = Index.build(people)

    suggestions = board(index, people[0], per_goal=3, at=MONDAY).goals[0].suggestions

    assert {s.band for s in suggestions} == {"peer", "near-peer", "senior"}


def test_shared_hours_are_explained_in_my_time():
    new_yorker = helper(
        "nyc",
        "mid",
        time_zone="America/New_York",
        availability=(AvailabilityWindow(1, 4 * 60, 7 * 60),),  # 10:00-13:00 in Berlin
    )
    index = Index.build([me(), new_yorker])

    (suggestion,) = board(index, me(), at=MONDAY).goals[0].suggestions

    assert "6 hours apart, overlapping Tue mornings (your time)" in suggestion.reasons


def test_people_i_could_help_want_what_i_offer():
    people = [
        me(),
        Person("student", seeks=[Goal("sql")], level="student"),
        Person("trader", seeks=[Goal("sql")], offers=["kubernetes"]),
        Person("not-now", seeks=[Goal("sql")], openness=Openness(be_mentored=False)),
        Person("other", seeks=[Goal("figma")]),
    ]
    index = Index.build(people)

    could_help = board(index, people[0], at=MONDAY).could_help

    assert [s.person_id for s in could_help] == ["trader", "student"]
    assert could_help[0].reasons == (
        "wants to learn sql, which you offer",
        "offers kubernetes, which you want to learn — two-way",
    )
