"""Give every voice in the script a Voice: the narrator, the describer, one distinct voice per speaker."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path

from audiobook.casting.guess import guess_gender
from audiobook.casting.space import SIMILAR_ENOUGH_APART, VoiceSpace, load_space
from audiobook.errors import CastError
from audiobook.model import Cast, Gender, Script, Voice
from audiobook.tomlfile import read_toml

_GENDERS = ("female", "male", "unknown")
# How far each round of derived voices moves from its pool voice, so that reused voices still differ.
_PITCH_STEP = 18
_RATE_STEP = 8
NARRATOR_MARGIN = 0.05


@dataclass(frozen=True)
class CastProfile:
    """A cast file: its voices, and which of them read what."""

    narrator: Voice
    describer: Voice
    pools: dict[str, tuple[Voice, ...]]
    source: str
    voices: dict[str, Voice]
    """Every voice of the file by id."""
    space: VoiceSpace = field(default_factory=lambda: VoiceSpace([], []))
    """How alike its voices sound, as measured (empty when the cast was never measured)."""

    def voice(self, voice_id: str) -> Voice:
        """A voice by id, including voices derived past a pool's end ('scottish-woman~2')."""
        base, _, round_number = voice_id.partition("~")
        if base not in self.voices or (round_number and not round_number.isdigit()):
            raise CastError(f"{self.source}: the cast has no voice {voice_id!r} (see 'audiobook voices')")
        return _derive(self.voices[base], int(round_number or 0))


def default_cast_path() -> Path:
    return Path(str(resources.files("audiobook.casting") / "defaults" / "default.toml"))


def space_path(cast_path: Path) -> Path:
    """Where a cast's measured voice space lives: CAST.voice-space.json beside CAST.toml."""
    return cast_path.with_suffix(".voice-space.json")


def load_profile(path: Path | None = None) -> CastProfile:
    path = path or default_cast_path()
    data = read_toml(path, "cast file", CastError)
    voices = {voice_id: _voice(voice_id, table, path) for voice_id, table in data.get("voices", {}).items()}
    cast = data.get("cast", {})

    def named(voice_id: str) -> Voice:
        if voice_id not in voices:
            raise CastError(f"{path}: the cast names voice {voice_id!r}, which has no [voices.{voice_id}] table")
        return voices[voice_id]

    for role in ("narrator", "describer"):
        if role not in cast:
            raise CastError(f"{path}: [cast] must name a {role}")
    narrator, describer = named(cast["narrator"]), named(cast["describer"])
    pools = {gender: tuple(named(voice_id) for voice_id in cast.get(gender, ())) for gender in _GENDERS}
    if not any(pools.values()):
        raise CastError(f"{path}: [cast] has no voices for speakers (female, male, unknown)")
    return CastProfile(narrator, describer, pools, str(path), voices, load_space(space_path(path)))


def _voice(voice_id: str, table: dict, path: Path) -> Voice:
    known = {field.name for field in fields(Voice)} - {"id"}
    unknown = set(table) - known
    if unknown:
        raise CastError(f"{path}: voice {voice_id!r} has unknown settings: {', '.join(sorted(unknown))}")
    for required in ("engine", "name"):
        if required not in table:
            raise CastError(f"{path}: voice {voice_id!r} needs an {required!r}")
    if table.get("gender", "unknown") not in _GENDERS:
        raise CastError(f"{path}: voice {voice_id!r} has gender {table['gender']!r}; use female, male or unknown")
    return Voice(id=voice_id, **table)


