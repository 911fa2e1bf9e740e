"""User-written text: Markdown rendered to HTML that is safe to show anyone."""

import nh3
from markdown_it import MarkdownIt

# "js-default" disables raw HTML and unsafe link schemes; nh3 then removes anything left
# that is not on the allow-list, so a change of renderer cannot open a hole by itself.
_markdown = MarkdownIt("js-default", {"linkify": False, "typographer": True}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(source: str) -> str:
    html = _markdown.render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )


def money(minor_units: int | None, currency: str) -> str:
    """12550, "EUR" -> "125.50 EUR" (amounts are kept in integer minor units)."""
    if minor_units is None:
        return ""
    return f"{minor_units // 100:,}.{minor_units % 100:02d} {currency}"
