"""Answers a journey types into a form, where several journeys give the same ones."""


def fill_in_the_referral(page, *, to="Warwickshire Drug Service", district="Rugby (Warwickshire)"):
    """The questions every referral asks, answered for J S, born 17 May 1990, referred on
    2 March 2026 (the pathway, the substances and the reason are each test's own)."""
    page.fill("#id_referral_date_0", "2")
    page.fill("#id_referral_date_1", "3")
    page.fill("#id_referral_date_2", "2026")
    page.get_by_label("Which agency are you referring the person to?").select_option(label=to)
    page.get_by_label("District where the person lives").select_option(label=district)
    page.get_by_label("First letter of their first name").fill("J")
    page.get_by_label("First letter of their surname").fill("S")
    page.fill("#id_subject_date_of_birth_0", "17")
    page.fill("#id_subject_date_of_birth_1", "5")
    page.fill("#id_subject_date_of_birth_2", "1990")
    page.get_by_label("Male", exact=True).check()
