"""End to end: a real article through the real engine and encoder, read back from the files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from audiobook.speech.analysis import median_f0
from audiobook.api import Options, render
from audiobook.quality.measures import decode, frame_bitrates, parse_srt, parse_vtt

from ..helpers import SHORT


def test_mp3_is_mono_constant_bit_rate_and_as_long_as_planned(rendered_short):
    episode, _ = rendered_short
    info = MP3(episode.mp3).info
    assert info.channels == 1
    assert abs(info.length - episode.duration) < 0.2
    rates = frame_bitrates(episode.mp3)
    assert len(rates) > 100
    assert set(rates) == {64}
    assert episode.size == episode.mp3.stat().st_size


def test_every_tag_is_written(rendered_short):
    episode, _ = rendered_short
    tags = ID3(episode.mp3)
    assert str(tags["TIT2"]) == "Flood Defences Hold in Riverside Town"
    assert str(tags["TPE1"])
    assert str(tags["TALB"])
    assert str(tags["TDRC"]) == "2024-03-04"
    assert str(tags.getall("COMM")[0]) == "Residents spent the night filling sandbags as the river rose."
    transcript = str(tags.getall("USLT")[0])
    assert "I have never seen the town pull together like this." in transcript
    assert "Support local journalists" not in transcript
    cover = tags.getall("APIC")[0]
    assert cover.mime == "image/png" and cover.data.startswith(b"\x89PNG")


def test_chapters_are_listed_in_time_order_in_the_file(rendered_short):
    episode, _ = rendered_short
    tags = ID3(episode.mp3)
    toc = tags.getall("CTOC")[0]
    chapters = {frame.element_id: frame for frame in tags.getall("CHAP")}
    assert list(toc.child_element_ids) == sorted(chapters, key=lambda key: chapters[key].start_time)
    # Players read CHAP frames in file order: check the raw tag, not mutagen's view of it.
    raw = episode.mp3.read_bytes()[:200_000]
    order = [raw[index + 10:index + 16].decode() for index in _find_all(raw, b"CHAP")]
    assert order == list(toc.child_element_ids)
    starts = [chapters[key].start_time for key in order]
    assert starts == sorted(starts) and len(starts) >= 3
    titles = [str(chapters[key].sub_frames["TIT2"]) for key in order]
    assert titles[0] == "Flood Defences Hold in Riverside Town"
    assert titles[1].startswith("Photo: Volunteers load sandbags")
    assert chapters[order[-1]].end_time <= round(episode.duration * 1000) + 1


def _find_all(data: bytes, needle: bytes) -> list[int]:
    found, position = [], data.find(needle)
    while position != -1:
        found.append(position)
        position = data.find(needle, position + 1)
    return found


def test_vtt_cues_lie_within_the_audio_and_name_their_speakers(rendered_short):
    episode, _ = rendered_short
    cues = parse_vtt(episode.vtt.read_text())
    assert cues, "no cues"
    for earlier, later in zip(cues, cues[1:]):
        assert earlier.end <= later.start
    assert all(cue.start < cue.end <= episode.duration for cue in cues)
    speakers = {cue.speaker for cue in cues}
    assert {"Narrator", "Describer", "Anna Fischer", "Tom Brennan"} <= speakers
    quote = next(cue for cue in cues if cue.speaker == "Anna Fischer")
    assert quote.text.startswith("We worked until three in the morning")


def test_vtt_cue_times_match_the_audio_heard(rendered_short):
    """Silence falls between cues and speech inside them: the times come from the assembled audio."""
    episode, _ = rendered_short
    samples, rate = decode(episode.mp3)
    cues = parse_vtt(episode.vtt.read_text())
    for cue, following in zip(cues, cues[1:]):
        gap = samples[int((cue.end + 0.06) * rate):int((following.start - 0.06) * rate)]
        if len(gap) > rate * 0.1:
            assert abs(gap).max() < 0.02, f"sound between cues at {cue.end:.2f}s"
        inside = samples[int(cue.start * rate):int(cue.end * rate)]
        assert abs(inside).max() > 0.05, f"no speech in cue at {cue.start:.2f}s"


def test_quoted_speakers_sound_unlike_the_narrator(rendered_short):
    episode, _ = rendered_short
    samples, rate = decode(episode.mp3)
    cues = parse_vtt(episode.vtt.read_text())

    def pitch_of(speaker: str) -> float:
        parts = [samples[int(c.start * rate):int(c.end * rate)] for c in cues if c.speaker == speaker]
        return median_f0(np.concatenate(parts), rate)

    narrator = pitch_of("Narrator")
    assert abs(pitch_of("Anna Fischer") - narrator) >= 15
    assert abs(pitch_of("Describer") - narrator) >= 15


def test_chapters_json_follows_podcasting_2(rendered_short):
    episode, _ = rendered_short
    document = json.loads(episode.chapters_json.read_text())
    assert document["version"] == "1.2.0"
    starts = [chapter["startTime"] for chapter in document["chapters"]]
    assert starts == sorted(starts)
    assert len(starts) == len(ID3(episode.mp3).getall("CHAP"))
    assert all(chapter["title"] for chapter in document["chapters"])


def test_transcript_reads_like_the_article_without_its_boilerplate(rendered_short):
    episode, _ = rendered_short
    text = episode.transcript.read_text()
    assert text.startswith("Flood Defences Hold in Riverside Town")
    assert "“This is the day we built it for,” he said." in text
    assert "Photo by Maria Lopez" in text
    assert text.count("The wall held.") == 0  # the pull quote is not read again
    assert "Support local journalists" not in text


def test_second_render_reuses_every_clip(rendered_short, tmp_path):
    episode, cache = rendered_short
    again = render(str(SHORT), tmp_path / "again.mp3", Options(cache_dir=cache.folder))
    assert again.synthesized == 0
    assert abs(again.duration - episode.duration) < 1e-6


def test_editing_one_paragraph_resynthesizes_only_its_segments(rendered_short, tmp_path):
    _, cache = rendered_short
    edited = tmp_path / "edited.txt"
    edited.write_text(SHORT.read_text().replace("sparing hundreds of homes", "sparing nearly four hundred homes"))
    episode = render(str(edited), tmp_path / "edited-episode.mp3", Options(cache_dir=cache.folder))
    assert episode.synthesized == 1


def test_sample_renders_whole_article(rendered_sample):
    assert 7 * 60 <= rendered_sample.duration <= 10.5 * 60
    cues = parse_vtt(rendered_sample.vtt.read_text())
    speakers = {cue.speaker for cue in cues}
    assert {"Jenny Paturyan", "Zaur Shiriyev", "a teacher from Stepanakert", "Giorgi Gogia"} <= speakers
    captions = [cue for cue in cues if cue.speaker == "Describer"]
    assert len(captions) == 3
    assert all(cue.text.startswith("Photo description:") and cue.text.count("Siranush Sargsyan") == 1 for cue in captions)


def test_interrupted_render_leaves_no_half_written_mp3(tmp_path, monkeypatch):
    import audiobook.api as pipeline

    real_encode = pipeline.encode_chunk
    calls = []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_encode(*args)

    existing = tmp_path / "episode.mp3"
    existing.write_bytes(b"the previous edition")
    monkeypatch.setattr(pipeline, "encode_chunk", interrupted)
    with pytest.raises(KeyboardInterrupt):
        render(str(SHORT), existing, Options(cache_dir=tmp_path / "cache"))
    assert existing.read_bytes() == b"the previous edition"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "episode.mp3"]


def test_hundreds_of_chapters_still_make_a_valid_table_of_contents(tmp_path):
    """One CTOC holds at most 255 children; an article with 300 photos nests its tables."""
    from audiobook.audio.encode import Tags, _tag
    from audiobook.model import Chapter, Mix

    chapters = tuple(Chapter(f"Photo {index}", index * 2.0, index * 2.0 + 2.0) for index in range(300))
    mp3 = tmp_path / "many.mp3"
    mp3.write_bytes(b"")
    _tag(mp3, Mix((), chapters, 22050, 600.0), Tags("t", "a", "b", None, None, "text", None, b"\x89PNG"))
    tags = ID3(mp3)
    top = next(frame for frame in tags.getall("CTOC") if frame.element_id == "toc")
    nested = [tags[f"CTOC:{child}"] for child in top.child_element_ids]
    assert [len(table.child_element_ids) for table in nested] == [255, 45]
    assert len(tags.getall("CHAP")) == 300


def test_other_bit_rates_keep_the_timeline_exact(tmp_path):
    episode = render(str(SHORT), tmp_path / "96.mp3", Options(cache_dir=tmp_path / "cache", bitrate=96))
    assert set(frame_bitrates(episode.mp3)) == {96}
    samples, rate = decode(episode.mp3)
    assert abs(len(samples) / rate - episode.duration) < 0.01


def test_render_writes_every_sidecar_publish_serves_and_they_agree(rendered_short):
    episode, _ = rendered_short
    beside = sorted(path.name for path in episode.mp3.parent.glob("short.*"))
    assert beside == ["short.chapters.json", "short.json", "short.mp3", "short.srt", "short.txt", "short.vtt"]
    vtt = parse_vtt(episode.vtt.read_text())
    srt = parse_srt(episode.mp3.with_suffix(".srt").read_text())
    assert len(vtt) > 5
    assert [(cue.start, cue.end, f"{cue.speaker}: {cue.text}") for cue in vtt] == \
        [(cue.start, cue.end, cue.text) for cue in srt]
    segments = json.loads(episode.mp3.with_suffix(".json").read_text())["segments"]
    assert [(cue.start, cue.end, cue.speaker, cue.text) for cue in vtt] == \
        [(s["startTime"], s["endTime"], s["speaker"], s["body"]) for s in segments]


def test_render_refuses_to_write_its_files_over_the_article(tmp_path):
    """`render ep.json -o ep.mp3` would put the JSON transcript where the edited script was."""
    from click.testing import CliRunner

    from audiobook.cli import main

    script = tmp_path / "ep.json"
    document = CliRunner().invoke(main, ["script", str(SHORT), "--json"]).stdout
    script.write_text(document)
    result = CliRunner().invoke(main, ["render", str(script), "-o", str(tmp_path / "ep.mp3")])
    assert result.exit_code == 2, result.output
    assert result.output.strip().count("\n") == 0 and "would replace the article" in result.output
    assert script.read_text() == document
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ep.json"]