def cast_script(script: Script, profile: CastProfile, pinned: dict[str, Voice] | None = None) -> Cast:
    """Hand out voices: pinned ones first, then each speaker a free voice of their gender's pool.

    A speaker's first choice in the pool comes from a hash of their name, so the same person
    gets the same voice in every episode. Where the cast's voices were measured, that choice
    stands only while it sounds clearly apart from the narrator, the describer and everyone
    cast before; otherwise the speaker gets the pool voice (or derived voice) that sounds least
    like any of them.
    """
    pinned = pinned or {}
    heard = [profile.narrator, profile.describer, *pinned.values()]
    taken = {_sound(voice) for voice in heard}
    assigned: dict[str, Voice] = {}
    guesses: dict[str, Gender] = {}
    for speaker in script.speakers:
        if speaker.id in pinned:
            assigned[speaker.id] = pinned[speaker.id]
            continue
        if guess := guess_gender(speaker):
            guesses[speaker.id] = guess
        gender = guesses.get(speaker.id, speaker.gender)
        pool = profile.pools[gender] or profile.pools["unknown"] or _any_pool(profile)
        start = int(hashlib.sha256(speaker.name.lower().encode()).hexdigest(), 16) % len(pool)
        voice = _next_free(pool[start:] + pool[:start], taken, heard, profile.space)
        taken.add(_sound(voice))
        heard.append(voice)
        assigned[speaker.id] = voice
    return Cast(narrator=profile.narrator, describer=profile.describer, speakers=assigned, gender_guesses=guesses)


def at_rate(profile: CastProfile, rate: int) -> CastProfile:
    """The cast with the narrator at ``rate`` words per minute and every other voice keeping its pace relative to it."""
    factor = rate / profile.narrator.rate

    def scaled(voice: Voice) -> Voice:
        return replace(voice, rate=max(80, round(voice.rate * factor)))

    return CastProfile(
        scaled(profile.narrator), scaled(profile.describer),
        {gender: tuple(scaled(voice) for voice in pool) for gender, pool in profile.pools.items()}, profile.source,
        {voice_id: scaled(voice) for voice_id, voice in profile.voices.items()}, profile.space,
    )


def _any_pool(profile: CastProfile) -> tuple[Voice, ...]:
    return tuple(voice for pool in profile.pools.values() for voice in pool)


def _next_free(pool: tuple[Voice, ...], taken: set[tuple], heard: list[Voice], space: VoiceSpace) -> Voice:
    """The first pool voice not in use (past the pool's end, derived voices higher and lower in
    pitch), unless measurement says it sounds too like a voice already heard."""
    free = [
        candidate for round_number in range(0, 20) for voice in pool
        if _sound(candidate := _derive(voice, round_number)) not in taken
    ]
    if not free:
        raise CastError("ran out of distinct voices: add voices to the cast file")
    measured = [candidate for candidate in free if candidate in space]
    if not measured:
        return free[0]
    # The narrator counts a little closer than measured: a quote must stand out from the voice heard most.
    closeness = [
        max(space.closest(candidate, heard[1:]), space.closest(candidate, heard[:1]) + NARRATOR_MARGIN)
        for candidate in measured
    ]
    good_enough = max(min(closeness) + 0.02, SIMILAR_ENOUGH_APART)
    return next(candidate for candidate, close in zip(measured, closeness) if close <= good_enough)


def derived_voices(voice: Voice, rounds: int) -> list[Voice]:
    """The voices derived from a pool voice in its first rounds, as casting makes them past the pool's end."""
    return [_derive(voice, round_number) for round_number in range(1, rounds + 1)]


def _derive(voice: Voice, round_number: int) -> Voice:
    if round_number == 0:
        return voice
    # Alternate up and down: +1, -1, +2, -2 steps, so derived voices spread on both sides.
    steps = (round_number + 1) // 2 * (1 if round_number % 2 else -1)
    pitch = max(0, min(99, voice.pitch + steps * _PITCH_STEP))
    rate = voice.rate + steps * _RATE_STEP
    return replace(voice, id=f"{voice.id}~{round_number}", pitch=pitch, rate=rate)


def _sound(voice: Voice) -> tuple:
    """What makes two voices sound the same: everything but the id."""
    return (voice.engine, voice.name, voice.variant, voice.pitch, voice.rate)
