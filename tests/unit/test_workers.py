"""The workers speak clips one at a time in the order asked and level them on every core; the
article's analysis can run in a process of its own."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from audiobook.errors import AudiobookError
from audiobook.model import Voice
from audiobook.script.attribution import analyst, syntax
from audiobook.speech import synth
from audiobook.speech.cache import ClipCache
from audiobook.speech.engines import Audio
from audiobook.speech.synth import ClipJob, Workers

VOICE = Voice("narrator", "fake", "fake")


class RecordingEngine:
    """Says each text as a second of quiet noise, noting the order texts came in and how many at once."""

    def __init__(self) -> None:
        self.heard: list[str] = []
        self.at_once = self.most_at_once = 0
        self._lock = threading.Lock()

    def synthesize(self, text: str, voice: Voice) -> Audio:
        with self._lock:
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
            self.heard.append(text)
        time.sleep(0.01)
        with self._lock:
            self.at_once -= 1
        return Audio(bytes(range(256)) * 172, 22050)


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> RecordingEngine:
    recording = RecordingEngine()
    monkeypatch.setattr(synth, "shared_engine", lambda name: recording)
    return recording


def jobs(count: int) -> list[ClipJob]:
    return [ClipJob(index, f"text {index}", VOICE, f"{index:064x}") for index in range(count)]


def test_clips_are_spoken_one_at_a_time_in_the_order_asked(tmp_path: Path, engine: RecordingEngine):
    cache = ClipCache(tmp_path / "cache").open()
    wanted = jobs(12)
    with Workers(4) as workers:
        made = [workers.make(job, cache, len(wanted)) for job in wanted]
        paths = [future.result(timeout=60) for future in made]
    assert engine.heard == [job.text for job in wanted]
    assert engine.most_at_once == 1
    assert all(path.exists() and path.name.startswith(job.key) for path, job in zip(paths, wanted))


def test_a_cancelled_clip_is_never_spoken_or_kept(tmp_path: Path, engine: RecordingEngine):
    cache = ClipCache(tmp_path / "cache").open()
    wanted = jobs(30)
    with Workers(2) as workers:
        made = [workers.make(job, cache, len(wanted)) for job in wanted]
        assert made[-1].cancel()
        made[0].result(timeout=60)
    assert wanted[-1].text not in engine.heard
    assert cache.get(wanted[-1].key) is None


def test_the_analysis_aside_gives_what_the_analysis_in_process_gives(tmp_path: Path):
    texts = ["Minister quits", "", "“It is over,” said Prime Minister Nikol Pashinyan in Yerevan on Monday."]
    aside = analyst.analyse_aside(texts, tmp_path / "aside")()
    assert aside == syntax.analyse(texts, tmp_path / "here")
    assert "Nikol Pashinyan" in aside.people
    assert syntax.cached_analysis(texts, tmp_path / "aside") == aside  # the child kept it in the cache


def test_an_analysis_aside_that_fails_is_one_line(tmp_path: Path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(AudiobookError) as raised:
        analyst.analyse_aside(["A title", "", "Some words."], blocked)()
    assert "\n" not in str(raised.value) and str(raised.value)


def test_one_analyst_answers_a_whole_batch(tmp_path: Path):
    """The model loads once per run, not once per article."""
    first = analyst.analyse_aside(["One", "", "“Yes,” said Anna Fischer, a volunteer."], None)
    serving = analyst._analyst()
    assert "Anna Fischer" in first().people
    second = analyst.analyse_aside(["Two", "", "“No,” said Tom Reade, the director."], None)
    assert analyst._analyst() is serving and serving.process.poll() is None
    assert "Tom Reade" in second().people


def test_an_answer_never_waited_for_does_not_hold_up_the_next():
    """A render that fails before it takes its analysis (a bad voice, say) leaves the analyst usable."""
    analyst.analyse_aside(["Abandoned", "", "“Maybe,” said Ruth Okafor."], None)  # never waited for
    later = analyst.analyse_aside(["Later", "", "“Surely,” said Sean Doyle, the organiser."], None)
    assert "Sean Doyle" in later().people
