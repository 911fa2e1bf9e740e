"""mentormesh shortlist --org SLUG [--cohort NAME] --size 3 --out FILE.csv"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentormesh.discover import selectors, services
from mentormesh.errors import DomainError
from mentormesh.people.selectors import organization_get


class Command(BaseCommand):
    help = (
        "Suggest up to SIZE helpers to every seeker of an organization's program (or one "
        "cohort), never more lists per helper than their free capacity allows, and write "
        "them as CSV. Seekers then choose whom to ask; nobody is assigned."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help="organization slug")
        parser.add_argument("--cohort", help="cohort name; default: every member")
        parser.add_argument("--size", type=int, default=3, help="helpers per seeker (1-10)")
        parser.add_argument(
            "--capacity-multiple",
            type=int,
            default=1,
            help="a helper may appear in free capacity × this many lists (1-10)",
        )
        parser.add_argument("--out", required=True, type=Path, help="CSV file to write")

    def handle(self, *args, **options) -> None:
        out_path: Path = options["out"]
        try:
            # Opened first: a run is only kept (and shown to seekers) when its file is written.
            out = out_path.open("w", newline="", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {out_path}: {error.strerror}") from error
        with out:
            try:
                organization = organization_get(options["org"])
                cohort = (
                    selectors.cohort_get(organization=organization, name=options["cohort"])
                    if options["cohort"]
                    else None
                )
                run = services.shortlist_run(
                    organization=organization,
                    by=None,
                    cohort=cohort,
                    size=options["size"],
                    capacity_multiple=options["capacity_multiple"],
                )
            except DomainError as error:
                out.close()
                out_path.unlink(missing_ok=True)
                raise CommandError(error.detail) from error
            csv.writer(out).writerows(selectors.shortlist_csv_rows(run))
        self.stdout.write(
            f"{run.seekers} seekers, {run.helpers} helpers: {run.full} full, "
            f"{run.partial} partial, {run.empty} empty shortlists → {out_path}"
        )
        reasons: dict[str, int] = {}
        for entry in run.entries.exclude(reason=""):
            reasons[entry.reason] = reasons.get(entry.reason, 0) + 1
        for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {count} × {reason}")
