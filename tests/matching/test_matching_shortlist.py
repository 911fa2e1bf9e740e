"""Cohort shortlists: capacity is never exceeded and total fit is the best possible."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from mentormesh.matching.index import Index
from mentormesh.matching.model import Goal, Person
from mentormesh.matching.shortlist import fit_from_index, shortlist


def test_a_tiny_instance_gets_the_hand_checked_optimum():
    # Ann fits x best, but Bob can only use x; giving x to Bob and y, z to Ann is best.
    fit = np.array([[3.0, 2.0, 1.0], [3.0, 0.0, 0.0]])

    result = shortlist(["ann", "bob"], ["x", "y", "z"], fit, size=2, capacity=1)

    assert result.lists == {"ann": ["y", "z"], "bob": ["x"]}
    assert result.total_fit == 6.0
    assert (result.report.full, result.report.partial, result.report.empty) == (1, 1, 0)
    assert result.report.reasons == {"bob": "only 1 helper fit this person's goals"}


def test_seekers_with_no_fit_are_reported_empty_and_never_get_themselves():
    fit = sparse.csr_matrix(np.array([[5.0, 1.0], [0.0, 0.0]]))

    result = shortlist(["h1", "cara"], ["h1", "h2"], fit, size=1, capacity=5)

    assert result.lists == {"h1": ["h2"], "cara": []}
    assert result.report.reasons["cara"] == "no helper fits any of this person's goals"


def test_helpers_at_capacity_are_named_as_the_reason():
    fit = np.array([[1.0], [0.9], [0.8]])

    result = shortlist(["a", "b", "c"], ["h"], fit, size=1, capacity=2)

    assert result.lists == {"a": ["h"], "b": ["h"], "c": []}
    assert result.report.reasons == {"c": "the helpers who fit are at capacity"}


def best_total_by_brute_force(fit, size, capacities):
    n_seekers, n_helpers = fit.shape
    pairs = [(s, h) for s in range(n_seekers) for h in range(n_helpers) if fit[s, h] > 0]
    best = 0.0
    for chosen in itertools.product([False, True], repeat=len(pairs)):
        picked = [pair for pair, keep in zip(pairs, chosen, strict=True) if keep]
        per_seeker = np.bincount([s for s, _ in picked], minlength=n_seekers)
        per_helper = np.bincount([h for _, h in picked], minlength=n_helpers)
        if (per_seeker <= size).all() and (per_helper <= capacities).all():
            best = max(best, sum(fit[s, h] for s, h in picked))
    return best


small_instances = st.tuples(
    st.integers(1, 3), st.integers(1, 3), st.integers(1, 2), st.randoms(use_true_random=False)
)


@settings(max_examples=60, deadline=None)
@given(small_instances)
def test_no_helper_exceeds_capacity_and_the_total_is_optimal(instance):
    n_seekers, n_helpers, size, rng = instance
    fit = np.array(
        [[rng.choice([0, 0, 1, 2, 3, 5]) for _ in range(n_helpers)] for _ in range(n_seekers)],
        dtype=float,
    )
    capacities = [rng.randint(0, 2) for _ in range(n_helpers)]
    seekers = [f"s{i}" for i in range(n_seekers)]
    helpers = [f"h{i}" for i in range(n_helpers)]

    result = shortlist(seekers, helpers, fit, size=size, capacity=capacities)

    load = {helper: 0 for helper in helpers}
    for chosen in result.lists.values():
        assert len(chosen) <= size and len(set(chosen)) == len(chosen)
        for helper in chosen:
            load[helper] += 1
    assert all(load[h] <= c for h, c in zip(helpers, capacities, strict=True))
    assert result.total_fit == best_total_by_brute_force(fit, size, np.array(capacities))
    counted = result.report.full + result.report.partial + result.report.empty
    assert counted == n_seekers


def test_fit_from_the_index_follows_declared_skills_and_evidence():
    people = [
        Person("sql-pro", offers=["SQL"]),
        Person("rustacean", offers=["rust"]),
        Person("learner", seeks=[Goal("sql")], offers=["rust"]),
    ]
    index = Index.build(people)

    fit = fit_from_index(index, [people[2]], ["sql-pro", "rustacean"]).toarray()

    assert fit[0, 0] == 1.0 and fit[0, 1] == 0.0
