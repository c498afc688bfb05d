from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from knox.models import AuthToken

from geography.models import Area


class Role(models.TextChoices):
    """The four roles, each a Django group of the same name (created by a data migration)."""

    ANALYST = "Analyst"
    MANAGER = "Manager"
    PARTNER = "Partner"
    ADMINISTRATOR = "Administrator"


class Agency(models.Model):
    """An organisation whose staff use the service: a partner agency or a police force team.

    It lives here, beside the user, because membership is part of who a user is; the partners
    app builds referrals on top of it.
    """

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        COMMUNITY_SAFETY_PARTNERSHIP = "csp", "Community safety partnership"
        HEALTH = "health", "Health service"
        TREATMENT = "treatment", "Drug and alcohol treatment service"
        SCHOOL = "school", "School or college"
        YOUTH = "youth", "Youth service"
        POLICE = "police", "Police (arrest referral)"
        OTHER = "other", "Other"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    areas = models.ManyToManyField(Area, related_name="agencies", blank=True, verbose_name="areas served")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="Partner users belong to exactly one agency and see only its referrals.",
    )

    class Meta:
        ordering = ["username"]

    def get_session_auth_hash(self):
        # A user kept in the cache (accounts.access) carries this hash instead of the password.
        if "password" not in self.__dict__ and hasattr(self, "kept_session_auth_hash"):
            return self.kept_session_auth_hash
        return super().get_session_auth_hash()

    def has_role(self, role):
        from .access import access_of  # the access cache reads this model's relations

        return (self.is_superuser and role == Role.ADMINISTRATOR) or role in access_of(self)["roles"]

    @property
    def roles(self):
        return [role for role in Role if self.has_role(role)]

    @property
    def primary_role(self):
        """The role that decides the landing page: the most powerful one the user holds."""
        for role in (Role.ADMINISTRATOR, Role.MANAGER, Role.ANALYST, Role.PARTNER):
            if self.has_role(role):
                return role
        return None

    def __str__(self):
        return self.get_full_name() or self.username


class ApiToken(AuthToken):
    """An API token as the service shows it. django-rest-knox stores a digest of the token, never
    the token, and its first characters (`token_key`), by which its holder can tell which token
    an Administrator means. Issued and revoked through accounts.api_tokens."""

    class Meta:
        proxy = True
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.token_key[:8]}… for {self.user}"

    @property
    def expired(self):
        return self.expiry is not None and self.expiry < timezone.now()
