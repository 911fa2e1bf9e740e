"""Free-text search in the engine (who is about the text, the pool rules) and skill labels
in the reasons people read."""

from datetime import UTC, datetime

import pytest
from matching_builders import answer

from mentormesh.matching import board
from mentormesh.matching.index import Index
from mentormesh.matching.model import Goal, Person, Request
from mentormesh.matching.vocabulary import Vocabulary

MONDAY = datetime(2025, 3, 3, 12, tzinfo=UTC)


def found(index: Index, text: str, **request) -> list[str]:
    return [match.person_id for match in index.search(Request("q", text, **request))]


@pytest.fixture
def town():
    """An expert who offers Rust and writes about it; someone who mentions Rust once; a
    gardener; an answerer whose evidence (not profile) is about lifetimes; and a blank."""
    return Index.build(
        [
            Person(
                "expert",
                offers=[("rust", 5)],
                bio="Rust every day: async Rust services and Rust tooling.",
            ),
            Person("mention", bio="Backend developer who tried Rust once."),
            Person("gardener", headline="Roses and tomatoes"),
            Person("answerer", evidence=[answer("Borrow checker lifetimes explained", [], 10)]),
            Person("blank"),
        ]
    )


def test_only_people_the_text_is_about_are_found_most_relevant_first(town):
    """Given the town, when "rust" is searched, then only the expert and the one who mentions
    Rust come back, the expert first, with scores best first and no reasons."""
    matches = town.search(Request("q", "rust"))

    assert [m.person_id for m in matches] == ["expert", "mention"]
    assert matches[0].score > matches[1].score > 0
    assert all(m.reasons == () for m in matches)


def test_profile_text_and_evidence_both_make_a_person_relevant(town):
    """Given the town, when "roses" and then "lifetimes" are searched, then the gardener (by
    headline) and the answerer (by what they answered) are found, alone."""
    assert found(town, "roses") == ["gardener"]
    assert found(town, "lifetimes") == ["answerer"]


def test_text_nobody_is_about_finds_nobody(town):
    """Given the town, when a word nobody uses is searched, then nobody comes back (not the
    whole network in some order)."""
    assert found(town, "zyzzyva") == []
    assert found(town, "   ") == []


def test_a_declared_skill_counts_for_someone_without_evidence():
    """Given Dee declares Kubernetes (and writes nothing), Moe mentions Kubernetes once in
    his bio, and "k8s" is an alias of Kubernetes, when "kubernetes" and "k8s" are searched,
    then Dee is found both times and ranks above Moe; "k8s" does not find Moe."""
    vocabulary = Vocabulary(aliases={"k8s": "kubernetes"})
    index = Index.build(
        [
            Person("dee", offers=[("kubernetes", 5)]),
            Person("moe", bio="Backend developer; once deployed to Kubernetes."),
        ],
        vocabulary,
    )

    assert found(index, "kubernetes") == ["dee", "moe"]
    assert found(index, "k8s") == ["dee"]


def test_evidence_tagged_with_the_skill_counts_too():
    """Given Tia answered questions tagged espresso whose text never says espresso, when
    "espresso" is searched, then Tia is found."""
    index = Index.build(
        [
            Person("tia", evidence=[answer("Grind finer and pull shorter", ["espresso"], 5)]),
            Person("other", evidence=[answer("Steep green tea cooler", ["tea"], 5)]),
        ]
    )

    assert found(index, "espresso") == ["tia"]


def test_the_asker_is_never_found(town):
    """Given the expert searches "rust", with or without a list of candidates that names
    them, then they are not among the results."""
    assert found(town, "rust", asker_id="expert") == ["mention"]
    assert found(town, "rust", asker_id="expert", candidates=("expert", "mention")) == ["mention"]


def test_candidates_are_the_whole_pool_and_unknown_ones_are_dropped(town):
    """Given candidates that leave out the expert, name a ghost the index does not know, and
    repeat someone, when "rust" is searched, then only relevant candidates come back, each
    once; the ghost is dropped (nothing about them matches) and the expert is not added."""
    result = found(town, "rust", candidates=("ghost", "mention", "gardener", "mention"))

    assert result == ["mention"]
    assert found(town, "rust", candidates=()) == []


def test_candidates_keep_relevance_order_not_the_order_given(town):
    """Given candidates listed worst first, when "rust" is searched, then the expert still
    comes first."""
    assert found(town, "rust", candidates=("mention", "expert")) == ["expert", "mention"]


# --- Skill labels in reasons ---------------------------------------------------------------

ML_LABELS = {"machine-learning": "Machine learning"}


def test_a_label_is_found_by_any_spelling_or_alias_of_the_skill():
    """Given labels keyed by a display name and by an alias, when a skill's label is asked
    by its canonical key, then the label comes back; an unlabelled skill reads as its key."""
    vocabulary = Vocabulary(
        aliases={"ml": "machine-learning", "k8s": "kubernetes"},
        labels={"Machine Learning": "Machine learning", "K8s": "Kubernetes"},
    )

    assert vocabulary.label("machine-learning") == "Machine learning"
    assert vocabulary.label("kubernetes") == "Kubernetes"
    assert vocabulary.label("rust") == "rust"


@pytest.mark.parametrize(
    ("labels", "written"),
    [(ML_LABELS, "Machine learning"), (None, "machine-learning")],
    ids=["labelled", "unlabelled"],
)
def test_ranking_reasons_name_the_skill_by_its_label(labels, written):
    """Given Mia offers machine learning and answered two questions tagged with it, when a
    request about machine learning is ranked, then her reasons name the skill as labelled
    ("Machine learning"), or by its key without a label."""
    index = Index.build(
        [
            Person(
                "mia",
                offers=["Machine Learning"],
                evidence=[answer("Feature scaling", ["machine_learning"], d) for d in (1, 2)],
            ),
            Person("other"),
        ],
        Vocabulary(labels=labels),
    )

    (mia, *_) = index.rank(Request("q", "Where to start?", tags=("machine learning",)))

    assert mia.person_id == "mia"
    assert f"offers help with {written}" in mia.reasons
    assert any(r.endswith(f"tagged {written}") for r in mia.reasons), mia.reasons


def test_board_reasons_name_skills_by_their_labels():
    """Given Me wants to learn machine learning and offers SQL, Mia offers machine learning
    and wants SQL, with labels for both skills, when Me's board is made, then Mia helps with
    "Machine learning" and is someone Me could help with "SQL", both as labelled."""
    vocabulary = Vocabulary(labels={**ML_LABELS, "sql": "SQL"})
    me = Person("me", offers=["sql"], seeks=[Goal("machine-learning", "", 2)])
    mia = Person("mia", offers=["machine-learning"], seeks=["sql"])
    index = Index.build([me, mia], vocabulary)

    result = board(index, me, at=MONDAY)

    (suggested,) = result.goals[0].suggestions
    (helped,) = result.could_help
    as_suggested, as_helped = " | ".join(suggested.reasons), " | ".join(helped.reasons)
    assert "helps with Machine learning" in as_suggested
    assert "wants to learn SQL" in as_suggested
    assert "wants to learn SQL" in as_helped and "offers Machine learning" in as_helped
    assert "machine-learning" not in as_suggested + as_helped
    assert "sql" not in as_suggested + as_helped
