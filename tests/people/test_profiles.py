"""Profiles: validation in the service, safe Markdown, skills by alias, availability, and the
edit page with its HTMX add/remove of skills and windows."""

import re
from datetime import time

import pytest

from mentormesh.errors import Conflict, DomainError
from mentormesh.people import services
from mentormesh.people.models import (
    AvailabilityWindow,
    OfferedSkill,
    Profile,
    Skill,
    SoughtSkill,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def profile_of(user) -> Profile:
    return Profile.objects.get(user=user)


# --- profile_update -------------------------------------------------------------------------


def test_a_bad_time_zone_is_refused_naming_the_field_and_nothing_is_saved(make_user):
    """Given a member in Europe/Paris, when they change their headline and set the time zone
    'Mars/Olympus' in one go, then the error names `timezone` and neither change is kept."""
    ada = make_user("ada", timezone="Europe/Paris", headline="Engineer")

    with pytest.raises(DomainError) as error:
        services.profile_update(
            user=ada, changes={"headline": "Astronaut", "timezone": "Mars/Olympus"}
        )

    assert error.value.field == "timezone"
    assert "timezone" in error.value.detail and "Mars/Olympus" in error.value.detail
    profile = profile_of(ada)
    assert (profile.timezone, profile.headline) == ("Europe/Paris", "Engineer")


def test_a_real_iana_time_zone_is_kept(make_user):
    """Given a member, when they pick America/Sao_Paulo, then it is saved."""
    ada = make_user("ada")

    services.profile_update(user=ada, changes={"timezone": "America/Sao_Paulo"})

    assert profile_of(ada).timezone == "America/Sao_Paulo"


def test_unknown_profile_fields_are_refused(make_user):
    """Given a member, when a change names a field profiles do not have, then it is refused
    naming that field, rather than silently ignored."""
    ada = make_user("ada")

    with pytest.raises(DomainError) as error:
        services.profile_update(user=ada, changes={"shoe_size": 42})

    assert error.value.field == "shoe_size"


def test_bio_markdown_is_rendered_and_sanitized(make_user):
    """Given a bio with a script tag, a javascript: link, an image with an onerror handler,
    bold text and a real link, when saved, then the HTML shown to others keeps the bold and
    the real link (marked nofollow) and carries no script, no javascript: link, no handler."""
    ada = make_user("ada")
    bio = (
        "I like **distributed systems**.\n\n"
        "<script>alert('owned')</script>\n\n"
        "[click me](javascript:alert(1)) and [my site](https://ada.example.org)\n\n"
        '<img src="x" onerror="alert(2)">'
    )

    services.profile_update(user=ada, changes={"bio": bio})

    html = profile_of(ada).bio_html
    assert "<strong>distributed systems</strong>" in html
    assert '<a href="https://ada.example.org" rel="nofollow noopener noreferrer ugc">' in html
    tags = re.findall(r"<([a-z0-9]+)([^>]*)>", html)
    assert {name for name, _ in tags} <= {"p", "strong", "a"}
    attributes = {m for _, attrs in tags for m in re.findall(r"([a-z-]+)=", attrs)}
    assert attributes <= {"href", "rel"}
    assert 'href="javascript:' not in html
    assert "<script" not in html and "<img" not in html  # shown as text, if at all
    assert profile_of(ada).bio == bio  # the source stays as written, for editing


def test_the_profile_page_shows_the_sanitized_bio(client, make_user):
    """Given a bio with a script tag, when another member opens the profile page, then the
    bold text is rendered and the script is not on the page as markup."""
    make_user("ada", bio="**Hello** <script>alert('owned')</script>")
    client.force_login(make_user("ben"))

    page = client.get("/people/ada/").content.decode()

    assert "<strong>Hello</strong>" in page
    assert "<script>alert" not in page


@pytest.mark.parametrize(
    "changes",
    [
        {"open_to_paid": True},
        {"open_to_paid": True, "paid_rate_minor": 9000},
        {"open_to_paid": True, "paid_currency": "EUR"},
    ],
    ids=["neither", "no-currency", "no-rate"],
)
def test_open_to_paid_needs_a_rate_and_a_currency(make_user, changes):
    """Given a member, when they open to paid sessions without both an hourly rate and a
    currency, then it is refused naming the rate, and they stay closed to paid sessions."""
    ada = make_user("ada")

    with pytest.raises(DomainError) as error:
        services.profile_update(user=ada, changes=changes)

    assert error.value.field == "paid_rate_minor"
    assert profile_of(ada).open_to_paid is False


def test_open_to_paid_with_rate_and_currency_is_saved_with_the_currency_upper_case(make_user):
    """Given a member, when they set a rate of 90.00 and currency 'eur', then they are open to
    paid sessions at 9000 minor units in EUR."""
    ada = make_user("ada")

    services.profile_update(
        user=ada, changes={"open_to_paid": True, "paid_rate_minor": 9000, "paid_currency": "eur"}
    )

    profile = profile_of(ada)
    assert (profile.open_to_paid, profile.paid_rate_minor, profile.paid_currency) == (
        True,
        9000,
        "EUR",
    )


def test_a_currency_that_is_not_three_letters_is_refused(make_user):
    """Given a member, when the currency is 'EU1', then it is refused naming the field."""
    ada = make_user("ada")

    with pytest.raises(DomainError) as error:
        services.profile_update(user=ada, changes={"paid_rate_minor": 100, "paid_currency": "EU1"})

    assert error.value.field == "paid_currency"


def test_languages_are_validated_and_a_bad_code_saves_nothing(make_user):
    """Given a member who speaks en, when they change their headline and list 'de' and 'xx',
    then the error names `languages` and 'xx', and headline and languages are unchanged."""
    ada = make_user("ada", headline="Engineer", languages=["en"])

    with pytest.raises(DomainError) as error:
        services.profile_update(user=ada, changes={"headline": "Other", "languages": ["de", "xx"]})

    assert error.value.field == "languages"
    assert "'xx'" in error.value.detail
    profile = profile_of(ada)
    assert profile.headline == "Engineer"
    assert [language.code for language in profile.languages.all()] == ["en"]


def test_languages_replace_the_list_case_insensitively_without_duplicates(make_user):
    """Given a member who speaks en and fr, when they list 'DE', 'en', 'de', then they speak
    exactly de and en."""
    ada = make_user("ada", languages=["en", "fr"])

    services.profile_update(user=ada, changes={"languages": ["DE", "en", "de"]})

    codes = sorted(language.code for language in profile_of(ada).languages.all())
    assert codes == ["de", "en"]


# --- Skills -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "skill_name"),
    [("k8s", "Kubernetes"), ("py", "Python"), ("  PYTHON  ", "Python"), ("golang", "Go")],
)
def test_an_offered_skill_resolves_aliases_to_the_curated_skill(make_user, typed, skill_name):
    """Given the curated vocabulary, when a member offers a skill by an alias or in another
    case, then the offer points to the curated, reviewed skill and no new skill is made."""
    ada = make_user("ada")
    skills_before = Skill.objects.count()

    offer = services.offered_skill_set(user=ada, skill_name=typed, proficiency=3)

    assert offer.skill.name == skill_name
    assert offer.skill.reviewed
    assert Skill.objects.count() == skills_before


