"""On real data, the engine finds the people who went on to answer better than popularity."""

import os
from pathlib import Path

import pytest

from mentormesh.matching.evaluation import DevSet, evaluate, popularity_rankings
from mentormesh.matching.index import Index

DATA = Path(
    os.environ.get("MENTORMESH_MATCHING_DATA")
    or Path(__file__).resolve().parents[2].parent / "shared" / "data" / "matching"
)


@pytest.mark.skipif(not (DATA / "coffee").is_dir(), reason="shared matching data not present")
def test_the_engine_beats_popularity_on_the_coffee_dev_set():
    coffee = DevSet.load(DATA / "coffee")
    index = Index.build(coffee.people)

    engine = evaluate(
        {r.id: [m.person_id for m in index.rank(r)] for r in coffee.requests}, coffee.labels
    )
    popularity = evaluate(popularity_rankings(coffee.people, coffee.requests), coffee.labels)

    assert engine["MRR"] > popularity["MRR"] + 0.1
    assert engine["NDCG@10"] > popularity["NDCG@10"]
