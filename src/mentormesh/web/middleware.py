"""Request middleware: refuse NUL characters; show times in the viewer's time zone.

NUL:
PostgreSQL cannot store U+0000 in text and raises on it (a 500), while SQLite stores it, so
the same request behaved differently per database. Django forms already refuse NUL; this covers
URLs, query strings and JSON bodies, with one clear 400 for both pages and the API.
"""

import zoneinfo
from urllib.parse import unquote

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone

from mentormesh.people.models import Profile

NUL_DETAIL = "Text may not contain NUL (\\u0000) characters."


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"error": "invalid", "detail": NUL_DETAIL}, status=400)
            return HttpResponseBadRequest(NUL_DETAIL)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return True
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        return False


class ViewerTimeZoneMiddleware:
    """Show times in the viewer's own time zone (stored in UTC, shown in theirs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated:
            zone = Profile.objects.filter(user=user).values_list("timezone", flat=True).first()
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)
