"""Writes for posts: write and edit a draft, share it with friends for comments, publish.

Markdown is rendered by `mentormesh.text.render_markdown` (no raw HTML, an allow-list after),
so script never survives. ``@handle`` becomes a link to that person when they exist and
stays plain text when not; on publishing, each person named is told.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentormesh.community.models import DraftComment, Post, PostStatus
from mentormesh.discover.network import network_changed
from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied
from mentormesh.notifications.services import notify
from mentormesh.people.models import User
from mentormesh.people.selectors import skills_named
from mentormesh.text import render_markdown

# "@ana" or "@ana-li" after a space, a bracket or the start; not an email's "a@b.c".
MENTION = re.compile(r"(?<![\w@/])@([a-z0-9](?:[a-z0-9_-]{1,28}[a-z0-9]))\b", re.IGNORECASE)
MAX_SKILLS = 5


def _url(post: Post) -> str:
    return reverse("post", args=[post.pk])


# Split rendered HTML into tags and text; mentions count only in text outside these.
_TAG = re.compile(r"(<[^>]*>)")
_NO_MENTIONS_IN = {"a", "code", "pre"}


def _text_parts(html: str):
    """(index, text) of the text between tags that is not inside a link or code."""
    parts = _TAG.split(html)
    depth = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = part.strip("</> ").split(" ", 1)[0].lower()
            if name in _NO_MENTIONS_IN:
                depth += -1 if part.startswith("</") else 1
        elif depth == 0:
            yield index, part


def render_post(body: str) -> tuple[str, list[User]]:
    """Markdown to safe HTML, with a link for each @handle in plain text that names someone
    (not in code or a link's text); the people named, in order, once each."""
    html = render_markdown(body)
    parts = _TAG.split(html)
    texts = list(_text_parts(html))
    handles = list(dict.fromkeys(m.lower() for _, text in texts for m in MENTION.findall(text)))
    found = {u.handle: u for u in User.objects.filter(handle__in=handles, is_active=True)}

    def link(match: re.Match) -> str:
        handle = match.group(1).lower()
        if handle not in found:
            return match.group(0)
        # Handles are [a-z0-9_-] only, so this markup needs no escaping.
        return f'<a href="{reverse("person", args=[handle])}">@{handle}</a>'

    for index, text in texts:
        parts[index] = MENTION.sub(link, text)
    return "".join(parts), [found[h] for h in handles if h in found]


def _fields(title: str, body: str, skills: Iterable[str]) -> tuple[str, list]:
    title = title.strip()
    if not title or len(title) > 160:
        raise DomainError("title: 1 to 160 characters.", field="title")
    if not body.strip():
        raise DomainError("body: write something first.", field="body")
    if len(body) > 20_000:
        raise DomainError("body: at most 20000 characters.", field="body")
    names = [name.strip() for name in skills if name.strip()]
    if len(names) > MAX_SKILLS:
        raise DomainError(f"skills: at most {MAX_SKILLS}.", field="skills")
    return title, skills_named(names)


@transaction.atomic
def post_create(*, author: User, title: str, body: str, skills: Iterable[str] = ()) -> Post:
    """A new draft; only its author (and the friends they share it with) can see it."""
    title, resolved = _fields(title, body, skills)
    post = Post.objects.create(
        author=author, title=title, body=body, body_html=render_post(body)[0]
    )
    post.skills.set(resolved)
    return post


def _own(post_id: int, by: User) -> Post:
    post = Post.objects.filter(pk=post_id).first()
    if post is None or (post.author_id != by.pk and not _can_see(post, by)):
        raise NotFound(f"No post {post_id} that you can see.")
    if post.author_id != by.pk:
        raise PermissionDenied("Only the author can change this post.")
    return post


def _can_see(post: Post, user: User) -> bool:
    from mentormesh.community.selectors import posts_visible_to

    return posts_visible_to(user).filter(pk=post.pk).exists()


@transaction.atomic
def post_update(
    *, post_id: int, by: User, title: str, body: str, skills: Iterable[str] = ()
) -> Post:
    post = _own(post_id, by)
    title, resolved = _fields(title, body, skills)
    body_html, people = render_post(body)
    before = set(post.mentions.values_list("pk", flat=True))
    Post.objects.filter(pk=post.pk).update(
        title=title, body=body, body_html=body_html, updated_at=timezone.now()
    )
    post.refresh_from_db()
    post.skills.set(resolved)
    if post.status == PostStatus.PUBLISHED:
        # Mentions follow the text: a name taken out leaves; only new names are told.
        post.mentions.set(people)
        _tell_mentioned(post, [user for user in people if user.pk not in before])
        network_changed()
    return post


def _tell_mentioned(post: Post, people: list[User]) -> None:
    """Record the mentions; tell each person who can read the post (no one else learns of
    a post they cannot open)."""
    from mentormesh.people.selectors import profiles_visible_to

    post.mentions.add(*people)
    for user in people:
        if user.pk != post.author_id and (
            profiles_visible_to(user).filter(user_id=post.author_id).exists()
        ):
            notify(user=user, kind="mention", url=_url(post),
                   text=f"@{post.author.handle} referenced you in “{post.title}”")  # fmt: skip


@transaction.atomic
def post_publish(*, post_id: int, by: User) -> Post:
    post = _own(post_id, by)
    # Rendered again: someone named may have joined since the draft was written.
    body_html, people = render_post(post.body)
    if not Post.objects.filter(pk=post.pk, status=PostStatus.DRAFT).update(
        status=PostStatus.PUBLISHED, published_at=timezone.now(), body_html=body_html
    ):
        raise Conflict("This post is already published.")
    post.refresh_from_db()
    _tell_mentioned(post, people)
    network_changed()
    return post


@transaction.atomic
def post_share(*, post_id: int, by: User, handle: str) -> User:
    """Share a draft with a friend, who can read it and comment before it is published."""
    post = _own(post_id, by)
    if post.status != PostStatus.DRAFT:
        raise Conflict("This post is published; everyone who can see it can read it.")
    friend = User.objects.filter(
        handle=handle.strip().lower().removeprefix("@"), is_active=True
    ).first()
    if friend is None:
        raise DomainError(
            f"handle: no one with the handle @{handle.removeprefix('@')}.", field="handle"
        )
    if friend.pk == by.pk:
        raise DomainError("handle: share it with someone else.", field="handle")
    post.reviewers.add(friend)
    notify(user=friend, kind="draft_review", url=_url(post),
           text=f"@{by.handle} would like your comments on a draft: “{post.title}”")  # fmt: skip
    return friend


@transaction.atomic
def draft_comment(*, post_id: int, by: User, text: str) -> DraftComment:
    """The author or a friend it was shared with comments on a draft."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None or not (post.author_id == by.pk or post.reviewers.filter(pk=by.pk).exists()):
        raise NotFound(f"No draft {post_id} shared with you.")
    if post.status != PostStatus.DRAFT:
        raise Conflict("Comments are for drafts; this post is published.")
    text = text.strip()
    if not text or len(text) > 2000:
        raise DomainError("text: 1 to 2000 characters.", field="text")
    comment = DraftComment.objects.create(post=post, author=by, text=text)
    if by.pk != post.author_id:
        notify(user=post.author, kind="draft_comment", url=_url(post),
               text=f"@{by.handle} commented on your draft “{post.title}”")  # fmt: skip
    return comment
