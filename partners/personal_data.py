"""Free text on a referral (its reason, status notes, withdrawal reasons) must not carry the
person's contact details: the service keeps initials, date of birth and sex, nothing more.

The same checks back the form, the API and the services, so no door takes what another refuses.
Phone numbers are found with libphonenumber (the `phonenumbers` package), which reads a number
however it is punctuated ("07700.900.123", "+44 (0)7700 900123", "(01926) 415-000"); e-mail
addresses and postcodes with patterns, e-mail addresses spelled out too ("john at example dot com").
"""

import re

import phonenumbers

NOTE_MAX_LENGTH = 2000

# A dot or "@", written or spelled out: "@", " at ", "(at)", "[at]", "{at}"; ".", " dot ", "(dot)".
_AT = r"(?:\s*@\s*|\s*[\(\[\{]\s*at\s*[\)\]\}]\s*|\s+at\s+)"
_DOT = r"(?:\s*\.\s*|\s*[\(\[\{]\s*dot\s*[\)\]\}]\s*|\s+dot\s+)"
# Spelled out, an address is only taken for one when it ends like one, so that "met at home"
# or "seen at the hub" stays a sentence.
_ENDINGS = r"(?:com|co|uk|org|net|gov|nhs|ac|io|me|info|biz|edu|police|sch|mail)"
EMAIL_ADDRESS = re.compile(
    rf"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}{_ENDINGS}\b",
    re.IGNORECASE,
)
# Royal Mail's postcode format: outward code (area, district) and inward code (sector, unit).
POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)


def phone_numbers_in(text):
    """UK phone numbers in `text`, however written. A possible number written as UK numbers are
    written (from 0, +44 or 0044) with at least nine digits after the trunk prefix: years and
    references ("1990", "2026-000123") are not numbers to call."""
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        written = match.raw_string.lstrip("([ ")
        if not written.startswith(("0", "+")):
            continue
        if len(str(match.number.national_number)) >= 9 and phonenumbers.is_possible_number(match.number):
            found.append(match.raw_string)
    return found


def contact_details_problem(text):
    """What to remove from `text`, as the user is told it, or None."""
    text = text or ""
    if phone_numbers_in(text):
        return "Remove the phone number: the service must not keep contact details"
    if EMAIL_ADDRESS.search(text):
        return "Remove the email address: the service must not keep contact details"
    if POSTCODE.search(text):
        return "Remove the postcode: the service must not keep the person's address"
    return None


def note_problem(text, *, label="The note"):
    """Why `text` cannot be kept as a free-text note, or None."""
    if len(text or "") > NOTE_MAX_LENGTH:
        return f"{label} must be {NOTE_MAX_LENGTH:,} characters or fewer"
    return contact_details_problem(text)
