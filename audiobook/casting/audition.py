"""A sample of every voice in a cast, as one chaptered MP3, so a producer can listen before rendering."""

from __future__ import annotations

from pathlib import Path

from audiobook.casting.profile import CastProfile
from audiobook.model import Cast, Episode, Script, Segment, Speaker, Voice
from audiobook.api import Options, Prepared, render_prepared
from audiobook.speech.ear import Lexicon

SAMPLE_LINE = "The river peaked just below the top of the new flood wall on Sunday night, sparing hundreds of homes."


def audition(profile: CastProfile, output: Path, options: Options = Options()) -> Episode:
    """Each voice introduces itself (its role, engine voice, rate) and reads the same line."""
    voices: list[tuple[str, Voice]] = [("narrator", profile.narrator), ("describer", profile.describer)]
    voices += [(f"{gender} speakers", voice) for gender, pool in profile.pools.items() for voice in pool]
    speakers, segments, assigned = [], [], {}
    for number, (role, voice) in enumerate(voices):
        speaker_id = f"voice-{number}"
        variant = f" plus {voice.variant}" if voice.variant else ""
        speakers.append(Speaker(speaker_id, voice.id, voice.gender))
        assigned[speaker_id] = voice
        segments.append(Segment(
            "quote", f"This is {voice.id}, for {role}: {voice.engine} voice {voice.name}{variant}, "
            f"{voice.rate} words a minute. {SAMPLE_LINE}",
            speaker=speaker_id, paragraph=number, chapter=f"{voice.id} ({role})",
        ))
    script = Script(title=f"Voices of {Path(profile.source).stem}", segments=tuple(segments), speakers=tuple(speakers))
    cast = Cast(narrator=profile.narrator, describer=profile.describer, speakers=assigned)
    return render_prepared(Prepared(script, cast, Lexicon(), "audition"), output, options)
