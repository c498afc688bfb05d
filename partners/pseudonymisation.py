"""The keyed hash that recognises a person referred more than once without storing who they are.

National drug treatment reporting builds its client key from first initial, surname initial,
date of birth and sex. Hashing those with a secret key (HMAC-SHA256) means the stored value
cannot be reversed by trying every combination without the key, while the same person referred
by two agencies gives the same value.
"""

import hashlib
import hmac
import unicodedata

from django.conf import settings


def normalised_initial(letter):
    """'é' -> 'E', ' b' -> 'B': agencies type initials differently."""
    letter = unicodedata.normalize("NFKD", (letter or "").strip())
    letter = "".join(character for character in letter if not unicodedata.combining(character))
    return letter[:1].upper()


def subject_key(*, first_initial, surname_initial, date_of_birth, sex):
    message = "|".join(
        [
            normalised_initial(first_initial),
            normalised_initial(surname_initial),
            date_of_birth.isoformat(),
            (sex or "").strip().upper(),
        ]
    )
    key = settings.PSEUDONYMISATION_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
