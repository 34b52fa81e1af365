"""Stage 3, Article → Script: quotations, who speaks each, chapters, producers' corrections, the script file."""