def test_a_sought_skill_by_alias_and_the_same_skill_again_updates_rather_than_duplicates(
    make_user,
):
    """Given a member who wants to learn 'k8s', when they add 'Kubernetes' again with a new
    goal, then they have one sought Kubernetes with the new goal."""
    ada = make_user("ada")
    services.sought_skill_set(user=ada, skill_name="k8s", goal="run a cluster", priority=1)

    services.sought_skill_set(user=ada, skill_name="Kubernetes", goal="pass the CKA", priority=2)

    sought = SoughtSkill.objects.get(user=ada)
    assert (sought.skill.name, sought.goal, sought.priority) == ("Kubernetes", "pass the CKA", 2)


def test_an_unknown_skill_is_added_unreviewed_and_shared_by_the_next_person(make_user):
    """Given a skill nobody has named, when a member offers it, then it is added unreviewed
    and credited to them; when another member names it with other spacing and case, then
    they get the same skill, not a second one."""
    ada = make_user("ada")
    ben = make_user("ben")

    offer = services.offered_skill_set(user=ada, skill_name="Underwater  Basket Weaving")
    sought = services.sought_skill_set(user=ben, skill_name="underwater basket weaving")

    assert offer.skill.name == "Underwater Basket Weaving"
    assert offer.skill.reviewed is False
    assert offer.skill.created_by == ada
    assert sought.skill == offer.skill
    assert Skill.objects.filter(key="underwater basket weaving").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"skill_name": "   "}, "skill"),
        ({"skill_name": "x" * 61}, "skill"),
        ({"skill_name": "Python", "proficiency": 7}, "proficiency"),
        ({"skill_name": "Python", "note": "n" * 201}, "note"),
    ],
    ids=["blank", "too-long", "proficiency", "note"],
)
def test_a_bad_offer_is_refused_naming_the_field(make_user, kwargs, field):
    """Given a member, when an offer is blank, too long, or has a bad proficiency or note,
    then it is refused naming the field, and nothing is added."""
    ada = make_user("ada")
    skills_before = Skill.objects.count()

    with pytest.raises(DomainError) as error:
        services.offered_skill_set(user=ada, **kwargs)

    assert error.value.field == field
    assert not OfferedSkill.objects.filter(user=ada).exists()
    assert Skill.objects.count() == skills_before


