"""An Argdown text without its tags: the one-pass stripping says what taking the tags one by one,
from the last, says (each time reading all that follows), and its work grows with the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.importers import argdown_tags
from policyx.importers.argdown_tags import TAG, strip_tags


def one_by_one(text: str, starts: list[int]) -> str:
    """The rule as first written: from the last tag, rebuild the text, and read all that follows
    the tag to know whether it trails (quadratic, and the reference)."""
    for start in sorted(set(starts), reverse=True):
        match = TAG.match(text, start)
        if match is None:
            continue
        token = match.group(0)
        word = token[2:-1] if token.startswith("#(") else token[1:]
        rest = text[match.end():]
        trailing = all(TAG.fullmatch(part) for part in rest.split())
        text = text[:start] + ("" if trailing else word) + rest
    return text


TOKEN = st.one_of(st.text(alphabet="ab)#", min_size=1, max_size=3).filter(lambda w: not w.startswith("#")),
                  st.text(alphabet="ab)", min_size=1, max_size=3).map(lambda w: "#" + w),
                  st.text(alphabet="ab #", max_size=4).map(lambda w: "#(" + w + ")"))
#: Argdown ends a tag at a blank: the texts here hold words and tags with blanks between them
TEXTS = st.lists(st.tuples(TOKEN, st.sampled_from([" ", "\t", "\n", "  "])), max_size=8).map(
    lambda parts: "".join(token + blank for token, blank in parts))


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.data())
def test_the_same_text_as_taking_the_tags_one_by_one(text: str, data: st.DataObject) -> None:
    found = [m.start() for m in TAG.finditer(text)]
    starts = data.draw(st.lists(st.sampled_from(found), unique=True)) if found else []
    assert strip_tags(text, starts) == one_by_one(text, starts)


def test_trailing_tags_go_and_inline_ones_keep_their_word() -> None:
    text = "Slower #delivery trips #(road safety) #transport #t"
    stripped = strip_tags(text, [m.start() for m in TAG.finditer(text)])
    assert stripped == "Slower delivery trips   "  # (the blanks stay: one_line folds them)
    assert strip_tags("#a#b x", [0, 2]) == "ab x"  # touching tags: each keeps its word


def test_the_work_grows_with_the_text_not_with_tags_times_text(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    read: list[int] = []
    join = argdown_tags._join
    monkeypatch.setattr(argdown_tags, "_join", lambda text, tail: read.append(len(text)) or join(text, tail))
    for tags in (2_000, 4_000):
        read.clear()
        text = "[A]: x " + "#t " * tags + "y"
        strip_tags(text, [m.start() for m in TAG.finditer(text)])
        assert sum(read) <= 3 * len(text)  # each character read a bounded number of times
