"""Writes for people: accounts, profiles, skills, availability, organizations, tokens.

Every function takes keyword arguments, runs in one transaction and raises a DomainError
naming the field when input breaks a rule, so pages and the API report it the same way.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied
from mentormesh.people.auth import new_token_secret, token_digest
from mentormesh.people.languages import LANGUAGES
from mentormesh.people.models import (
    ApiToken,
    AvailabilityWindow,
    Invitation,
    Membership,
    OfferedSkill,
    Organization,
    Priority,
    Proficiency,
    Profile,
    ProfileLanguage,
    Role,
    Skill,
    SkillAlias,
    SoughtSkill,
    User,
)
from mentormesh.people.selectors import skill_resolve
from mentormesh.people.signals import people_bulk_changed
from mentormesh.people.vocab import load_vocabulary_file, normalize_skill_key

PROFILE_FIELDS = {
    "display_name", "headline", "bio", "level", "years_experience", "timezone", "location",
    "links", "max_mentees", "hours_per_month", "open_to_mentor", "open_to_be_mentored",
    "open_to_reverse", "open_to_paid", "paid_rate_minor", "paid_currency", "visibility",
}  # fmt: skip
MAX_LINKS = 10
INVITATION_LIFETIME = timedelta(days=14)


def domain_error_from(error: ValidationError) -> DomainError:
    """The first problem of a Django ValidationError, as a DomainError naming its field."""
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        message = errors[0].messages[0]
        return DomainError(f"{field}: {message}", field=field)
    return DomainError(error.messages[0])


def _full_clean(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise domain_error_from(error) from error


# --- Accounts -----------------------------------------------------------------------------


@transaction.atomic
def user_signup(
    *, handle: str, email: str, password: str, display_name: str, timezone_name: str = "UTC"
) -> User:
    handle = handle.strip().lower()
    email = email.strip().lower()
    if User.objects.filter(handle=handle).exists():
        raise Conflict(f"handle: @{handle} is taken; try another.", field="handle")
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(
            "email: an account with this email exists; log in or reset your password.",
            field="email",
        )
    user = User(handle=handle, email=email)
    _full_clean(user, exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(f"password: {error.messages[0]}", field="password") from error
    user.set_password(password)
    user.save()
    profile = Profile(user=user, display_name=display_name.strip(), timezone=timezone_name)
    _full_clean(profile)
    profile.save()
    return user


# --- Profiles -----------------------------------------------------------------------------


def _validate_links(links: Any) -> list[dict[str, str]]:
    from django.core.validators import URLValidator

    if not isinstance(links, list) or len(links) > MAX_LINKS:
        raise DomainError(f"links: give a list of at most {MAX_LINKS} links.", field="links")
    cleaned = []
    url_validator = URLValidator(schemes=["http", "https"])
    for link in links:
        if not isinstance(link, dict) or not isinstance(link.get("url"), str):
            raise DomainError(
                "links: each link needs a 'url' (and an optional 'label').", field="links"
            )
        label = str(link.get("label") or "").strip()[:60]
        try:
            url_validator(link["url"])
        except ValidationError as error:
            raise DomainError(
                f"links: '{link['url'][:80]}' is not an http(s) URL.", field="links"
            ) from error
        cleaned.append({"label": label or link["url"], "url": link["url"]})
    return cleaned


@transaction.atomic
def profile_update(*, user: User, changes: dict[str, Any]) -> Profile:
    """Apply a partial change to the user's profile; unknown fields are refused."""
    from mentormesh.text import render_markdown

    unknown = set(changes) - PROFILE_FIELDS - {"languages"}
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(f"{field}: not a profile field.", field=field)
    for field, value in changes.items():
        # An explicit null (the API's PATCH allows it) clears only what may be empty.
        if value is None and (field == "languages" or not Profile._meta.get_field(field).null):
            raise DomainError(
                f"{field}: cannot be null; leave the field out to keep it.", field=field
            )
    profile = Profile.objects.select_for_update().get(user=user)
    for field, value in changes.items():
        if field == "languages":
            continue
        if field == "links":
            value = _validate_links(value)
        if field == "paid_currency" and value:
            value = value.upper()
        setattr(profile, field, value)
    if profile.open_to_paid and (profile.paid_rate_minor is None or not profile.paid_currency):
        raise DomainError(
            "paid_rate_minor: to be open to paid sessions, set an hourly rate and a currency.",
            field="paid_rate_minor",
        )
    if profile.paid_currency and (
        len(profile.paid_currency) != 3 or not profile.paid_currency.isalpha()
    ):
        raise DomainError(
            "paid_currency: use a 3-letter ISO 4217 code such as EUR.", field="paid_currency"
        )
    _full_clean(profile)
    profile.bio_html = render_markdown(profile.bio)
    profile.save()
    if "languages" in changes:
        profile_languages_set(profile=profile, codes=changes["languages"])
    return profile


