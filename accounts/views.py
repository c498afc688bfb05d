from django.shortcuts import render

from .models import Role
from .navigation import sections_for

LANDING_HEADINGS = {
    Role.ADMINISTRATOR: "Administration",
    Role.MANAGER: "Strategy overview",
    Role.ANALYST: "Analyst workspace",
    Role.PARTNER: "Partner referrals",
}


def home(request):
    """Where each role lands after signing in: the sections it may use."""
    role = request.user.primary_role
    sections = [s for s in sections_for(request.user) if s["url_name"] != "home"]
    return render(
        request,
        "accounts/home.html",
        {
            "role": role,
            "heading": LANDING_HEADINGS.get(role, "Your account"),
            "sections": sections,
            "agency": request.user.agency,
        },
    )
