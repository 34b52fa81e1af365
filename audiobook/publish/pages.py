"""Static web pages for a feed: an index of episodes and one page per episode with a player,
chapters that seek, a transcript that follows playback, skip buttons and playback speed.

Everything is in the page (no asset from another host), usable with the keyboard alone and
with a screen reader: landmarks, labelled controls, a live region naming the chapter playing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from audiobook.model import Mix

_STYLE = """
:root { color-scheme: light; --ink: #1b1b1b; --paper: #fdfcf8; --accent: #0b4f8a; --mark: #fff1b8; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.125rem/1.6 system-ui, sans-serif; color: var(--ink); background: var(--paper); }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #c2410c; outline-offset: 3px; }
.skip-link { position: absolute; left: -999px; }
.skip-link:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .5rem; }
audio { width: 100%; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .75rem 0; }
button, select { font: inherit; padding: .4rem .8rem; border: 2px solid var(--accent); border-radius: .4rem;
  background: #fff; color: var(--accent); cursor: pointer; }
button:hover { background: #e8f0f8; }
ol.chapters { padding-left: 1.5rem; }
ol.chapters button { text-align: left; border-width: 1px; margin: .15rem 0; }
ol.transcript { list-style: none; padding: 0; }
ol.transcript li { padding: .35rem .5rem; border-left: 4px solid transparent; }
ol.transcript li.current { background: var(--mark); border-left-color: var(--accent); }
.speaker { font-weight: 700; }
.meta { color: #4a4a4a; }
"""

_SCRIPT = """
const audio = document.getElementById('player');
const data = JSON.parse(document.getElementById('timeline').textContent);
const now = document.getElementById('now-playing');
const follow = document.getElementById('follow');
let currentCue = -1, currentChapter = -1;
function seek(seconds) { audio.currentTime = Math.max(0, seconds); }
document.querySelectorAll('[data-seek]').forEach(button =>
  button.addEventListener('click', () => { seek(parseFloat(button.dataset.seek)); audio.play().catch(() => {}); }));
document.getElementById('back').addEventListener('click', () => seek(audio.currentTime - 15));
document.getElementById('forward').addEventListener('click', () => seek(audio.currentTime + 30));
document.getElementById('speed').addEventListener('change', event => { audio.playbackRate = parseFloat(event.target.value); });
function indexAt(list, time) {
  let found = -1;
  list.forEach((item, index) => { if (item.start <= time) found = index; });
  return found;
}
function update() {
  const time = audio.currentTime;
  // The cue being spoken, or in a pause the one about to be: after a jump, the listener sees where they are.
  const cue = data.cues.findIndex(item => time < item.end);
  if (cue !== currentCue) {
    if (currentCue >= 0) { const old = document.getElementById('cue-' + currentCue); old.classList.remove('current'); old.removeAttribute('aria-current'); }
    if (cue >= 0) {
      const line = document.getElementById('cue-' + cue);
      line.classList.add('current'); line.setAttribute('aria-current', 'true');
      if (follow.checked) line.scrollIntoView({block: 'nearest'});
    }
    currentCue = cue;
  }
  const chapter = indexAt(data.chapters, time);
  if (chapter !== currentChapter && chapter >= 0) {
    now.textContent = 'Now playing: ' + data.chapters[chapter].title;
    currentChapter = chapter;
  }
}
audio.addEventListener('timeupdate', update);
audio.addEventListener('seeked', update);
"""


@dataclass(frozen=True)
class PageEpisode:
    title: str
    subtitle: str | None
    date: str | None
    page: str
    """File name of the episode's page, relative to the feed folder."""
    audio: str
    duration: float
    speakers: tuple[str, ...]


def episode_page(episode: PageEpisode, mix: Mix, feed_title: str, index_href: str, feed_href: str, audio_href: str,
                 transcript_hrefs: dict[str, str]) -> str:
    chapters = "\n".join(
        f'<li><button type="button" data-seek="{chapter.start:.3f}">{escape(chapter.title)} '
        f'<span class="meta">({_clock(chapter.start)})</span></button></li>'
        for chapter in mix.chapters
    )
    cues = "\n".join(
        f'<li id="cue-{number}" data-start="{cue.start:.3f}"><span class="speaker">{escape(cue.speaker)}:</span> '
        f"{escape(cue.text)}</li>"
        for number, cue in enumerate(mix.cues)
    )
    timeline = json.dumps({
        "cues": [{"start": round(c.start, 3), "end": round(c.end, 3)} for c in mix.cues],
        "chapters": [{"start": round(c.start, 3), "title": c.title} for c in mix.chapters],
    }, ensure_ascii=False)
    # Inside <script>, "<!--", "<script" and "</script" change how the page is parsed: none may appear.
    timeline = timeline.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    downloads = " · ".join(f'<a href="{escape(href)}">{escape(label)}</a>' for label, href in transcript_hrefs.items())
    voices = ", ".join(escape(name) for name in episode.speakers) or "the narrator only"
    speeds = "".join(
        f'<option value="{speed}"{" selected" if speed == 1 else ""}>{speed}×</option>'
        for speed in (0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3)
    )
    return _page(f"{episode.title} · {feed_title}", f"""
<header>
  <p><a href="{escape(index_href)}">{escape(feed_title)}</a> · <a href="{escape(feed_href)}">Subscribe (RSS feed)</a></p>
  <h1>{escape(episode.title)}</h1>
  {f'<p>{escape(episode.subtitle)}</p>' if episode.subtitle else ''}
  <p class="meta">{escape(episode.date or '')} · {_clock(episode.duration)} · Voices: {voices}</p>
</header>
<main id="main">
  <section aria-labelledby="player-heading">
    <h2 id="player-heading">Listen</h2>
    <audio id="player" controls preload="metadata" src="{escape(audio_href)}" aria-label="Audio edition of {escape(episode.title)}"></audio>
    <div class="controls" role="group" aria-label="Playback">
      <button type="button" id="back">Back 15 seconds</button>
      <button type="button" id="forward">Forward 30 seconds</button>
      <label for="speed">Speed</label>
      <select id="speed">{speeds}</select>
    </div>
    <p id="now-playing" role="status" aria-live="polite"></p>
  </section>
  <nav aria-labelledby="chapters-heading">
    <h2 id="chapters-heading">Chapters</h2>
    <ol class="chapters">
{chapters}
    </ol>
  </nav>
  <section aria-labelledby="transcript-heading">
    <h2 id="transcript-heading">Transcript</h2>
    <p><input type="checkbox" id="follow" checked> <label for="follow">Follow the transcript as it plays</label></p>
    <p class="meta">Download: {downloads}</p>
    <ol class="transcript">
{cues}
    </ol>
  </section>
</main>
<footer><p class="meta">Audio edition made with audiobook.</p></footer>
<script type="application/json" id="timeline">{timeline}</script>
<script>{_SCRIPT}</script>
""")


def index_page(feed_title: str, description: str, feed_href: str, episodes: list[PageEpisode]) -> str:
    items = "\n".join(
        f'<li><h2><a href="{escape(e.page)}">{escape(e.title)}</a></h2>'
        f'<p class="meta">{escape(e.date or "")} · {_clock(e.duration)}</p>'
        f'{f"<p>{escape(e.subtitle)}</p>" if e.subtitle else ""}</li>'
        for e in episodes
    )
    return _page(feed_title, f"""
<header>
  <h1>{escape(feed_title)}</h1>
  <p>{escape(description)}</p>
  <p><a href="{escape(feed_href)}">Subscribe with the RSS feed</a></p>
</header>
<main id="main">
  <ol class="episodes" aria-label="Episodes">
{items}
  </ol>
</main>
<footer><p class="meta">Audio editions made with audiobook.</p></footer>
""")


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
{body}
</body>
</html>
"""


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
