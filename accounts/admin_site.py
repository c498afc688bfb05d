from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    site_header = "Strategy Portal administration"
    site_title = "Strategy Portal administration"

    def has_permission(self, request):
        # Only Administrators, whatever other flags an account carries, and, where their role
        # requires two-factor authentication, only once this session has confirmed a code.
        from .two_factor import two_factor_pending  # not at the top: loads models

        user = request.user
        return (
            user.is_active
            and user.is_authenticated
            and user.has_role("Administrator")
            and not two_factor_pending(user)
        )


class PortalAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.PortalAdminSite"
