from django.core.management.base import BaseCommand, CommandError

from mentormesh.people.demo import build_demo_network, demo_login_reset
from mentormesh.people.models import Profile


class Command(BaseCommand):
    help = "Create a realistic demo network (deterministic for a seed) and print a demo login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, default=300, help="How many people (default 300)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed; the same seed gives the same network."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Only build when there are no profiles yet."
        )

    def handle(self, *args, people, seed, if_empty, **options):
        if people < 1 or people > 200_000:
            raise CommandError("--people must be between 1 and 200000.")
        if if_empty and Profile.objects.exists():
            handle, email, password = demo_login_reset()
            self.stdout.write("Database has people already; demo network not rebuilt.")
        else:
            result = build_demo_network(people=people, seed=seed)
            handle, email, password = result.login_handle, result.login_email, result.login_password
            self.stdout.write(
                f"Created {result.people} people in {result.organizations} organizations (seed {seed})."
            )
        self.stdout.write(f"Demo login: {handle} {email} {password}")
