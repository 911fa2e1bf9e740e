"""Log in with a handle or an email address; authenticate API calls with a bearer token."""

import hashlib
import secrets

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from mentormesh.people.models import ApiToken, User

TOKEN_PREFIX = "mm_"  # noqa: S105 (a public marker, not a secret)


class HandleOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        login = username.strip().lower()
        field = "email__iexact" if "@" in login else "handle"
        try:
            user = User.objects.get(**{field: login})
        except User.DoesNotExist:
            # Spend the same time as a real check so response timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def user_for_token(token: str) -> User | None:
    """The active user owning this unrevoked token, touching its last-used time."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    try:
        api_token = ApiToken.objects.select_related("user").get(
            digest=token_digest(token), revoked_at__isnull=True, user__is_active=True
        )
    except ApiToken.DoesNotExist:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user
