"""Encode chunks to constant-bit-rate MP3, check them as decoded, join them, and tag the file:
title, date, transcript, cover, chapters.

Only this module touches lameenc, soundfile (decoding) and mutagen, and each is imported when
first used, so commands that encode nothing do not load them. The MP3 is written under a
temporary name in the target folder and renamed into place once tagged, so an interrupted
render never leaves a half-written file under the final name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audiobook.files import replacing
from audiobook.model import Mix

if TYPE_CHECKING:
    import numpy as np

DEFAULT_BITRATE = 64
# LAME's own default trade-off (0 best, 9 fastest): at 64 kbps mono speech, 2 sounds no better and takes twice as long.
LAME_QUALITY = 5


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str
    album: str
    date: str | None
    description: str | None
    transcript: str
    source_url: str | None
    cover_png: bytes


# LAME starts every stream with this many samples of its own (encoder delay) before the input's first.
ENCODER_DELAY = 1105

# The episode's true peak, as decoded, stays at or under -1 dBTP (podcast delivery specs); chunks are
# held 0.5 dB under it, for decoders and true-peak meters that interpolate differently from ours.
EPISODE_PEAK_DBTP = -1.0
CHUNK_PEAK_DBTP = EPISODE_PEAK_DBTP - 0.5
# The codec overshoots the peaks it is given (up to 1.5 dB at 32 kbps), and not smoothly: limiting
# 0.3 dB harder can come out 0.1 dB higher. Each try limits the chunk at least 0.5 dB harder than the
# last; two or three tries have always been enough (32 kbps), so six leave room.
_PEAK_TRIES = 6
_LEAST_STEP_DB = 0.5


def encode_chunk(pcm: bytes, sample_rate: int, bitrate: int = DEFAULT_BITRATE) -> bytes:
    """A stand-alone CBR MP3 stream of one chunk whose true peak, decoded, is under CHUNK_PEAK_DBTP.

    The codec's overshoot is measured on the decoded stream; when the peak misses, the chunk's
    peaks are limited harder (by the excess, at least 0.5 dB) and it is encoded again. Streams of one format join into one
    playable file: each is whole frames with no header of its own (lameenc writes no Xing/LAME tag).
    """
    from audiobook.speech.analysis import limit_pcm, true_peak_dbtp  # numpy loads only when encoding

    ceiling, attempt = CHUNK_PEAK_DBTP, pcm
    for _ in range(_PEAK_TRIES):
        mp3 = _encode(attempt, sample_rate, bitrate)
        overshoot = true_peak_dbtp(decode(mp3), sample_rate) - CHUNK_PEAK_DBTP
        if overshoot <= 0:
            break
        ceiling -= max(overshoot, _LEAST_STEP_DB)
        attempt = limit_pcm(pcm, sample_rate, ceiling)
    return mp3


def decode(mp3: bytes) -> np.ndarray:
    """Mono float samples of an MP3 stream, as a player decodes it (libmpg123 through libsndfile).

    Single precision, as players and ffmpeg decode: a third quicker to decode and oversample than
    double, and the peak it gives differs by under 1e-5 dB."""
    import io

    import soundfile

    signal, _ = soundfile.read(io.BytesIO(mp3), dtype="float32")
    return signal if signal.ndim == 1 else signal.mean(axis=1)


def _encode(pcm: bytes, sample_rate: int, bitrate: int) -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(LAME_QUALITY)
    return bytes(encoder.encode(pcm) + encoder.flush())


def played_samples(mp3: bytes, sample_rate: int, bitrate: int = DEFAULT_BITRATE) -> int:
    """How many samples a decoder plays for a CBR stream: whole frames, counted from its length."""
    samples_per_frame = 1152 if sample_rate >= 32000 else 576
    frame_bytes = samples_per_frame / 8 * bitrate * 1000 / sample_rate
    return round(len(mp3) / frame_bytes) * samples_per_frame


class Mp3Writer:
    """Joins encoded chunks into one MP3 under a temporary name, then tags it.

    Used as a context manager: on a clean exit the tagged file is renamed to its final path;
    on any error the temporary file is removed and an existing file at the path is untouched.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._replacing = replacing(path)

    def __enter__(self) -> Mp3Writer:
        self._temporary = self._replacing.__enter__()
        self._file = open(self._temporary, "wb")
        return self

    @property
    def temporary(self) -> Path:
        """The file being written, complete once ``finish`` has run."""
        return self._temporary

    def write(self, mp3: bytes) -> None:
        self._file.write(mp3)

    def finish(self, mix: Mix, tags: Tags) -> None:
        """Write the tags; the file takes its final name when the block ends."""
        self._file.close()
        _tag(self._temporary, mix, tags)

    def __exit__(self, kind, error, traceback) -> None:  # noqa: ANN001
        self._file.close()
        self._replacing.__exit__(kind, error, traceback)


def _tag(path: Path, mix: Mix, tags: Tags) -> None:
    from mutagen.id3 import APIC, CHAP, COMM, CTOC, TALB, TCON, TDRC, TIT2, TLEN, TPE1, USLT, WOAS, CTOCFlags

    id3 = _chapter_ordered_id3()
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TPE1(encoding=3, text=tags.artist))
    id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TCON(encoding=3, text="Podcast"))
    id3.add(TLEN(encoding=3, text=str(round(mix.duration * 1000))))
    if tags.date:
        id3.add(TDRC(encoding=3, text=tags.date))
    if tags.description:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=tags.description))
    id3.add(USLT(encoding=3, lang="eng", desc="transcript", text=tags.transcript))
    if tags.source_url:
        id3.add(WOAS(url=tags.source_url))
    id3.add(APIC(encoding=3, mime="image/png", type=3, desc="cover", data=tags.cover_png))
    ids = [f"chp{index:03d}" for index in range(len(mix.chapters))]
    # A CTOC counts its children in one byte: past 255 chapters (many photos), nest tables of 255.
    groups = [ids[start:start + 255] for start in range(0, len(ids), 255)]
    if len(groups) > 1:
        for number, group in enumerate(groups, start=1):
            id3.add(CTOC(element_id=f"toc{number}", flags=CTOCFlags.ORDERED, child_element_ids=group,
                         sub_frames=[TIT2(encoding=3, text=f"Chapters, part {number}")]))
        groups = [[f"toc{number}" for number in range(1, len(groups) + 1)]]
    id3.add(CTOC(
        element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=groups[0] if groups else [],
        sub_frames=[TIT2(encoding=3, text="Chapters")],
    ))
    for element_id, chapter in zip(ids, mix.chapters):
        id3.add(CHAP(
            element_id=element_id, start_time=round(chapter.start * 1000), end_time=round(chapter.end * 1000),
            start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF, sub_frames=[TIT2(encoding=3, text=chapter.title)],
        ))
    id3.save(path, v2_version=4)


def _chapter_ordered_id3():  # noqa: ANN202 - a mutagen ID3, whose class loads with mutagen
    """mutagen writes frames sorted by size; players list CHAP frames in file order, so keep time order."""
    from mutagen.id3 import ID3
    from mutagen.id3._tags import save_frame  # the one frame serialiser; needed to control CHAP order

    class ChapterOrderedID3(ID3):
        def _write(self, config):  # noqa: ANN001 - mutagen's own signature
            chapters = sorted(self.getall("CHAP"), key=lambda frame: frame.start_time)
            self.delall("CHAP")
            try:
                others = super()._write(config)
            finally:
                for frame in chapters:
                    self.add(frame)
            return others + b"".join(save_frame(frame, config=config) for frame in chapters)

    return ChapterOrderedID3()
