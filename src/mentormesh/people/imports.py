"""Importing an organization's people from CSV: all rows or none, every bad row reported."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from mentormesh.people import services
from mentormesh.people.languages import LANGUAGES
from mentormesh.people.models import (
    Level,
    Membership,
    Organization,
    Profile,
    Role,
    User,
    handle_validator,
)
from mentormesh.people.zones import timezone_names

REQUIRED_COLUMNS = ("email", "handle", "display_name")
OPTIONAL_COLUMNS = (
    "level", "timezone", "department", "title", "manager", "role", "headline", "languages", "offers", "seeks",
)  # fmt: skip
MAX_ROWS = 10_000


@dataclass
class RowProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    joined: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return f"{len(self.problems)} bad row(s); nothing was imported."
        verb = "would be" if self.dry_run else "were"
        return (
            f"{self.rows} row(s): {self.created} new account(s) {verb} created, {self.joined} existing "
            f"account(s) {verb} added, {self.updated} membership(s) {verb} updated, {self.unchanged} unchanged."
        )


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a failed import."""


def people_import_csv(*, organization: Organization, text: str, dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    reader = csv.DictReader(io.StringIO(text))
    columns = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        report.problems.append(RowProblem(1, f"missing column(s): {', '.join(missing)}"))
        return report
    unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        report.problems.append(RowProblem(1, f"unknown column(s): {', '.join(unknown)}"))
        return report
    rows = []
    try:
        for row in reader:
            rows.append(
                (reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k})
            )
            if len(rows) > MAX_ROWS:
                report.problems.append(
                    RowProblem(reader.line_num, f"more than {MAX_ROWS} rows; split the file")
                )
                return report
    except csv.Error as error:
        report.problems.append(RowProblem(reader.line_num, f"not valid CSV ({error})"))
        return report
    report.rows = len(rows)
    _check_rows(organization, rows, report)
    if report.problems:
        return report
    try:
        with transaction.atomic():
            for _line, row in rows:
                _apply_row(organization, row, report)
            _link_managers(organization, rows)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _check_rows(
    organization: Organization, rows: list[tuple[int, dict]], report: ImportReport
) -> None:
    handles_in_file: dict[str, int] = {}
    emails_in_file: dict[str, int] = {}
    existing_by_email = {
        u.email: u.handle
        for u in User.objects.filter(email__in=[r.get("email", "").lower() for _, r in rows])
    }
    existing_by_handle = {
        u.handle: u.email
        for u in User.objects.filter(handle__in=[r.get("handle", "").lower() for _, r in rows])
    }
    members = set(
        Membership.objects.filter(organization=organization).values_list("user__handle", flat=True)
    )
    zones = timezone_names()
    for line, row in rows:
        email = row.get("email", "").lower()
        handle = row.get("handle", "").lower()
        problems = []
        if not email:
            problems.append("missing email")
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"'{email}' is not an email address")
        if not handle:
            problems.append("missing handle")
        else:
            try:
                handle_validator(handle)
            except ValidationError:
                problems.append(f"'{handle}' is not a valid handle (3–30 of a-z, 0-9, '-', '_')")
        if not row.get("display_name"):
            problems.append("missing display_name")
        if handle in handles_in_file:
            problems.append(f"duplicate handle '{handle}' (also on line {handles_in_file[handle]})")
        if email and email in emails_in_file:
            problems.append(f"duplicate email '{email}' (also on line {emails_in_file[email]})")
        if handle and handle in existing_by_handle and existing_by_handle[handle] != email:
            problems.append(f"handle '{handle}' belongs to another account")
        if email and email in existing_by_email and existing_by_email[email] != handle:
            problems.append(
                f"email '{email}' belongs to @{existing_by_email[email]}, not @{handle}"
            )
        if row.get("level") and row["level"] not in Level.values:
            problems.append(f"unknown level '{row['level']}' (use {', '.join(Level.values)})")
        if row.get("timezone") and row["timezone"] not in zones:
            problems.append(
                f"bad time zone '{row['timezone']}' (use an IANA name like Europe/Paris)"
            )
        if row.get("role") and row["role"] not in Role.values:
            problems.append(f"unknown role '{row['role']}' (use member or admin)")
        bad_languages = [
            code for code in _split(row.get("languages", "")) if code.lower() not in LANGUAGES
        ]
        if bad_languages:
            problems.append(f"unknown language code '{bad_languages[0]}'")
        for column, limit in (
            ("display_name", 100),
            ("department", 100),
            ("title", 100),
            ("headline", 140),
        ):
            if len(row.get(column, "")) > limit:
                problems.append(f"{column} longer than {limit} characters")
        for problem in problems:
            report.problems.append(RowProblem(line, problem))
        handles_in_file.setdefault(handle, line)
        emails_in_file.setdefault(email, line)
    for line, row in rows:
        manager = row.get("manager", "").lower()
        if manager and manager not in handles_in_file and manager not in members:
            report.problems.append(
                RowProblem(
                    line,
                    f"unknown manager '{manager}': not in this file nor a member of {organization.slug}",
                )
            )
        if manager and manager == row.get("handle", "").lower():
            report.problems.append(RowProblem(line, "a person cannot be their own manager"))
    report.problems.sort(key=lambda problem: problem.line)


def _apply_row(organization: Organization, row: dict, report: ImportReport) -> None:
    handle, email = row["handle"].lower(), row["email"].lower()
    user = User.objects.filter(handle=handle).first()
    created_now = user is None
    if created_now:
        user = User.objects.create_user(handle, email, password=None)
        profile = Profile.objects.create(
            user=user, display_name=row["display_name"], headline=row.get("headline", ""),
            level=row.get("level", ""), timezone=row.get("timezone") or "UTC",
        )  # fmt: skip
        services.profile_languages_set(profile=profile, codes=_split(row.get("languages", "")))
        for skill in _split(row.get("offers", "")):
            services.offered_skill_set(user=user, skill_name=skill)
        for skill in _split(row.get("seeks", "")):
            services.sought_skill_set(user=user, skill_name=skill)
        report.created += 1
    wanted = {
        "role": row.get("role") or Role.MEMBER,
        "department": row.get("department", ""),
        "title": row.get("title", ""),
    }
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is None:
        Membership.objects.create(user=user, organization=organization, **wanted)
        if not created_now:
            report.joined += 1
    elif any(getattr(membership, key) != value for key, value in wanted.items()):
        Membership.objects.filter(pk=membership.pk).update(**wanted)
        report.updated += 1
    else:
        report.unchanged += 1


def _link_managers(organization: Organization, rows: list[tuple[int, dict]]) -> None:
    ids = dict(
        Membership.objects.filter(organization=organization).values_list("user__handle", "user_id")
    )
    for _line, row in rows:
        manager = row.get("manager", "").lower()
        manager_id = ids.get(manager) if manager else None
        Membership.objects.filter(
            organization=organization, user_id=ids[row["handle"].lower()]
        ).exclude(manager_id=manager_id).update(manager_id=manager_id)
