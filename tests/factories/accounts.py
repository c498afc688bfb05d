import factory
from django.contrib.auth.models import Group

from accounts.models import Agency, User


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.TREATMENT


class UserFactory(factory.django.DjangoModelFactory):
    """A user with one role: UserFactory(role="Analyst")."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery-staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if extracted == "Administrator":
                self.is_staff = True
                self.save(update_fields=["is_staff"])


def api_token(user, *, days=30):
    """A token issued to `user` as an Administrator issues one: the token itself, for the
    Authorization header."""
    from accounts.api_tokens import api_token_issue

    return api_token_issue(user=user, days=days, issued_by=user)[1]
