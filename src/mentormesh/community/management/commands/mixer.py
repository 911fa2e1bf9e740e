"""mentormesh mixer --org SLUG --round NAME --group-size 2|3|4: run a mixer round."""

from django.core.management.base import BaseCommand, CommandError

from mentormesh.community.services import mixer_run
from mentormesh.errors import DomainError


class Command(BaseCommand):
    help = "Put an organization's opted-in members into groups (a mixer round) and tell them."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="The organization's slug.")
        parser.add_argument("--round", required=True, help="A name for the round, e.g. 2026-W48.")
        parser.add_argument("--group-size", type=int, choices=[2, 3, 4], default=2)

    def handle(self, *args, org, round, group_size, **options):
        try:
            result = mixer_run(organization_slug=org, name=round, group_size=group_size)
        except DomainError as error:
            raise CommandError(error.detail) from error
        groups = result.groups.count()
        self.stdout.write(
            f"Round “{result.name}”: {result.placed} of {result.opted_in} opted-in members placed "
            f"in {groups} groups; {result.repeats} repeated pairs; "
            f"{result.cross_department_share:.0%} of groups mix departments."
        )
        for row in result.unplaced:
            self.stdout.write(f"  not placed: @{row['handle']} ({row['why']})")