# --- Availability -------------------------------------------------------------------------


def test_an_overlapping_window_is_refused_and_touching_ones_are_fine(make_user):
    """Given Monday 09:00–11:00, when Monday 10:00–12:00 is added, then it is refused as an
    overlap; Monday 11:00–12:00 (touching) and Tuesday 10:00–12:00 are accepted."""
    ada = make_user("ada")
    services.availability_add(user=ada, weekday=0, start=time(9), end=time(11))

    with pytest.raises(Conflict) as error:
        services.availability_add(user=ada, weekday=0, start=time(10), end=time(12))
    services.availability_add(user=ada, weekday=0, start=time(11), end=time(12))
    services.availability_add(user=ada, weekday=1, start=time(10), end=time(12))

    assert "overlaps" in error.value.detail
    windows = [(w.weekday, w.start, w.end) for w in AvailabilityWindow.objects.filter(user=ada)]
    assert windows == [(0, time(9), time(11)), (0, time(11), time(12)), (1, time(10), time(12))]


def test_a_window_must_end_after_it_starts_on_a_real_weekday(make_user):
    """Given a member, when a window ends before it starts or names weekday 7, then it is
    refused naming the field."""
    ada = make_user("ada")

    with pytest.raises(DomainError) as backwards:
        services.availability_add(user=ada, weekday=2, start=time(12), end=time(9))
    with pytest.raises(DomainError) as no_such_day:
        services.availability_add(user=ada, weekday=7, start=time(9), end=time(10))

    assert (backwards.value.field, no_such_day.value.field) == ("end", "weekday")
    assert not AvailabilityWindow.objects.filter(user=ada).exists()


def test_another_members_window_does_not_count_as_an_overlap(make_user):
    """Given Ben is free Monday 09:00–11:00, when Ada adds the same window, then she can."""
    ada, ben = make_user("ada"), make_user("ben")
    services.availability_add(user=ben, weekday=0, start=time(9), end=time(11))

    services.availability_add(user=ada, weekday=0, start=time(9), end=time(11))

    assert AvailabilityWindow.objects.filter(user=ada).count() == 1


# --- The edit page ------------------------------------------------------------------------


@pytest.fixture
def ada(client, make_user):
    user = make_user("ada")
    client.force_login(user)
    return user


def test_the_edit_page_shows_my_lists(client, ada):
    """Given Ada offers Kubernetes and is free on Monday, when she opens her editor, then
    both are on the page."""
    services.offered_skill_set(user=ada, skill_name="k8s")
    services.availability_add(user=ada, weekday=0, start=time(9), end=time(11))

    page = client.get("/me/edit/")

    assert page.status_code == 200
    assert "Kubernetes" in page.content.decode()
    assert "Monday 09:00–11:00" in page.content.decode()


