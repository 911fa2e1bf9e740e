"""The JSON API: one NinjaAPI, a router per app, errors as {"error": code, "detail": text}."""

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from mentormesh.errors import DomainError
from mentormesh.people.auth import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionCookie(SessionAuth):
    """The browser session, CSRF-checked on writes. Without a logged-in session there is
    nothing to protect, so the caller is told 401 rather than "CSRF check failed"."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api = NinjaAPI(
    title="mentormesh API",
    version="1",
    description=(
        "Mentorship as a network. Authenticate with the session cookie (send the CSRF token "
        "on writes) or with `Authorization: Bearer <token>` from `mentormesh token create` or "
        'your settings page. Errors are `{"error": code, "detail": text}`.'
    ),
    auth=[BearerToken(), SessionCookie()],
    urls_namespace="api",
)


def _error(request, status: int, code: str, detail: str):
    return api.create_response(request, {"error": code, "detail": detail}, status=status)


def _location(loc) -> str:
    # ("body", "payload", "timezone") -> "timezone": the field a person would recognise.
    parts = [str(part) for part in loc if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    field = _location(first.get("loc", ()))
    message = first.get("msg", "invalid input")
    details = "; ".join(
        f"{_location(e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors[:5]
    )
    return _error(request, 422, "invalid", details or f"{field}: {message}")


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.detail)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", "Log in or send a valid bearer token.")


HTTP_ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    405: "method_not_allowed",
    429: "throttled",
}


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # Ninja's own refusals (e.g. a body that is not JSON) keep the documented error shape.
    code = HTTP_ERROR_CODES.get(exc.status_code, "error")
    return _error(request, exc.status_code, code, str(exc))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", str(exc) or "Not found.")


api.add_router("/", "mentormesh.people.api.router")
api.add_router("/", "mentormesh.discover.api.router")
api.add_router("/", "mentormesh.connect.api.router")
api.add_router("/", "mentormesh.community.api.router")
api.add_router("/", "mentormesh.experts.api.router")
