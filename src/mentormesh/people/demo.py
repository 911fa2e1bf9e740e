"""A realistic, varied demo network, deterministic for a seed, built with bulk inserts."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from faker import Faker

from mentormesh.people import services
from mentormesh.people.models import (
    AvailabilityWindow,
    Level,
    Membership,
    OfferedSkill,
    Organization,
    OrganizationKind,
    Priority,
    Proficiency,
    Profile,
    ProfileLanguage,
    Role,
    Skill,
    SoughtSkill,
    User,
    Visibility,
)
from mentormesh.people.signals import people_bulk_changed
from mentormesh.text import render_markdown

DEMO_HANDLE = "demo"
# Later apps give the demo account some history of their own (relationships, sessions,
# introductions) by registering a function here from their AppConfig.ready.
demo_extras: list[Callable[[User, random.Random], None]] = []

ORGANIZATIONS = [
    ("northwind", "Northwind Analytics", OrganizationKind.COMPANY, ["Engineering", "Data", "Design", "Product", "Sales", "Finance", "People"]),
    ("helix-health", "Helix Health", OrganizationKind.COMPANY, ["Engineering", "Data", "Product", "Operations", "Marketing"]),
    ("riverside-university", "Riverside University", OrganizationKind.SCHOOL, ["Computer Science", "Business School", "Design School", "Languages"]),
    ("open-source-guild", "Open Source Guild", OrganizationKind.COMMUNITY, ["Maintainers", "Newcomers", "Documentation"]),
]  # fmt: skip

DEPARTMENT_CATEGORIES = {
    "Engineering": ["software", "software", "data"], "Data": ["data", "data", "software"],
    "Design": ["design", "design", "product"], "Product": ["product", "product", "business", "design"],
    "Sales": ["business", "communication"], "Finance": ["business", "data"], "People": ["leadership", "communication", "career"],
    "Operations": ["business", "leadership"], "Marketing": ["business", "communication", "design"],
    "Computer Science": ["software", "data"], "Business School": ["business", "product"],
    "Design School": ["design"], "Languages": ["languages", "communication"],
    "Maintainers": ["software"], "Newcomers": ["software", "career"], "Documentation": ["communication", "software"],
}  # fmt: skip

TIMEZONES = [
    "Europe/Berlin", "Europe/London", "Europe/Paris", "Europe/Madrid", "Europe/Warsaw", "Africa/Lagos",
    "Africa/Nairobi", "Africa/Cairo", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo",
    "Asia/Seoul", "Australia/Sydney", "Pacific/Auckland", "America/New_York", "America/Chicago",
    "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "America/Mexico_City", "America/Toronto",
]  # fmt: skip
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "pt_BR", "it_IT", "nl_NL", "pl_PL", "en_IN"]
LANGUAGE_CODES = [
    "en",
    "de",
    "fr",
    "es",
    "pt",
    "it",
    "nl",
    "pl",
    "hi",
    "ar",
    "ja",
    "zh-hans",
    "sw",
    "tr",
    "ko",
]
LEVEL_WEIGHTS = [
    (Level.STUDENT, 12),
    (Level.EARLY_CAREER, 30),
    (Level.MID, 30),
    (Level.SENIOR, 20),
    (Level.LEADER, 8),
]
YEARS = {
    Level.STUDENT: (0, 1),
    Level.EARLY_CAREER: (1, 4),
    Level.MID: (3, 9),
    Level.SENIOR: (7, 20),
    Level.LEADER: (10, 30),
}
TITLES = {
    Level.STUDENT: "Student", Level.EARLY_CAREER: "Associate", Level.MID: "Specialist",
    Level.SENIOR: "Senior Specialist", Level.LEADER: "Head of",
}  # fmt: skip
GOALS = [
    "Get comfortable enough with {skill} to use it on a real project at work",
    "I keep getting stuck on {skill} — want someone to review my approach once or twice",
    "Move from following {skill} tutorials to designing things on my own",
    "Prepare for a role where {skill} is most of the job",
    "Understand {skill} well enough to explain it to my team",
    "Learn how people actually use {skill} day to day, not just the theory",
    "Build a small side project with {skill} and get honest feedback on it",
    "Stop feeling like an impostor in {skill} discussions",
    "get better at {skill} before my next performance review",
    "Pair with someone who has shipped {skill} work in production",
]
NOTES = [
    "happy to review work",
    "mostly async",
    "code reviews and pairing",
    "30-minute calls",
    "career questions too",
    "",
    "",
    "",
]
HEADLINES = [
    "{title} · {dept} at {org}",
    "{title} who loves {skill}",
    "{skill} and {skill2} · {org}",
    "Learning {seek} · helping with {skill}",
    "{title}, {dept}",
]


@dataclass
class DemoResult:
    people: int
    organizations: int
    login_handle: str
    login_email: str
    login_password: str


def _pick_level(rng: random.Random) -> str:
    levels, weights = zip(*LEVEL_WEIGHTS, strict=True)
    return rng.choices(levels, weights=weights)[0]


@transaction.atomic
def build_demo_network(*, people: int = 300, seed: int = 1) -> DemoResult:
    rng = random.Random(seed)
    fakers = {locale: Faker(locale) for locale in LOCALES}
    for i, fake in enumerate(fakers.values()):
        fake.seed_instance(seed * 100 + i)
    skills_by_category: dict[str, list[Skill]] = {}
    # The vocabulary file lists the widely used skills of each category first (file order is pk
    # order), so drawing low indexes more often gives a realistic long tail of popularity.
    for skill in Skill.objects.filter(reviewed=True).order_by("pk"):
        skills_by_category.setdefault(skill.category, []).append(skill)
    all_skills = [s for group in skills_by_category.values() for s in group]

    organizations = []
    for slug, name, kind, _departments in ORGANIZATIONS:
        org, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind,
            "description": f"{name} runs its mentoring program on mentormesh."})  # fmt: skip
        organizations.append(org)

    taken = set(User.objects.values_list("handle", flat=True))
    unusable = make_password(None)
    users, profiles, plans = [], [], []
    for n in range(people):
        fake = fakers[rng.choice(LOCALES)]
        first, last = fake.first_name(), fake.last_name()
        base = (
            "".join(ch for ch in f"{first}{last[:1]}".lower() if ch.isascii() and ch.isalnum())[:24]
            or "member"
        )
        handle = base if len(base) >= 3 else f"{base}mm"
        k = 2
        while handle in taken:
            handle = f"{base}{k}"
            k += 1
        taken.add(handle)
        users.append(User(handle=handle, email=f"{handle}@demo.mentormesh.test", password=unusable))
        org_index = n % (len(ORGANIZATIONS) + 1)  # every fifth person is unaffiliated
        plans.append((f"{first} {last}", _pick_level(rng), org_index))
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(handle__in=[u.handle for u in users]).order_by("pk"))

    offers, seeks, windows, languages, memberships = [], [], [], [], []
    seniors_by_dept: dict[tuple[int, str], list[User]] = {}
    for user, (name, level, org_index) in zip(users, plans, strict=True):
        affiliated = org_index < len(ORGANIZATIONS)
        dept = (
            rng.choice(ORGANIZATIONS[org_index][3])
            if affiliated
            else rng.choice(list(DEPARTMENT_CATEGORIES))
        )
        # Mostly the department's own fields, sometimes the skills everyone has.
        categories = DEPARTMENT_CATEGORIES[dept] * 3 + [
            "communication",
            "leadership",
            "career",
            "languages",
        ]
        chosen_offers: list[Skill] = []
        for _ in range(rng.randint(1, 5) if level != Level.STUDENT else rng.randint(0, 2)):
            pool = skills_by_category.get(rng.choice(categories)) or all_skills
            skill = pool[min(len(pool) - 1, int(rng.expovariate(8 / len(pool))))]
            if skill not in chosen_offers:
                chosen_offers.append(skill)
        chosen_seeks = []
        for _ in range(rng.randint(1, 3)):
            pool = skills_by_category.get(rng.choice(categories)) or all_skills
            skill = rng.choice(pool)
            if skill not in chosen_offers and skill not in chosen_seeks:
                chosen_seeks.append(skill)
        top_proficiency = {Level.STUDENT: 1, Level.EARLY_CAREER: 2}.get(level, 3)
        offers += [
            OfferedSkill(
                user=user,
                skill=s,
                proficiency=rng.randint(1, top_proficiency),
                note=rng.choice(NOTES),
            )
            for s in chosen_offers
        ]
        seeks += [
            SoughtSkill(
                user=user,
                skill=s,
                goal=rng.choice(GOALS).format(skill=s.name),
                priority=rng.randint(1, 3),
            )
            for s in chosen_seeks
        ]
        tz = rng.choice(TIMEZONES)
        for weekday in rng.sample(range(5), rng.randint(1, 3)):
            start_hour = rng.choice([8, 9, 10, 12, 14, 16, 17])
            windows.append(
                AvailabilityWindow(
                    user=user,
                    weekday=weekday,
                    start=time(start_hour),
                    end=time(start_hour + rng.choice([1, 2])),
                )
            )
        for code in {"en", *rng.sample(LANGUAGE_CODES, rng.randint(0, 2))}:
            languages.append(ProfileLanguage(profile_id=user.pk, code=code))
        org_name = ORGANIZATIONS[org_index][1] if affiliated else "independent"
        title = f"{TITLES[level]} {dept}" if level == Level.LEADER else f"{TITLES[level]}, {dept}"
        headline = rng.choice(HEADLINES).format(
            title=TITLES[level], dept=dept, org=org_name,
            skill=(chosen_offers[0].name if chosen_offers else "learning"),
            skill2=(chosen_offers[-1].name if chosen_offers else "teamwork"),
            seek=(chosen_seeks[0].name if chosen_seeks else "new things"),
        )  # fmt: skip
        bio = (
            f"I work in {dept.lower()}{' at ' + org_name if affiliated else ''}. "
            + (f"Ask me about **{chosen_offers[0].name}**. " if chosen_offers else "")
            + (f"Right now I'm learning {chosen_seeks[0].name}." if chosen_seeks else "")
        )
        low, high = YEARS[level]
        open_to_paid = level in (Level.SENIOR, Level.LEADER) and rng.random() < 0.15
        profiles.append(Profile(
            user=user, display_name=name, headline=headline[:140], bio=bio, bio_html=render_markdown(bio),
            level=level, years_experience=rng.randint(low, high), timezone=tz, location=tz.split("/")[-1].replace("_", " "),
            max_mentees=rng.choice([0, 1, 2, 2, 3, 4]) if level != Level.STUDENT else rng.choice([0, 1]),
            hours_per_month=rng.choice([2, 4, 4, 6, 8]), open_to_mentor=level != Level.STUDENT or rng.random() < 0.3,
            open_to_be_mentored=rng.random() < 0.85, open_to_reverse=rng.random() < 0.35, open_to_paid=open_to_paid,
            paid_rate_minor=rng.choice([6000, 9000, 12000, 15000]) if open_to_paid else None,
            paid_currency=rng.choice(["EUR", "USD", "GBP"]) if open_to_paid else "",
            visibility=Visibility.ORGANIZATIONS if affiliated and rng.random() < 0.1 else Visibility.NETWORK,
        ))  # fmt: skip
        if affiliated:
            org = organizations[org_index]
            memberships.append(Membership(user=user, organization=org, department=dept, title=title[:100],
                                          role=Role.ADMIN if level == Level.LEADER and rng.random() < 0.3 else Role.MEMBER))  # fmt: skip
            if level in (Level.SENIOR, Level.LEADER):
                seniors_by_dept.setdefault((org.pk, dept), []).append(user)
    for membership in memberships:
        candidates = [
            u
            for u in seniors_by_dept.get((membership.organization.pk, membership.department), [])
            if u != membership.user
        ]
        if candidates and membership.organization.kind == OrganizationKind.COMPANY:
            membership.manager = rng.choice(candidates)
    Profile.objects.bulk_create(profiles, batch_size=1000)
    for model, rows in ((OfferedSkill, offers), (SoughtSkill, seeks), (AvailabilityWindow, windows),
                        (ProfileLanguage, languages), (Membership, memberships)):  # fmt: skip
        model.objects.bulk_create(rows, batch_size=2000)
    login = demo_login_reset()
    demo_user = User.objects.get(handle=DEMO_HANDLE)
    for extra in demo_extras:
        extra(demo_user, rng)
    people_bulk_changed.send(sender=build_demo_network)
    return DemoResult(
        people=people,
        organizations=len(organizations),
        login_handle=login[0],
        login_email=login[1],
        login_password=login[2],
    )


def _give_demo_interests(user: User) -> None:
    """Goals among what the network offers most, offers among what it seeks most, and two
    weekly windows, so the demo board is full on the first visit."""
    most_sought = Skill.objects.annotate(n=Count("sought_by")).filter(n__gt=0).order_by("-n", "key")
    most_offered = (
        Skill.objects.annotate(n=Count("offered_by")).filter(n__gt=0).order_by("-n", "key")
    )
    offers = list(most_sought[:2])
    for skill in offers:
        services.offered_skill_set(
            user=user, skill_name=skill.name, proficiency=Proficiency.PROFICIENT
        )
    goals = [skill for skill in most_offered[:4] if skill not in offers][:2]
    for priority, skill in enumerate(goals, start=Priority.HIGH):
        services.sought_skill_set(
            user=user,
            skill_name=skill.name,
            goal=f"Use {skill.name} confidently in my team's work this quarter",
            priority=priority,
        )
    for weekday in (1, 3):
        services.availability_add(user=user, weekday=weekday, start=time(9), end=time(11))


def demo_login_reset() -> tuple[str, str, str]:
    """Make sure the demo account exists with a fresh random password, and return its login.
    The password is new each time, so no usable credential lives in the repository."""
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    user = User.objects.filter(handle=DEMO_HANDLE).first()
    if user is None:
        user = User.objects.create_user(
            DEMO_HANDLE, f"{DEMO_HANDLE}@demo.mentormesh.test", password
        )
        Profile.objects.create(user=user, display_name="Dana Demo", headline="Exploring mentormesh",
                               level=Level.MID, timezone="Europe/Berlin", bio_html="")  # fmt: skip
        org = Organization.objects.filter(slug=ORGANIZATIONS[0][0]).first()
        if org:
            Membership.objects.get_or_create(
                user=user,
                organization=org,
                defaults={"role": Role.ADMIN, "department": "Engineering"},
            )
        _give_demo_interests(user)
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user.handle, user.email, password
