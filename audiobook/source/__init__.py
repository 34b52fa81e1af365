"""Stage 1, location → Source: read a file, standard input or a URL, and decode its text."""
