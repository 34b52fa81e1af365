"""A guess at a speaker's gender from a first name, only where the text gives none.

The guess only picks which pool of voices a speaker is cast from; the script keeps the
speaker's gender as `unknown` and shows the guess as `cast_gender_guess`, and a producer can
pin a voice in the overrides. It reads the name list of gender-guesser (Jörg Michael's
nam_dict, `pip install audiobook[names]`), and guesses only when every entry for the name agrees.
"""

from __future__ import annotations

import re

from audiobook.model import Gender, Speaker
from audiobook.names import first_name_genders

_MALE, _FEMALE = {"M", "1M", "?M"}, {"F", "1F", "?F"}
_DESCRIPTION = re.compile(r"^(a|an|the|one)\s", re.IGNORECASE)


def guess_gender(speaker: Speaker) -> Gender | None:
    """'male' or 'female' when the speaker's first name is firmly one in the name list, else None."""
    words = speaker.name.split()
    if speaker.gender != "unknown" or len(words) < 2 or _DESCRIPTION.match(speaker.name):
        return None  # a known gender, a one-word name or organisation, or a description such as "a teacher"
    codes = first_name_genders(words[0])
    if codes and codes <= _MALE:
        return "male"
    if codes and codes <= _FEMALE:
        return "female"
    return None
