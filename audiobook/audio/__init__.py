"""Stage 6, Clips → MP3: the mix and its timeline, encoding and tags, cover art, sidecar files."""
