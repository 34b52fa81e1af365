"""Stage 7, episodes → Feed: the feed folder, RSS, episode pages and a local server."""