def profile_languages_set(*, profile: Profile, codes: Iterable[str]) -> None:
    codes = [code.strip().lower() for code in codes]
    unknown = [code for code in codes if code not in LANGUAGES]
    if unknown:
        raise DomainError(
            f"languages: '{unknown[0]}' is not a language code we know (use ISO 639-1, e.g. en, de).",
            field="languages",
        )
    ProfileLanguage.objects.filter(profile=profile).exclude(code__in=codes).delete()
    existing = set(ProfileLanguage.objects.filter(profile=profile).values_list("code", flat=True))
    ProfileLanguage.objects.bulk_create(
        [
            ProfileLanguage(profile=profile, code=code)
            for code in dict.fromkeys(codes)
            if code not in existing
        ]
    )


# --- Skills -------------------------------------------------------------------------------


@transaction.atomic
def skill_get_or_add(*, name: str, added_by: User | None) -> Skill:
    """Resolve a skill by name or alias; an unknown one is added, unreviewed, for staff."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("skill: name the skill.", field="skill")
    if len(name) > 60:
        raise DomainError("skill: a skill name has at most 60 characters.", field="skill")
    skill = skill_resolve(name)
    if skill is not None:
        return skill
    skill = Skill(name=name, reviewed=False, created_by=added_by)
    try:
        with transaction.atomic():
            skill.save()
    except IntegrityError:  # someone added the same new skill a moment ago
        skill = Skill.objects.get(key=normalize_skill_key(name))
    return skill


@transaction.atomic
def offered_skill_set(
    *, user: User, skill_name: str, proficiency: int = Proficiency.PROFICIENT, note: str = ""
) -> OfferedSkill:
    if proficiency not in Proficiency.values:
        raise DomainError(
            "proficiency: choose 1 (familiar), 2 (proficient) or 3 (expert).", field="proficiency"
        )
    if len(note) > 200:
        raise DomainError("note: at most 200 characters.", field="note")
    skill = skill_get_or_add(name=skill_name, added_by=user)
    offer, _ = OfferedSkill.objects.update_or_create(
        user=user, skill=skill, defaults={"proficiency": proficiency, "note": note.strip()}
    )
    return offer


@transaction.atomic
def sought_skill_set(
    *, user: User, skill_name: str, goal: str = "", priority: int = Priority.MEDIUM
) -> SoughtSkill:
    if priority not in Priority.values:
        raise DomainError("priority: choose 1 (high), 2 (medium) or 3 (low).", field="priority")
    if len(goal) > 300:
        raise DomainError("goal: at most 300 characters.", field="goal")
    skill = skill_get_or_add(name=skill_name, added_by=user)
    sought, _ = SoughtSkill.objects.update_or_create(
        user=user, skill=skill, defaults={"goal": goal.strip(), "priority": priority}
    )
    return sought


def offered_skill_remove(*, user: User, offer_id: int) -> None:
    deleted, _ = OfferedSkill.objects.filter(user=user, pk=offer_id).delete()
    if not deleted:
        raise NotFound("That skill is not on your profile.")


def sought_skill_remove(*, user: User, sought_id: int) -> None:
    deleted, _ = SoughtSkill.objects.filter(user=user, pk=sought_id).delete()
    if not deleted:
        raise NotFound("That goal is not on your profile.")


@transaction.atomic
def profile_apply(*, user: User, changes: dict[str, Any]) -> Profile:
    """One change to a profile and its lists (offers, seeks, availability replace whole):
    all of it applies, or none of it."""
    offers = changes.pop("offers", None)
    seeks = changes.pop("seeks", None)
    windows = changes.pop("availability", None)
    profile = profile_update(user=user, changes=changes)
    if offers is not None:
        user.offered_skills.all().delete()
        for offer in offers:
            offered_skill_set(
                user=user,
                skill_name=offer["skill"],
                proficiency=offer.get("proficiency", 2),
                note=offer.get("note", ""),
            )
    if seeks is not None:
        user.sought_skills.all().delete()
        for seek in seeks:
            sought_skill_set(
                user=user,
                skill_name=seek["skill"],
                goal=seek.get("goal", ""),
                priority=seek.get("priority", 2),
            )
    if windows is not None:
        user.availability.all().delete()
        for window in windows:
            availability_add(
                user=user,
                weekday=window["weekday"],
                start=time.fromisoformat(window["start"]),
                end=time.fromisoformat(window["end"]),
            )
    return profile


# --- Availability -------------------------------------------------------------------------


@transaction.atomic
def availability_add(*, user: User, weekday: int, start: time, end: time) -> AvailabilityWindow:
    if weekday not in range(7):
        raise DomainError("weekday: 0 (Monday) to 6 (Sunday).", field="weekday")
    if start >= end:
        raise DomainError("end: a window ends after it starts.", field="end")
    overlapping = AvailabilityWindow.objects.filter(
        user=user, weekday=weekday, start__lt=end, end__gt=start
    ).exists()
    if overlapping:
        raise Conflict("start: this window overlaps one you already have that day.", field="start")
    return AvailabilityWindow.objects.create(user=user, weekday=weekday, start=start, end=end)


def availability_remove(*, user: User, window_id: int) -> None:
    deleted, _ = AvailabilityWindow.objects.filter(user=user, pk=window_id).delete()
    if not deleted:
        raise NotFound("That availability window is not yours.")


# --- Organizations ------------------------------------------------------------------------


def require_org_admin(*, user: User, organization: Organization) -> None:
    is_admin = Membership.objects.filter(
        user=user, organization=organization, role=Role.ADMIN
    ).exists()
    if not (is_admin or user.is_staff):
        raise PermissionDenied("Only an admin of this organization may do that.")


@transaction.atomic
def organization_create(
    *, creator: User, name: str, slug: str, kind: str, description: str = ""
) -> Organization:
    organization = Organization(
        name=name.strip(), slug=slug.strip().lower(), kind=kind, description=description
    )
    _full_clean(organization)
    organization.save()
    Membership.objects.create(user=creator, organization=organization, role=Role.ADMIN)
    return organization


@transaction.atomic
def invitation_create(
    *,
    inviter: User,
    organization: Organization,
    email: str,
    role: str = Role.MEMBER,
    department: str = "",
    title: str = "",
    accept_url_template: str,
) -> Invitation:
    """Invite someone by email. `accept_url_template` has a `{token}` slot for the link."""
    require_org_admin(user=inviter, organization=organization)
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise Conflict(f"email: {email} is already a member.", field="email")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        department=department,
        title=title,
        token_digest=hashlib.sha256(token.encode()).hexdigest(),
        invited_by=inviter,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    _full_clean(invitation)
    invitation.save()
    link = accept_url_template.format(token=token)
    transaction.on_commit(
        lambda: send_mail(
            f"Join {organization.name} on mentormesh",
            f"@{inviter.handle} invited you to {organization.name} on mentormesh.\n\n"
            f"Accept within 14 days: {link}\n",
            None,
            [email],
        )
    )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_digest=hashlib.sha256(token.encode()).hexdigest())
        .first()
    )
    if invitation is None or invitation.accepted_at or invitation.expires_at < timezone.now():
        raise NotFound("This invitation is not valid any more; ask the organization for a new one.")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Join through an invitation. Only the invited address may use it: the link is a bearer
    token, and an admin invitation or an organizations-only network must not pass along."""
    invitation = invitation_for_token(token)
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(
            f"This invitation was sent to {invitation.email}; log in with that account to accept it."
        )
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not updated:
        raise Conflict("This invitation was just used.")
    membership, _ = Membership.objects.get_or_create(
        user=user,
        organization=invitation.organization,
        defaults={
            "role": invitation.role,
            "department": invitation.department,
            "title": invitation.title,
        },
    )
    return membership


