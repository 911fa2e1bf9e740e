from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentormesh.errors import NotFound
from mentormesh.people.imports import people_import_csv
from mentormesh.people.selectors import organization_get


class Command(BaseCommand):
    help = "Import an organization's people from CSV: all rows or none; every bad row is reported."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="The organization's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, file: Path, org: str, dry_run: bool, **options):
        try:
            organization = organization_get(org)
        except NotFound as error:
            raise CommandError(error.detail) from error
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"{file}: no such file.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}: not UTF-8 text; save it as 'CSV UTF-8'.") from error
        report = people_import_csv(organization=organization, text=text, dry_run=dry_run)
        for problem in report.problems:
            self.stderr.write(f"{file}:{problem}")
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(("Dry run: " if dry_run else "") + report.summary())
