from django.core.management.base import BaseCommand, CommandError

from mentormesh.errors import NotFound
from mentormesh.people import services
from mentormesh.people.models import User


class Command(BaseCommand):
    help = "Personal API tokens: `token create --user HANDLE` prints a new token alone on stdout."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it (shown once).")
        create.add_argument("--user", required=True, help="The user's handle.")
        create.add_argument("--name", default="cli", help="What the token is for.")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("--id", type=int, required=True)

    def handle(self, *args, action: str, user: str, **options):
        owner = User.objects.filter(handle=user.lower(), is_active=True).first()
        if owner is None:
            raise CommandError(f"No active user with the handle '{user}'.")
        if action == "create":
            _, secret = services.api_token_create(user=owner, name=options["name"])
            self.stdout.write(secret)
        else:
            try:
                services.api_token_revoke(user=owner, token_id=options["id"])
            except NotFound as error:
                raise CommandError(error.detail) from error
            self.stdout.write("Revoked.")
