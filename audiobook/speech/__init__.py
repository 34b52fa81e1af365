"""Stage 5, Script + Cast → Clips: what the engine hears, the engines, synthesis, levelling and the cache."""
