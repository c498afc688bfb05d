from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.template.response import TemplateResponse
from knox.models import AuthToken

from core.admin import FiguresFollowAdmin, NeverDeletedAdmin

from .api_tokens import api_token_issue, api_token_refusal, api_token_revoke, lacks_required_two_factor
from .models import Agency, ApiToken, User


@admin.register(User)
class UserAdmin(NeverDeletedAdmin, DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("Agency", {"fields": ("agency",)}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("Agency", {"fields": ("agency",)}),)
    list_display = ["username", "email", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["groups", "agency", "is_active"]
    list_select_related = ["agency"]  # list_display column


@admin.register(Agency)
class AgencyAdmin(FiguresFollowAdmin, NeverDeletedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["areas"]
    search_fields = ["name"]


# --- API tokens ---------------------------------------------------------------------------------
# knox's own admin lists digests and offers a change form; ours issues, shows and revokes.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


class ApiTokenIssueForm(forms.ModelForm):
    days = forms.IntegerField()  # bounds from the settings, in __init__

    class Meta:
        model = ApiToken
        fields = ["user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True)
        self.fields["days"] = forms.IntegerField(
            label="Valid for (days)",
            min_value=1,
            max_value=settings.API_TOKEN_MAX_DAYS,
            initial=settings.API_TOKEN_DAYS,
            help_text=f"At most {settings.API_TOKEN_MAX_DAYS}. The token stops working after this.",
        )

    def clean_user(self):
        user = self.cleaned_data["user"]
        refusal = api_token_refusal(user)
        if refusal:
            raise forms.ValidationError(refusal)
        return user


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Issue a token (shown once, on the page after), see who holds which, revoke one (delete).
    A token is never edited: a new one is issued instead."""

    list_display = ["__str__", "user", "created", "expiry", "status"]
    list_select_related = ["user"]  # list_display column
    search_fields = ["user__username", "token_key"]
    readonly_fields = ["starts_with", "created", "expiry", "status"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "days"]
        return ["user", "starts_with", "created", "expiry", "status"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = ApiTokenIssueForm if obj is None else forms.ModelForm
        return super().get_form(request, obj, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Starts with")
    def starts_with(self, api_token):
        return f"{api_token.token_key[:8]}…"

    @admin.display(description="Status")
    def status(self, api_token):
        if api_token.expired:
            return "Expired"
        if not api_token.user.is_active:
            return "Refused: the account is deactivated"
        if lacks_required_two_factor(api_token.user):
            return "Refused until its holder sets up two-factor authentication"
        return "Valid"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The token is shown on the page after saving, whichever button: only "Save".
        context.update(show_save_and_add_another=False, show_save_and_continue=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_form(self, request, form, change):
        api_token, token = api_token_issue(
            user=form.cleaned_data["user"], days=form.cleaned_data["days"], issued_by=request.user
        )
        api_token.issued_token = token  # for the next page only; never stored
        return api_token

    def save_model(self, request, obj, form, change):
        """Saved by api_token_issue."""

    def save_related(self, request, form, formsets, change):
        """A token has nothing related to save."""

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "API token issued",
            "api_token": obj,
            "token": obj.issued_token,
        }
        return TemplateResponse(request, "admin/accounts/apitoken/issued.html", context)

    def delete_model(self, request, obj):
        api_token_revoke(api_token=obj, revoked_by=request.user)

    def delete_queryset(self, request, queryset):
        for api_token in queryset.select_related("user"):
            api_token_revoke(api_token=api_token, revoked_by=request.user)
