"""Generated hostile inputs for the feed state loaders and the text reader: a result or a one-line
InputError, never another exception; text read is always something XML can carry."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.errors import InputError
from audiobook.publish.state import FeedSettings, load_episodes, load_settings, load_voices, settings_toml
from audiobook.source.reader import decode

_XML_CHARS = re.compile("^[\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$")
_GOOD = {"guid": "g", "slug": "a", "number": 1, "title": "t", "subtitle": None, "date": "2024-01-01",
         "duration": 1.5, "bytes": 10, "speakers": ["A"], "content_html": "<p>x</p>"}
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
_mutated_episode = st.builds(
    lambda key, value, drop: ({k: v for k, v in _GOOD.items() if k != drop} | ({key: value} if key else {})),
    st.sampled_from([None, *_GOOD]), _json_values, st.sampled_from([None, *_GOOD]),
)
_FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FAST
@given(st.one_of(_json_values, st.lists(_mutated_episode, max_size=3)))
def test_episodes_json_of_any_shape_loads_or_is_one_line(tmp_path, document):
    (tmp_path / "episodes.json").write_text(json.dumps(document))
    try:
        episodes = load_episodes(tmp_path)
    except InputError as error:
        assert "\n" not in str(error) and "episodes.json" in str(error)
    else:
        assert all(re.match(r"^[a-z0-9][a-z0-9-]*$", episode.slug) for episode in episodes)
    (tmp_path / "voices.json").write_text(json.dumps(document))
    try:
        load_voices(tmp_path)
    except InputError as error:
        assert "\n" not in str(error)


@_FAST
@given(st.dictionaries(st.sampled_from([f for f in FeedSettings.__dataclass_fields__]),
                       st.text(max_size=30) | st.booleans() | st.integers()))
def test_feed_toml_with_any_values_loads_or_is_one_line(tmp_path, changes):
    import tomli_w

    table = {**FeedSettings().__dict__, **changes}
    (tmp_path / "feed.toml").write_text(tomli_w.dumps(table))
    try:
        loaded = load_settings(tmp_path)
    except InputError as error:
        assert "\n" not in str(error) and "feed.toml" in str(error)
    else:
        (tmp_path / "feed.toml").write_bytes(settings_toml(loaded))
        assert load_settings(tmp_path) == loaded


@_FAST
@given(st.binary(max_size=300) | st.text(max_size=200).map(lambda text: ("\ufeff" + text).encode("utf-8", "surrogatepass")))
def test_any_bytes_read_as_xml_safe_text_or_a_one_line_error(data):
    try:
        text = decode(data, "x.txt")
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert _XML_CHARS.match(text)