# --- API tokens ---------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, user: User, name: str = "token") -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is never stored and cannot be shown again."""
    secret = new_token_secret()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:60] or "token", prefix=secret[:8], digest=token_digest(secret)
    )
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise NotFound("No such active token.")


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def vocabulary_sync() -> int:
    """Add the curated skills, aliases and relations the database lacks; returns how many skills
    were added. Idempotent, and a few queries when nothing changed, so it runs after migrate."""
    entries = load_vocabulary_file()
    existing = dict(Skill.objects.values_list("key", "pk"))
    missing = [entry for entry in entries if normalize_skill_key(entry["name"]) not in existing]
    Skill.objects.bulk_create(
        [
            Skill(
                name=entry["name"],
                key=normalize_skill_key(entry["name"]),
                category=entry["category"],
            )
            for entry in missing
        ]
    )
    ids = dict(Skill.objects.values_list("key", "pk"))
    known_aliases = set(SkillAlias.objects.values_list("alias", flat=True))
    aliases = []
    for entry in entries:
        for alias in entry.get("aliases", []):
            key = normalize_skill_key(alias)
            if key not in known_aliases and key not in ids:
                known_aliases.add(key)
                aliases.append(
                    SkillAlias(skill_id=ids[normalize_skill_key(entry["name"])], alias=key)
                )
    SkillAlias.objects.bulk_create(aliases)
    through = Skill.related.through
    pairs = set(through.objects.values_list("from_skill_id", "to_skill_id"))
    links = []
    for entry in entries:
        source = ids[normalize_skill_key(entry["name"])]
        for name in entry.get("related", []):
            target = ids.get(normalize_skill_key(name))
            if target and target != source:
                for pair in ((source, target), (target, source)):
                    if pair not in pairs:
                        pairs.add(pair)
                        links.append(through(from_skill_id=pair[0], to_skill_id=pair[1]))
    through.objects.bulk_create(links)
    if missing or aliases or links:
        people_bulk_changed.send(sender=vocabulary_sync)
    return len(missing)
