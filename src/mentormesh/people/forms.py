import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse_lazy

from mentormesh.people.languages import LANGUAGES
from mentormesh.people.models import (
    Level,
    OrganizationKind,
    Priority,
    Proficiency,
    Profile,
    Role,
    User,
    Visibility,
    Weekday,
)
from mentormesh.people.zones import timezone_names


def skill_input() -> forms.TextInput:
    """A text box that suggests skills from the vocabulary as the person types (HTMX)."""
    return forms.TextInput(
        attrs={
            "list": "skill-options", "autocomplete": "off", "hx-get": reverse_lazy("skill-options"),
            "hx-trigger": "input changed delay:150ms", "hx-target": "#skill-options", "hx-sync": "this:replace",
        }
    )  # fmt: skip


TIMEZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(timezone_names())]


def apply_domain_error(form: forms.Form, error) -> None:
    """Show a service's DomainError beside the field it names (or on top of the form)."""
    field = error.field if error.field in form.fields else None
    message = error.detail.split(": ", 1)[1] if field and ": " in error.detail else error.detail
    form.add_error(field, message)


class LoginForm(AuthenticationForm):
    # django-axes counts failures per handle and address and locks out after the limit.
    username = forms.CharField(
        label="Handle or email",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def clean_username(self) -> str:
        """One spelling per account (its handle), because axes counts failures per username
        as given: 'ADA' or ada's email must not earn a fresh set of attempts."""
        login = self.cleaned_data["username"].strip().lower()
        if "@" in login:
            handle = User.objects.filter(email__iexact=login).values_list("handle", flat=True)
            return handle.first() or login
        return login


class ResetPasswordForm(PasswordResetForm):
    """Also reaches accounts made by a CSV import, which have no usable password until their
    owner chooses one through this very email (Django's form skips such accounts)."""

    def get_users(self, email):
        wanted = unicodedata.normalize("NFKC", email).casefold()
        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if unicodedata.normalize("NFKC", user.email).casefold() == wanted
        )


class SignupForm(forms.Form):
    display_name = forms.CharField(max_length=100, label="Your name")
    handle = forms.CharField(
        max_length=30,
        min_length=3,
        help_text="3–30 lowercase letters, digits, '-' or '_'. Others @mention you by it.",
    )
    email = forms.EmailField()
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, initial="UTC", label="Time zone")
    password = forms.CharField(widget=forms.PasswordInput, min_length=8)
    password_again = forms.CharField(widget=forms.PasswordInput, label="Password again")

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, label="Time zone")
    languages = forms.MultipleChoiceField(
        choices=list(LANGUAGES.items()),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Hold Ctrl (⌘ on a Mac) to pick several.",
    )
    paid_rate = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        label="Hourly rate for paid sessions",
    )
    level = forms.ChoiceField(choices=[("", "—")] + Level.choices, required=False)
    visibility = forms.ChoiceField(choices=Visibility.choices, widget=forms.RadioSelect)
    links = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: a label, then the address. E.g. 'My blog https://example.org/blog'",
    )  # fmt: skip

    class Meta:
        model = Profile
        fields = [
            "display_name", "headline", "bio", "level", "years_experience", "timezone", "location",
            "max_mentees", "hours_per_month", "open_to_mentor", "open_to_be_mentored", "open_to_reverse",
            "open_to_paid", "paid_currency", "visibility",
        ]  # fmt: skip
        labels = {
            "max_mentees": "Most active mentoring relationships at once",
            "hours_per_month": "Hours a month I can give",
            "open_to_mentor": "Open to mentoring others",
            "open_to_be_mentored": "Open to being mentored",
            "open_to_reverse": "Open to reverse mentoring",
            "open_to_paid": "I offer paid sessions",
            "paid_currency": "Currency (ISO code, e.g. EUR)",
        }
        help_texts = {"bio": "Markdown: **bold**, _italic_, [links](https://…), lists."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["languages"].initial = [lang.code for lang in self.instance.languages.all()]
            if self.instance.paid_rate_minor is not None:
                self.fields["paid_rate"].initial = self.instance.paid_rate_minor / 100
            self.fields["links"].initial = "\n".join(
                f"{link['label']} {link['url']}" if link["label"] != link["url"] else link["url"]
                for link in self.instance.links
            )

    def clean_links(self) -> list[dict[str, str]]:
        """'My blog https://…' per line: the last word is the address, the rest its label."""
        links = []
        for line in self.cleaned_data["links"].splitlines():
            *label, url = line.split() or [""]
            if url:
                links.append({"label": " ".join(label), "url": url})
        return links

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["languages"] = self.cleaned_data["languages"]
        data["links"] = self.cleaned_data["links"]
        rate = self.cleaned_data.get("paid_rate")
        data["paid_rate_minor"] = None if rate is None else int(rate * 100)
        return data


class OfferForm(forms.Form):
    # Own id prefixes: the offer and seek forms share a page, and ids (label targets) must differ.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_offer_%s")
        super().__init__(*args, **kwargs)

    skill = forms.CharField(max_length=60, widget=skill_input())
    proficiency = forms.TypedChoiceField(
        choices=Proficiency.choices, coerce=int, initial=Proficiency.PROFICIENT
    )
    note = forms.CharField(
        max_length=200, required=False, help_text="e.g. 'code reviews, not interviews'"
    )


class SeekForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_seek_%s")
        super().__init__(*args, **kwargs)

    skill = forms.CharField(max_length=60, widget=skill_input())
    goal = forms.CharField(
        max_length=300, required=False, help_text="In your own words: what would success look like?"
    )
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int, initial=Priority.MEDIUM)


class WindowForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int)
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class DirectoryForm(forms.Form):
    q = forms.CharField(
        max_length=200,
        required=False,
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, topic, skill…"}),
    )
    skill = forms.CharField(max_length=60, required=False, label="Helps with", widget=skill_input())
    level = forms.ChoiceField(choices=[("", "Any level")] + Level.choices, required=False)
    org = forms.ChoiceField(
        choices=[("", "Any organization")], required=False, label="Organization"
    )
    open_to = forms.ChoiceField(
        required=False, label="Open to",
        choices=[("", "Anything"), ("mentor", "Mentoring"), ("mentee", "Being mentored"),
                 ("reverse", "Reverse mentoring"), ("paid", "Paid sessions")],
    )  # fmt: skip
    language = forms.ChoiceField(
        choices=[("", "Any language")] + list(LANGUAGES.items()), required=False
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [("", "Any organization")] + [
            (o.slug, o.name) for o in organizations
        ]


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=120)
    slug = forms.SlugField(max_length=50, help_text="Short name for links, e.g. 'acme'.")
    kind = forms.ChoiceField(choices=OrganizationKind.choices)
    description = forms.CharField(widget=forms.Textarea, required=False, max_length=2000)


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices)
    department = forms.CharField(max_length=100, required=False)
    title = forms.CharField(max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, handle, display_name, level, timezone, department, title, manager, role, headline, languages, offers, seeks.",
    )
    dry_run = forms.BooleanField(
        required=False, initial=True, label="Dry run: check the file, write nothing"
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=60, initial="token", help_text="What this token is for, e.g. 'laptop script'."
    )
