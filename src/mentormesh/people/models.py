"""People: accounts, profiles, the skills vocabulary, organizations and memberships."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from mentormesh.people.vocab import normalize_skill_key
from mentormesh.people.zones import validate_timezone

handle_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9_-]{1,28})[a-z0-9]$",
    "A handle has 3–30 characters: lowercase letters, digits, '-' or '_', "
    "starting and ending with a letter or digit.",
    code="invalid_handle",
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, handle: str, email: str, password: str | None = None, **extra):
        user = self.model(handle=handle.lower(), email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, handle: str, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(handle, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    handle = models.CharField(max_length=30, unique=True, validators=[handle_validator])
    email = models.EmailField(max_length=254)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "handle"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return f"@{self.handle}"


class Level(models.TextChoices):
    STUDENT = "student", "Student"
    EARLY_CAREER = "early-career", "Early career"
    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    LEADER = "leader", "Leader"


class Visibility(models.TextChoices):
    NETWORK = "network", "Everyone in the network"
    ORGANIZATIONS = "organizations", "Only people in my organizations"


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True)
    display_name = models.CharField(max_length=100)
    headline = models.CharField(max_length=140, blank=True)
    bio = models.TextField(blank=True, max_length=5000, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    location = models.CharField(max_length=100, blank=True)
    links = models.JSONField(default=list, blank=True)
    max_mentees = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(50)],
        help_text="Most active mentoring relationships at once.",
    )
    hours_per_month = models.PositiveSmallIntegerField(
        default=4, validators=[MaxValueValidator(200)]
    )
    open_to_mentor = models.BooleanField(default=True)
    open_to_be_mentored = models.BooleanField(default=True)
    open_to_reverse = models.BooleanField(default=False)
    open_to_paid = models.BooleanField(default=False)
    paid_rate_minor = models.PositiveIntegerField(
        null=True, blank=True, help_text="Hourly rate in minor units (cents)."
    )
    paid_currency = models.CharField(max_length=3, blank=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["level"]), models.Index(fields=["visibility"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(open_to_paid=False)
                | (models.Q(paid_rate_minor__isnull=False) & ~models.Q(paid_currency="")),
                name="profile_paid_needs_rate",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.handle


class ProfileLanguage(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="profile_language_once")
        ]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return self.code


class SkillCategory(models.TextChoices):
    SOFTWARE = "software", "Software"
    DATA = "data", "Data"
    DESIGN = "design", "Design"
    PRODUCT = "product", "Product"
    BUSINESS = "business", "Business"
    LANGUAGES = "languages", "Languages"
    COMMUNICATION = "communication", "Communication"
    LEADERSHIP = "leadership", "Leadership"
    CAREER = "career", "Career"
    OTHER = "other", "Other"


class Skill(models.Model):
    name = models.CharField(max_length=60)
    key = models.CharField(max_length=60, unique=True, editable=False)
    category = models.CharField(
        max_length=16, choices=SkillCategory.choices, default=SkillCategory.OTHER
    )
    reviewed = models.BooleanField(
        default=True, help_text="Curated, or checked by staff after a member added it."
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True)

    class Meta:
        ordering = ["name"]

    def save(self, *args, **kwargs):
        self.key = normalize_skill_key(self.name)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


class SkillAlias(models.Model):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=60, unique=True)

    class Meta:
        verbose_name_plural = "skill aliases"

    def save(self, *args, **kwargs):
        self.alias = normalize_skill_key(self.alias)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.alias


class Proficiency(models.IntegerChoices):
    FAMILIAR = 1, "Familiar"
    PROFICIENT = 2, "Proficient"
    EXPERT = 3, "Expert"


class Priority(models.IntegerChoices):
    HIGH = 1, "High"
    MEDIUM = 2, "Medium"
    LOW = 3, "Low"


class OfferedSkill(models.Model):
    """A skill someone can help others with."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="offered_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="offered_by")
    proficiency = models.PositiveSmallIntegerField(
        choices=Proficiency.choices, default=Proficiency.PROFICIENT
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "skill"], name="offer_once")]

    def __str__(self) -> str:
        return f"{self.user} offers {self.skill}"


class SoughtSkill(models.Model):
    """A skill someone wants to learn, with the goal in their own words."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sought_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="sought_by")
    goal = models.CharField(max_length=300, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "skill"], name="seek_once")]
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return f"{self.user} seeks {self.skill}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class AvailabilityWindow(models.Model):
    """A weekly window, in the owner's own time zone."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="window_order"
            ),
            models.UniqueConstraint(fields=["user", "weekday", "start"], name="window_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class OrganizationKind(models.TextChoices):
    COMPANY = "company", "Company"
    SCHOOL = "school", "School"
    COMMUNITY = "community", "Community"


class Organization(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=OrganizationKind.choices)
    description = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    ADMIN = "admin", "Admin"


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    department = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=100, blank=True)
    manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="member_once")]
        indexes = [models.Index(fields=["organization", "department"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization}"


class Invitation(models.Model):
    """An org admin's invitation; the token travels by email and is stored only hashed."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    department = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=100, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is kept; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60, default="token")
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
