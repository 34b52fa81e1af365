"""Stage 4, Script → Cast: voices from cast files (the default cast and lexicon ship in defaults/)."""
