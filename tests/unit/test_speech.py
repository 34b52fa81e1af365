"""What the engine hears: respellings and print conventions made speakable, the transcript untouched."""

from __future__ import annotations

import pytest

from audiobook.speech.ear import Lexicon, for_the_ear

NONE = Lexicon()


@pytest.mark.parametrize(
    ("printed", "heard"),
    [
        ("It cost £1.2m and $3.5bn.", "It cost 1.2 million pounds and 3.5 billion dollars."),
        ("A £1 coin and €20 notes", "A 1 pound coin and 20 euros notes"),
        ("He met officials at No. 10 today.", "He met officials at number 10 today."),
        ("BRANDON, Man. — Authorities said", "BRANDON, Manitoba, Authorities said"),
        ("on 19 Nov. 2024 at 4:12 p.m.", "on 19 November 2024 at 4:12 p.m."),
        ("figures from the 1990s and the 1900s", "figures from the 19 nineties and the 1900s"),
        ("between 10–12 people", "between 10 to 12 people"),
        ("Visit https://www.example.com/news/today for more", "Visit example.com for more"),
        ("the IWPR, the GMB union and NATO", "the I W P R, the G M B union and NATO"),
        ("PORT ELIN — Residents voted", "PORT ELIN, Residents voted"),
        ("unsafe. […] You don’t have to", "unsafe. … You don’t have to"),
        ("The meeting starts at 07.00 GMT.", "The meeting starts at 07:00 G M T."),
        ("Climbers on Mt. Everest", "Climbers on Mount Everest"),
    ],
)
def test_print_conventions_become_speakable(printed, heard):
    assert for_the_ear(printed, NONE) == heard


def test_lexicon_respells_whole_words_only():
    lexicon = Lexicon({"Stepanakert": "Stepana-kert", "Aliyev": "Ali-yev"})
    assert for_the_ear("In Stepanakert, Aliyev’s forces", lexicon) == "In Stepana-kert, Ali-yev’s forces"
    assert for_the_ear("Stepanakerters", lexicon) == "Stepanakerters"
