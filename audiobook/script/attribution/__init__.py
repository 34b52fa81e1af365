"""Who speaks each quotation: cues (cues.py) read with the lexicon (lexicon.toml), people tracked through
the article (people.py), paragraph by paragraph (attributor.py)."""

from audiobook.script.attribution.attributor import CAUTIOUS, CONFIDENCE, UNCERTAIN, UNSURE, AttributedSpan, Attributor
from audiobook.script.attribution.people import Person

__all__ = ["CAUTIOUS", "CONFIDENCE", "UNCERTAIN", "UNSURE", "AttributedSpan", "Attributor", "Person"]
