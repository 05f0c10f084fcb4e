"""Cues follow the voice's word timings and stay readable: line limits, no overlaps, no split words."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from gpu_stages.subtitles import (
    CueRules,
    InvalidSubtitleStyle,
    MissingVoiceTiming,
    ass_for_frame,
    build_cues,
    to_srt,
    to_vtt,
)
from gpu_stages.subtitles.scripts import display_width, graphemes
from schemas.film import SubtitleStyle
from schemas.media import Cue, SubtitleTrack, TimedLine, Timeline, VoicedLine, VoiceTrack, WordTiming

ENGLISH = [
    "The quick brown fox jumps over the lazy dog while the farmer, who had seen it all before, "
    "simply laughed and went back inside.",
    "Wait!",
    "Nobody in the village remembered when the old well had last been full of water, "
    "but everyone remembered the night it overflowed.",
    "She said: yes.",
]
HINDI = (
    "बहुत समय पहले एक छोटे से गाँव में एक क्षत्रिय राजकुमार रहता था, जो हर शाम "
    "नदी के किनारे बैठकर अपने पिता की पुरानी कहानियाँ याद करता था।"
)
JAPANESE = (
    "今日はとてもいい天気ですね。東京へ行きましょう！"  # noqa: RUF001
    "私たちは毎朝早く起きて近くの公園まで歩いてから駅前の小さなパン屋で焼きたてのパンを買います。"
    "「本当？」と彼女は聞いた。"  # noqa: RUF001
)


def _voiced(line_id: str, text: str, seed: int, per_char: bool = False) -> VoicedLine:
    """Word timings like a TTS engine gives: punctuation stripped, irregular durations and gaps."""
    rng = random.Random(seed)
    pieces = [c for c in text if c.strip() and c not in "。！？、「」"] if per_char else text.split()  # noqa: RUF001
    clock = round(rng.uniform(0.05, 0.2), 3)
    words = []
    for piece in pieces:
        word = re.sub(r"[^\w\u0900-\u097f]", "", piece) or piece
        length = round(rng.uniform(0.08, 0.45), 3)
        words.append(WordTiming(word=word, start=clock, end=round(clock + length, 3)))
        clock = round(clock + length + rng.uniform(0.0, 0.12), 3)
    return VoicedLine(
        line_id=line_id, audio="k", duration=clock + 0.1, words=words, phonemes=[], voice_id="v"
    )


def _film(texts: list[str], per_char: bool = False) -> tuple[Timeline, VoiceTrack]:
    lines, voiced, clock = [], [], 0.6
    for n, text in enumerate(texts):
        voice = _voiced(f"l{n}", text, seed=n, per_char=per_char)
        lines.append(TimedLine(line_id=f"l{n}", scene_index=0, speaker="narrator", text=text,
                               start=round(clock, 3), end=round(clock + voice.duration, 3)))  # fmt: skip
        voiced.append(voice)
        clock += voice.duration + 0.35
    return Timeline(duration=round(clock + 0.8, 3), scenes=[], lines=lines), VoiceTrack(lines=voiced)


def _onsets(timeline: Timeline, voices: VoiceTrack) -> list[tuple[float, str]]:
    by_id = {v.line_id: v for v in voices.lines}
    return sorted(
        (line.start + w.start, w.word) for line in timeline.lines for w in by_id[line.line_id].words
    )


def test_each_cue_starts_at_its_first_words_onset() -> None:
    timeline, voices = _film(ENGLISH)
    cues = build_cues(timeline, voices, "en")
    onsets = _onsets(timeline, voices)
    assert len(cues) >= 5
    for cue in cues:
        first_word = re.sub(r"\W", "", cue.text.split()[0])
        matches = [t for t, w in onsets if abs(t - cue.start) <= 0.001]
        assert matches, f"cue at {cue.start} does not start on a word onset"
        assert any(w == first_word for t, w in onsets if abs(t - cue.start) <= 0.001)


def test_cues_never_overlap_and_stay_long_enough_unless_the_next_cue_needs_the_screen() -> None:
    timeline, voices = _film([*ENGLISH, HINDI])
    cues = build_cues(timeline, voices, "en")
    for cue, following in itertools.pairwise(cues):
        assert cue.end <= following.start + 1e-9
        assert cue.end - cue.start >= 0.8 - 1e-9 or abs(cue.end - following.start) < 1e-9
    last = cues[-1]
    assert last.end - last.start >= 0.8


def test_cue_ends_after_its_last_word_with_a_linger_when_there_is_room() -> None:
    timeline, voices = _film(["Wait!"])
    (cue,) = build_cues(timeline, voices, "en", CueRules(linger=0.3, min_duration=0.1))
    word = voices.lines[0].words[-1]
    assert cue.end == pytest.approx(timeline.lines[0].start + word.end + 0.3, abs=0.001)


def test_lines_respect_the_limits_and_keep_every_word_whole_and_in_order() -> None:
    timeline, voices = _film(ENGLISH)
    cues = build_cues(timeline, voices, "en")
    for cue in cues:
        lines = cue.text.split("\n")
        assert len(lines) <= 2
        assert all(len(line) <= 42 for line in lines)
    assert " ".join(c.text.replace("\n", " ") for c in cues).split() == " ".join(ENGLISH).split()


def test_devanagari_lines_break_between_words_never_inside_a_cluster() -> None:
    timeline, voices = _film([HINDI])
    cues = build_cues(timeline, voices, "hi", CueRules(max_chars=20))
    words = set(HINDI.split())
    assert len(cues) >= 3
    for cue in cues:
        for line in cue.text.split("\n"):
            assert display_width(line) <= 20
            assert all(word in words for word in line.split())
    assert graphemes("क्षत्रिय") == ["क्ष", "त्रि", "य"]


def test_cjk_lines_split_on_characters_within_the_cjk_limit() -> None:
    timeline, voices = _film([JAPANESE], per_char=True)
    cues = build_cues(timeline, voices, "ja", CueRules(max_chars_cjk=16))
    lines = [line for cue in cues for line in cue.text.split("\n")]
    assert len(cues) >= 4
    assert any(cue.text.count("\n") == 1 for cue in cues)  # a long sentence wraps onto two lines
    assert all(display_width(line) <= 16 for line in lines)
    assert "".join(lines) == JAPANESE  # nothing added or lost, no spaces inserted
    assert not any(line[0] in "。、！？」" for line in lines)  # noqa: RUF001
    onsets = {round(t, 3) for t, _ in _onsets(timeline, voices)}
    assert all(round(cue.start, 3) in onsets for cue in cues)


def test_translated_text_is_timed_across_the_voiced_span() -> None:
    timeline, voices = _film(ENGLISH[:1])
    translated = ["एक बहुत लंबा अनुवादित वाक्य जो दो या तीन उपशीर्षकों में बँटना चाहिए ताकि पढ़ना आसान हो"]
    cues = build_cues(timeline, voices, "hi", texts=translated)
    words = voices.lines[0].words
    start = timeline.lines[0].start
    assert cues[0].start == pytest.approx(start + words[0].start, abs=0.001)
    assert cues[-1].end >= start + words[-1].end
    assert [c.start for c in cues] == sorted(c.start for c in cues)
    assert " ".join(c.text.replace("\n", " ") for c in cues) == translated[0]


def test_a_line_without_voice_is_reported() -> None:
    timeline, voices = _film(["Hello there."])
    with pytest.raises(MissingVoiceTiming, match="no voiced audio"):
        build_cues(timeline, VoiceTrack(lines=[]), "en")
    assert voices.lines


def _parse_blocks(text: str, decimal: str) -> list[tuple[float, float, str]]:
    stamp = rf"(\d\d):(\d\d):(\d\d){re.escape(decimal)}(\d\d\d)"
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        rows = block.splitlines()
        for i, row in enumerate(rows):
            m = re.fullmatch(stamp + " --> " + stamp, row)
            if m:
                g = [int(x) for x in m.groups()]
                start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
                end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
                out.append((start, end, "\n".join(rows[i + 1 :])))
    return out


def test_srt_and_vtt_parse_back_to_the_same_cues() -> None:
    timeline, voices = _film([*ENGLISH, "Fish & chips <now>"])
    cues = build_cues(timeline, voices, "en")
    srt = _parse_blocks(to_srt(cues), ",")
    vtt_text = to_vtt(cues, "en")
    vtt = _parse_blocks(vtt_text, ".")
    assert vtt_text.startswith("WEBVTT")
    assert to_srt(cues).splitlines()[0] == "1"
    assert len(srt) == len(vtt) == len(cues)
    for cue, (s_start, s_end, s_text), (v_start, v_end, v_text) in zip(cues, srt, vtt, strict=True):
        assert abs(s_start - cue.start) < 0.0011 and abs(s_end - cue.end) < 0.0011
        assert abs(v_start - cue.start) < 0.0011 and abs(v_end - cue.end) < 0.0011
        assert s_text == cue.text
        assert v_text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == cue.text
    assert "Fish &amp; chips &lt;now&gt;" in vtt_text


def _style_fields(ass: str) -> dict[str, str]:
    names = [n.strip() for n in re.search(r"^Format: (Name.*)$", ass, re.M).group(1).split(",")]  # type: ignore[union-attr]
    values = re.search(r"^Style: (.*)$", ass, re.M).group(1).split(",")  # type: ignore[union-attr]
    return dict(zip(names, values, strict=True))


def _track(language: str, text: str) -> SubtitleTrack:
    return SubtitleTrack(language=language, label=language, cues=[Cue(start=1.0, end=2.5, text=text)],
                         srt="", vtt="", ass="")  # fmt: skip


def test_ass_style_follows_the_creators_style_and_the_frame() -> None:
    boxed = ass_for_frame(
        _track("hi", "नमस्ते\nदोस्तों"), SubtitleStyle(position="top", colour="#FFCC00"), 1080, 1920
    )
    fields = _style_fields(boxed)
    assert "PlayResX: 1080" in boxed and "PlayResY: 1920" in boxed
    assert fields["Fontname"] == "Noto Sans Devanagari"
    assert fields["BorderStyle"] == "3" and fields["Alignment"] == "8"
    assert fields["PrimaryColour"] == "&H0000CCFF"
    assert "Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,नमस्ते\\Nदोस्तों" in boxed

    plain = _style_fields(
        ass_for_frame(_track("en", "Hi"), SubtitleStyle(box=False, size=64, font="DejaVu Sans"), 1920, 1080)
    )
    assert plain["BorderStyle"] == "1" and plain["Fontsize"] == "64" and plain["Fontname"] == "DejaVu Sans"
    assert plain["Alignment"] == "2"

    small = int(_style_fields(ass_for_frame(_track("en", "Hi"), SubtitleStyle(), 854, 480))["Fontsize"])
    large = int(_style_fields(ass_for_frame(_track("en", "Hi"), SubtitleStyle(), 1920, 1080))["Fontsize"])
    assert large > small * 2
    assert (
        _style_fields(ass_for_frame(_track("ar", "مرحبا"), SubtitleStyle(position="middle"), 1920, 1080))[
            "Fontname"
        ]
        == "Noto Sans Arabic"
    )
    assert (
        _style_fields(ass_for_frame(_track("zh", "你好"), SubtitleStyle(), 1920, 1080))["Fontname"]
        == "Noto Sans CJK SC"
    )
    assert (
        _style_fields(ass_for_frame(_track("ja", "今日は"), SubtitleStyle(), 1920, 1080))["Fontname"]
        == "Noto Sans CJK JP"
    )

    with pytest.raises(InvalidSubtitleStyle, match="#RRGGBB"):
        ass_for_frame(_track("en", "Hi"), SubtitleStyle(colour="white"), 1920, 1080)


def test_ass_text_cannot_inject_override_tags() -> None:
    ass = ass_for_frame(_track("en", "a {\\pos(0,0)} b"), SubtitleStyle(), 1920, 1080)
    dialogue = ass.strip().splitlines()[-1]
    assert "{" not in dialogue and "\\pos" not in dialogue
