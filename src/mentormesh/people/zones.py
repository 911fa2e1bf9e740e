"""IANA time zones: validation and the list offered in forms."""

from functools import cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError


@cache
def timezone_names() -> frozenset[str]:
    # "localtime" and the POSIX-style aliases are not zones a person would pick.
    return frozenset(
        name for name in available_timezones() if "/" in name or name in {"UTC", "GMT"}
    )


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError(
            "'%(value)s' is not an IANA time zone (e.g. Europe/Berlin, America/New_York).",
            code="invalid_timezone",
            params={"value": value},
        )