def test_htmx_add_offer_by_alias_returns_the_updated_list_only(client, ada):
    """Given Ada's editor, when she adds 'k8s' as an expert through HTMX, then the answer is
    the offers list (not a whole page) showing Kubernetes, and it is saved."""
    response = client.post("/me/offers/add/", {"skill": "k8s", "proficiency": "3"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<strong>Kubernetes</strong>" in html and "Expert" in html
    assert list(
        OfferedSkill.objects.filter(user=ada).values_list("skill__name", "proficiency")
    ) == [("Kubernetes", 3)]


def test_htmx_add_unknown_skill_shows_it_as_awaiting_review(client, ada):
    """Given Ada wants to learn a skill nobody named, when she adds it, then the list shows it
    and says staff will review it."""
    response = client.post(
        "/me/offers/add/", {"skill": "Sourdough Baking", "proficiency": "2"}, **HTMX
    )

    assert "Sourdough Baking" in response.content.decode()
    assert "staff will review" in response.content.decode()


def test_htmx_add_seek_by_alias_with_a_goal(client, ada):
    """Given Ada's editor, when she adds 'py' to learn with a goal, then the sought list shows
    Python and her goal."""
    response = client.post(
        "/me/seeks/add/", {"skill": "py", "priority": "1", "goal": "automate reports"}, **HTMX
    )

    assert response.status_code == 200
    assert "Python" in response.content.decode()
    assert "automate reports" in response.content.decode()
    assert SoughtSkill.objects.get(user=ada).skill.name == "Python"


def test_htmx_add_with_a_malformed_form_answers_400_with_a_message(client, ada):
    """Given Ada's editor, when she submits an offer without a skill, then she gets 400 and
    the list with 'This field is required.', and nothing is added."""
    response = client.post("/me/offers/add/", {"skill": "", "proficiency": "2"}, **HTMX)

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not OfferedSkill.objects.filter(user=ada).exists()


def test_htmx_add_with_a_bad_choice_says_what_is_wrong(client, ada):
    """Given Ada's editor, when a tampered form sends proficiency 9, then the 400 answer says
    which choice is invalid."""
    response = client.post("/me/offers/add/", {"skill": "Python", "proficiency": "9"}, **HTMX)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_htmx_remove_my_offer(client, ada):
    """Given Ada offers Python and Go, when she removes Python, then the list shows only Go."""
    python = services.offered_skill_set(user=ada, skill_name="Python")
    services.offered_skill_set(user=ada, skill_name="Go")

    response = client.post(f"/me/offers/{python.pk}/remove/", **HTMX)

    assert response.status_code == 200
    assert "Python" not in response.content.decode()
    assert list(OfferedSkill.objects.filter(user=ada).values_list("skill__name", flat=True)) == [
        "Go"
    ]


@pytest.mark.parametrize("kind", ["offers", "seeks"])
def test_removing_another_members_skill_is_404_and_deletes_nothing(client, ada, make_user, kind):
    """Given Ben offers and seeks Python, when Ada posts a removal of Ben's row id, then she
    gets 404 and Ben's row is still there."""
    ben = make_user("ben")
    rows = {
        "offers": services.offered_skill_set(user=ben, skill_name="Python"),
        "seeks": services.sought_skill_set(user=ben, skill_name="Python"),
    }

    response = client.post(f"/me/{kind}/{rows[kind].pk}/remove/", **HTMX)

    assert response.status_code == 404
    assert type(rows[kind]).objects.filter(pk=rows[kind].pk, user=ben).exists()


def test_without_htmx_adding_a_skill_redirects_back_to_the_editor(client, ada):
    """Given a browser without JavaScript, when Ada adds a skill, then she is sent back to the
    editor and the skill is saved."""
    response = client.post("/me/seeks/add/", {"skill": "Go", "priority": "2"})

    assert response.status_code == 302
    assert response["Location"] == "/me/edit/"
    assert SoughtSkill.objects.get(user=ada).skill.name == "Go"


def test_htmx_add_and_remove_windows(client, ada):
    """Given Ada's editor, when she adds Wednesday 18:00–20:00 and then removes it, then the
    windows list shows it and then shows none."""
    added = client.post(
        "/me/availability/add/", {"weekday": "2", "start": "18:00", "end": "20:00"}, **HTMX
    )
    window = AvailabilityWindow.objects.get(user=ada)
    removed = client.post(f"/me/availability/{window.pk}/remove/", **HTMX)

    assert added.status_code == 200
    assert "Wednesday 18:00–20:00" in added.content.decode()
    assert removed.status_code == 200
    assert "Wednesday 18:00–20:00" not in removed.content.decode()
    assert not AvailabilityWindow.objects.filter(user=ada).exists()


def test_htmx_overlapping_window_answers_400_with_the_reason(client, ada):
    """Given Ada is free Monday 09:00–11:00, when she adds Monday 10:00–12:00, then she gets
    400 with 'overlaps', and still has one window."""
    services.availability_add(user=ada, weekday=0, start=time(9), end=time(11))

    response = client.post(
        "/me/availability/add/", {"weekday": "0", "start": "10:00", "end": "12:00"}, **HTMX
    )

    assert response.status_code == 400
    assert "overlaps one you already have" in response.content.decode()
    assert AvailabilityWindow.objects.filter(user=ada).count() == 1


def test_htmx_malformed_window_answers_400_with_a_message(client, ada):
    """Given Ada's editor, when the start time is '25:99', then she gets 400 with 'Enter a
    valid time.' and no window is added."""
    response = client.post(
        "/me/availability/add/", {"weekday": "0", "start": "25:99", "end": "12:00"}, **HTMX
    )

    assert response.status_code == 400
    assert "Enter a valid time." in response.content.decode()
    assert not AvailabilityWindow.objects.filter(user=ada).exists()


def test_removing_another_members_window_is_404_and_deletes_nothing(client, ada, make_user):
    """Given Ben is free Monday morning, when Ada posts a removal of Ben's window id, then
    she gets 404 and the window is still there."""
    window = services.availability_add(
        user=make_user("ben"), weekday=0, start=time(9), end=time(11)
    )

    response = client.post(f"/me/availability/{window.pk}/remove/", **HTMX)

    assert response.status_code == 404
    assert AvailabilityWindow.objects.filter(pk=window.pk).exists()


def profile_form(**overrides):
    form = {
        "display_name": "Ada", "headline": "", "bio": "", "level": "", "years_experience": "",
        "timezone": "UTC", "location": "", "max_mentees": "2", "hours_per_month": "4",
        "open_to_mentor": "on", "open_to_be_mentored": "on", "paid_currency": "",
        "paid_rate": "", "visibility": "network",
    }  # fmt: skip
    form.update(overrides)
    return form


def test_the_profile_form_saves_changes(client, ada):
    """Given Ada's editor, when she saves a headline, level, languages and a paid rate of
    90.50 EUR, then they are kept and she is sent back with 'Profile saved.'"""
    response = client.post(
        "/me/edit/",
        profile_form(
            headline="Staff engineer",
            level="senior",
            languages=["en", "de"],
            open_to_paid="on",
            paid_rate="90.50",
            paid_currency="eur",
            timezone="Asia/Tokyo",
        ),
        follow=True,
    )

    assert "Profile saved." in response.content.decode()
    profile = profile_of(ada)
    assert (profile.headline, profile.level, profile.timezone) == (
        "Staff engineer",
        "senior",
        "Asia/Tokyo",
    )
    assert (profile.paid_rate_minor, profile.paid_currency) == (9050, "EUR")
    assert sorted(language.code for language in profile.languages.all()) == ["de", "en"]


def test_the_profile_form_refuses_paid_without_a_rate_and_keeps_nothing(client, ada):
    """Given Ada's editor, when she ticks paid sessions without a rate and changes her
    headline, then she gets 400 with the reason and neither change is kept."""
    response = client.post(
        "/me/edit/", profile_form(headline="New", open_to_paid="on", paid_currency="EUR")
    )

    assert response.status_code == 400
    assert "set an hourly rate and a currency" in response.content.decode()
    profile = profile_of(ada)
    assert (profile.headline, profile.open_to_paid) == ("", False)


def test_the_profile_form_refuses_an_unknown_time_zone(client, ada):
    """Given Ada's editor, when a tampered form sends the time zone 'Mars/Olympus', then she
    gets 400 and her time zone stays UTC."""
    response = client.post("/me/edit/", profile_form(timezone="Mars/Olympus"))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert profile_of(ada).timezone == "UTC"


def test_the_profile_form_keeps_links_and_refuses_a_bad_address(client, ada):
    """Given Ada's editor, when she lists her blog with a label and a bare address, then both
    show on her profile page; when a line holds no http(s) address, she is told which, and the
    links she had stay."""
    client.post(
        "/me/edit/",
        profile_form(links="My blog https://ada.example.org/blog\n\nhttps://github.com/ada"),
    )

    assert profile_of(ada).links == [
        {"label": "My blog", "url": "https://ada.example.org/blog"},
        {"label": "https://github.com/ada", "url": "https://github.com/ada"},
    ]
    page = client.get("/people/ada/").content.decode()
    assert 'href="https://ada.example.org/blog"' in page
    assert "My blog" in page

    refused = client.post("/me/edit/", profile_form(links="Homepage javascript:alert(1)"))

    assert refused.status_code == 400
    assert "is not an http(s) URL" in refused.content.decode()
    assert len(profile_of(ada).links) == 2
