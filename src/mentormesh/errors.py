"""Domain errors: raised by services, mapped to a clear message by pages and the API."""


class DomainError(Exception):
    """A rule of the product was broken; `code` is stable, `detail` is for people."""

    code = "invalid"
    status = 400

    def __init__(self, detail: str, *, field: str | None = None, code: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if code:
            self.code = code


class NotFound(DomainError):
    """The object does not exist or the viewer may not see it (never tell which)."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class TooMany(DomainError):
    """A limit on how often something may be done was reached."""

    code = "too_many"
    status = 429


def or_404(read, **kwargs):
    """Call a selector for a page; a NotFound becomes the page's 404."""
    from django.http import Http404

    try:
        return read(**kwargs)
    except NotFound as error:
        raise Http404(error.detail) from error
