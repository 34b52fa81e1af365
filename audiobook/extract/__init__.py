"""Stage 2, text → Article: one reader per format (plain text, Markdown, HTML), then one structure pass."""
