"""Ranking one request: who is in the pool, what evidence counts, what the reasons say."""

from datetime import timedelta

import pytest
from matching_builders import START, answer

from mentormesh.matching import signals
from mentormesh.matching.index import Index
from mentormesh.matching.model import Person, Request
from mentormesh.matching.vocabulary import Vocabulary, normalize_tag


def espresso_request(**changes):
    fields = {
        "id": "q1",
        "text": "How fine should I grind for espresso?",
        "tags": ("espresso",),
        "at": START + timedelta(days=400),
    }
    fields.update(changes)
    return Request(**fields)


def test_the_asker_is_never_ranked(espresso_crowd):
    index = Index.build(espresso_crowd)

    ranked = [m.person_id for m in index.rank(espresso_request(asker_id="barista"))]

    assert "barista" not in ranked
    assert set(ranked) == {"tea", "newcomer"}


def test_the_asker_is_left_out_even_when_listed_as_a_candidate(espresso_crowd):
    index = Index.build(espresso_crowd)
    request = espresso_request(asker_id="tea", candidates=("tea", "newcomer"))

    assert [m.person_id for m in index.rank(request)] == ["newcomer"]


def test_candidates_are_ranked_exactly_with_unknown_ones_last(espresso_crowd):
    index = Index.build(espresso_crowd)
    request = espresso_request(candidates=("ghost", "tea", "barista", "tea"))

    matches = index.rank(request, top_k=1)

    assert [m.person_id for m in matches] == ["barista", "tea", "ghost"]
    assert matches[-1].score == 0 and matches[-1].reasons == ()
    assert matches[0].reasons and not matches[1].reasons  # reasons only for the top 1


def test_the_espresso_regular_ranks_first_for_an_espresso_question(espresso_crowd):
    index = Index.build(espresso_crowd)

    assert index.rank(espresso_request())[0].person_id == "barista"


def test_evidence_after_the_request_is_ignored(espresso_crowd):
    given_later = Person(
        "latecomer",
        evidence=[answer("Espresso grind size, shot time", ["espresso"], d) for d in (500, 501)],
    )
    with_future = Index.build([*espresso_crowd, given_later])
    without_future = Index.build([*espresso_crowd, Person("latecomer")])
    request = espresso_request()

    later = with_future.rank(request)
    never = without_future.rank(request)

    # Same people, order and reasons; scores agree to float32 precision, because an index
    # whose evidence all predates the request takes its precomputed path.
    assert [(m.person_id, m.reasons) for m in later] == [(m.person_id, m.reasons) for m in never]
    assert [m.score for m in later] == pytest.approx([m.score for m in never], rel=1e-6)
    assert (later[-1].person_id, later[-1].score, later[-1].reasons) == ("latecomer", 0.0, ())


def test_reasons_count_the_real_evidence(espresso_crowd):
    index = Index.build(espresso_crowd)
    request = espresso_request()

    barista = next(m for m in index.rank(request) if m.person_id == "barista")

    # Five espresso answers before day 400; four of them (days 40 to 395) in the last year.
    assert "answered 5 questions tagged espresso (4 in the last year)" in barista.reasons
    assert "offers help with espresso" in barista.reasons


def test_reasons_only_count_what_was_known_at_the_request_time(espresso_crowd):
    index = Index.build(espresso_crowd)
    early = espresso_request(at=START + timedelta(days=50))

    barista = next(m for m in index.rank(early) if m.person_id == "barista")

    assert "answered 2 questions tagged espresso" in barista.reasons


def test_an_alias_finds_the_canonical_skill_and_related_skills_earn_partial_credit():
    vocabulary = Vocabulary(aliases={"k8s": "Kubernetes"}, related={"kubernetes": ["docker"]})
    people = [
        Person("operator", offers=["Kubernetes"]),
        Person("packager", offers=["docker"]),
        Person("designer", offers=["figma"]),
    ]
    index = Index.build(people, vocabulary=vocabulary)
    request = Request("q", "pods keep restarting", tags=("K8s",))

    matches = {m.person_id: m for m in index.rank(request)}

    assert matches["operator"].score > matches["packager"].score > matches["designer"].score
    assert "offers help with kubernetes" in matches["operator"].reasons
    assert "offers help with docker, close to kubernetes" in matches["packager"].reasons


def test_tags_fold_case_spaces_and_underscores():
    assert (
        normalize_tag(" Machine_Learning ")
        == normalize_tag("machine  learning")
        == ("machine-learning")
    )


def test_equal_scores_are_ordered_by_id():
    index = Index.build([Person(pid) for pid in ("c", "a", "b")])

    assert [m.person_id for m in index.rank(Request("q", "anything"))] == ["a", "b", "c"]


def test_the_precomputed_path_for_new_requests_matches_the_exact_one(espresso_crowd):
    index = Index.build(espresso_crowd)
    newest = max(item.at for person in espresso_crowd for item in person.evidence)
    now = signals.make_query(index, "grind espresso", ("espresso",), newest)
    assert now.cut == index.current.cut

    precomputed = signals.compute(index, now)
    index.current.cut = -1  # force the item-by-item path for the same query
    exact = signals.compute(index, now)

    for name in precomputed:
        assert precomputed[name] == pytest.approx(exact[name], rel=1e-6), name
