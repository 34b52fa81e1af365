"""Who speaks each quotation: cues (cues.py) read with the lexicon (lexicon.toml), people tracked through
the article (people.py), paragraph by paragraph (attributor.py); the article's names as a language model
finds them (syntax.py), in a process of its own (analyst.py).

Nothing is imported here: the analyst's process needs syntax.py alone, and importing the rules took it
0.2 s of the time a render waits for the analysis."""
