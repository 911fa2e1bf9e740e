"""`mentormesh rank`: rank people for requests from interchange files, without Django."""

from __future__ import annotations

import argparse
import sys

from mentormesh.matching.index import Index
from mentormesh.matching.interchange import (
    DEFAULT_TOP_K,
    InterchangeError,
    ranking_record,
    read_people,
    read_requests,
    write_rankings,
)

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentormesh rank",
        description="Rank people for each request and explain the top suggestions.",
    )
    parser.add_argument("--people", required=True, help="people.jsonl to rank from")
    parser.add_argument("--requests", required=True, help="requests.jsonl to route")
    parser.add_argument("--out", required=True, help="where to write the rankings (JSON Lines)")
    parser.add_argument(
        "--top",
        type=int,
        default=DEFAULT_TOP_K,
        metavar="K",
        help=f"how many people to rank and explain per request (default {DEFAULT_TOP_K})",
    )
    return parser


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        options = parser.parse_args(argv)
    except SystemExit as exit_request:  # argparse has already printed usage and the error
        return int(exit_request.code or 0)
    if options.top < 1:
        print(f"{parser.prog}: error: --top must be at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        index = Index.build(read_people(options.people))
        requests = read_requests(options.requests)
    except (InterchangeError, OSError) as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    records = (
        ranking_record(request.id, index.rank(request, top_k=options.top), options.top)
        for request in requests
    )
    try:
        written = write_rankings(options.out, records)
    except OSError as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"ranked {written} requests among {len(index)} people -> {options.out}", file=sys.stderr)
    return 0
