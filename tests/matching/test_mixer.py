"""The mixer engine: groups that mix departments, stay in shared working hours, and never
repeat a pair from earlier rounds while that can be avoided."""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from mentormesh.matching.mixer import MixerPerson, mix, pair_key, random_groups


def pairings(ids: list[str]):
    """Every way to split an even list of ids into pairs."""
    if not ids:
        yield []
        return
    first, rest = ids[0], ids[1:]
    for k, partner in enumerate(rest):
        for tail in pairings(rest[:k] + rest[k + 1 :]):
            yield [(first, partner), *tail]


def pairs_of(groups) -> set[tuple[str, str]]:
    return {pair_key(a, b) for group in groups for a, b in combinations(group, 2)}


@settings(max_examples=400, deadline=None)
@given(
    n=st.sampled_from([4, 6, 8]),
    history=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=12),
    seed=st.integers(0, 1000),
)
def test_a_pair_round_repeats_no_one_while_a_repeat_free_round_exists(n, history, seed):
    """Given people who met some others before, when a round of pairs is made, then it has
    no repeated pair whenever some pairing of them has none."""
    people = [MixerPerson(f"p{i}", department="Same", utc_offset_hours=0) for i in range(n)]
    met = {pair_key(f"p{a}", f"p{b}") for a, b in history if a != b and a < n and b < n}
    avoidable = any(
        not any(pair_key(a, b) in met for a, b in pairing)
        for pairing in pairings([p.id for p in people])
    )

    result = mix(people, group_size=2, met=met, seed=seed)

    assert sorted(i for group in result.groups for i in group) == sorted(p.id for p in people)
    if avoidable:
        assert result.repeats == 0, (result.groups, met)


def test_someone_who_met_all_but_one_is_paired_with_that_one():
    """Given six people where p0 already met everyone but p3 (and p1 met p2), when a round of
    pairs is made, then p0 and p3 are a pair and no one repeats (found by the property test:
    the greedy fill used to seat p0 last, when only someone they had met was left)."""
    people = [MixerPerson(f"p{i}", department="Same") for i in range(6)]
    met = {("p0", "p1"), ("p0", "p2"), ("p0", "p4"), ("p0", "p5"), ("p1", "p2")}

    for seed in range(20):
        result = mix(people, group_size=2, met=met, seed=seed)
        assert result.repeats == 0, (seed, result.groups)
        assert ["p0", "p3"] in [sorted(group) for group in result.groups]


def test_rounds_in_a_row_meet_new_people_until_everyone_has_met():
    """Given six people, when rounds of pairs follow one another, then the first five rounds
    (every perfect pairing needs five to cover all fifteen pairs) repeat no one."""
    people = [MixerPerson(f"p{i}", department=f"d{i % 3}") for i in range(6)]
    met: set[tuple[str, str]] = set()
    for round_number in range(5):
        result = mix(people, group_size=2, met=met, seed=round_number)
        assert result.repeats == 0, round_number
        met |= pairs_of(result.groups)
    assert len(met) == 15


def test_groups_stay_inside_shared_working_hours_and_mix_departments():
    """Given people in two far-apart time zones and several departments, when groups of 3 are
    made, then no group spans the two zones and every group mixes departments; random
    grouping (the baseline) does span them."""
    people = [
        MixerPerson(f"p{i}", department=f"d{i % 4}", utc_offset_hours=(-8 if i % 2 else 8))
        for i in range(60)
    ]

    result = mix(people, group_size=3, seed=1)
    baseline = random_groups(people, group_size=3, seed=1)

    offsets = {p.id: p.utc_offset_hours for p in people}
    assert all(len({offsets[m] for m in group}) == 1 for group in result.groups)
    assert result.working_hours_groups == len(result.groups) == 20
    assert result.cross_department_groups == len(result.groups)
    assert baseline.working_hours_groups < len(baseline.groups)


def test_someone_alone_in_their_time_zone_is_not_placed_and_told_why():
    """Given one person twelve hours from everyone else, when a round is made, then the
    others are grouped and that person is listed as unplaced with the reason."""
    people = [MixerPerson(f"p{i}", utc_offset_hours=0) for i in range(4)]
    people.append(MixerPerson("far", utc_offset_hours=12))

    result = mix(people, group_size=2, seed=0)

    assert result.placed == 4
    assert result.unplaced == {"far": "no one else shares their working hours"}


def test_leftovers_join_a_group_instead_of_being_left_alone():
    """Given seven people and pairs, when a round is made, then everyone is placed: three
    pairs and one group of three."""
    people = [MixerPerson(f"p{i}") for i in range(7)]

    result = mix(people, group_size=2, seed=3)

    assert sorted(len(group) for group in result.groups) == [2, 2, 3]
    assert result.placed == 7 and not result.unplaced
