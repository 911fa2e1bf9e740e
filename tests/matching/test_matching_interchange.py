"""Interchange files and the `mentormesh rank` command."""

import json

import pytest

from mentormesh.matching.cli import main
from mentormesh.matching.interchange import InterchangeError, read_people, read_requests

PEOPLE = [
    {
        "id": "u1",
        "name": "",
        "headline": "",
        "bio": "",
        "offers": ["espresso"],
        "seeks": [],
        "evidence": [
            {
                "kind": "answer",
                "text": "Question: grind?\n\nAnswer: finer for espresso",
                "tags": ["espresso"],
                "at": "2015-01-02T10:00:00.000+00:00",
                "score": 3,
            }
        ],
    },
    {"id": "u2", "offers": [], "seeks": [], "evidence": []},
    {"id": "u3", "offers": ["tea"], "seeks": [], "evidence": []},
]
REQUESTS = [
    {
        "id": "q1",
        "asker": "u2",
        "text": "Espresso grind size",
        "tags": ["espresso"],
        "at": "2015-02-01T00:00:00.000+00:00",
    },
    {
        "id": "q2",
        "asker": None,
        "text": "tea",
        "tags": [],
        "at": "2015-02-01T00:00:00+00:00",
        "candidates": ["u3", "u9", "u1"],
    },
]


def write_lines(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('{"name": "no id"}', "missing required field 'id'"),
        ('{"id": 7}', "field 'id' must be a string"),
        ('{"id": "u9", "offers": "espresso"}', "field 'offers' must be a list"),
        ('{"id": "u9", "evidence": [{"at": "yesterday"}]}', "not an ISO 8601 time"),
        ('{"id": "u1"}', "person id 'u1' already given on line 1"),
    ],
)
def test_a_malformed_line_is_reported_with_its_file_and_line_number(tmp_path, bad_line, problem):
    path = write_lines(tmp_path / "people.jsonl", PEOPLE[:2])
    path.write_text(path.read_text() + bad_line + "\n")

    with pytest.raises(InterchangeError) as raised:
        read_people(path)

    assert raised.value.line_number == 3
    assert f"{path}, line 3" in str(raised.value) and problem in str(raised.value)


def test_requests_keep_candidates_and_a_missing_asker(tmp_path):
    requests = read_requests(write_lines(tmp_path / "requests.jsonl", REQUESTS))

    assert requests[0].asker_id == "u2" and requests[0].candidates is None
    assert requests[1].asker_id is None and requests[1].candidates == ("u3", "u9", "u1")


def test_rank_writes_one_ranking_per_request_with_reasons_for_the_top(tmp_path, capsys):
    people = write_lines(tmp_path / "people.jsonl", PEOPLE)
    requests = write_lines(tmp_path / "requests.jsonl", REQUESTS)
    out = tmp_path / "rankings.jsonl"

    code = main(
        ["--people", str(people), "--requests", str(requests), "--out", str(out), "--top", "1"]
    )

    assert code == 0
    first, second = [json.loads(line) for line in out.read_text().splitlines()]
    assert first["id"] == "q1" and first["ranked"] == ["u1"]  # u2 asked; u3 ranks below top 1
    assert first["reasons"]["u1"][0] == "answered 1 question tagged espresso"
    assert sorted(second["ranked"][:2]) == ["u1", "u3"]  # every candidate is ranked ...
    assert second["ranked"][2] == "u9"  # ... and the one the index does not know comes last
    assert list(second["reasons"]) == second["ranked"][:1]


def test_rank_exits_2_with_one_line_naming_the_bad_line(tmp_path, capsys):
    people = write_lines(tmp_path / "people.jsonl", PEOPLE)
    requests = tmp_path / "requests.jsonl"
    requests.write_text(json.dumps(REQUESTS[0]) + "\n" + '{"id": "q2", "tags": "tea"}\n')

    code = main(
        ["--people", str(people), "--requests", str(requests), "--out", str(tmp_path / "out.jsonl")]
    )

    error = capsys.readouterr().err
    assert code == 2
    assert error.count("\n") == 1 and "line 2" in error and "'tags'" in error
    assert error.startswith("mentormesh rank: error:")
