"""Shot planning and animation rules, without encoding."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gpu_stages.render.animate import (
    blink_times,
    build_mouth_track,
    camera_at,
    dimming_at,
    emphasis_at,
    idle_motion,
    is_blinking,
)
from gpu_stages.render.shots import Camera, CameraKey, Shot, layout, plan_shots
from gpu_stages.timeline import build_timeline
from schemas.media import (
    Cast,
    Character,
    CharacterLook,
    CharacterSprites,
    Line,
    PhonemeTiming,
    Scene,
    ScriptPlan,
    TimedLine,
    Timeline,
    VoicedLine,
    VoiceTrack,
)


def sprites(cid: str) -> CharacterSprites:
    return CharacterSprites(
        character_id=cid,
        look=CharacterLook(character_id=cid),
        bodies={"neutral": "b"},
        mouths={"rest": "m"},
        blink="k",
        size=(300, 400),
        mouth_anchor=(150, 180),
    )


def film(scenes: list[Scene]) -> tuple[ScriptPlan, Timeline, Cast]:
    speakers = sorted({ln.speaker for s in scenes for ln in s.lines} - {"narrator"})
    plan = ScriptPlan(
        title="t",
        scenes=scenes,
        estimated_seconds=10,
        characters=[Character(id=c, name=c) for c in speakers]
        + [Character(id="narrator", name="N", is_narrator=True)],
    )
    voices = VoiceTrack(
        lines=[
            VoicedLine(line_id=ln.id, audio="a", duration=1.0, words=[], phonemes=[], voice_id="v")
            for s in scenes
            for ln in s.lines
        ]
    )
    return plan, build_timeline(plan, voices), Cast(characters=[sprites(c) for c in speakers])


def line(i: int, speaker: str, emotion: str = "neutral") -> Line:
    return Line(id=f"l{i}", speaker=speaker, text="hello", emotion=emotion)  # type: ignore[arg-type]


# --- shots ---------------------------------------------------------------------------------------


def test_wide_frames_place_speakers_side_by_side_and_tall_frames_stack_them() -> None:
    aspects = {"a": 0.75, "b": 0.75}
    wide = layout(["a", "b"], "16:9", aspects)
    tall = layout(["a", "b"], "9:16", aspects)
    assert wide[0].bottom == wide[1].bottom and wide[0].x < 0.5 < wide[1].x
    assert tall[0].bottom < tall[1].bottom and tall[0].feather and not tall[1].feather
    for placements, frame_aspect in ((wide, 16 / 9), (tall, 9 / 16)):
        for p in placements:
            width = p.height * 0.75 / frame_aspect  # sprite width as a share of the frame width
            assert p.x - width / 2 >= 0.0 and p.x + width / 2 <= 1.0 + 0.05


def test_four_characters_fit_a_wide_frame_without_overlapping_much() -> None:
    placements = layout(["a", "b", "c", "d"], "16:9", dict.fromkeys("abcd", 1.0))
    widths = [p.height / (16 / 9) for p in placements]
    gaps = [placements[i + 1].x - placements[i].x for i in range(3)]
    assert all(gap >= 0.9 * w for gap, w in zip(gaps, widths, strict=False))


def test_only_speaking_characters_appear_and_each_speaker_turn_is_a_shot() -> None:
    scene = Scene(
        index=0,
        heading="h",
        setting="s",
        lines=[line(0, "narrator"), line(1, "a"), line(2, "b"), line(3, "b"), line(4, "a")],
    )
    plan, timeline, cast = film([scene])
    shots = plan_shots(timeline, plan, cast, "16:9").shots
    assert {p.character_id for p in shots[0].placements} == {"a", "b"}
    assert [s.speaker for s in shots] == [None, "a", "b", "a"]  # narrator: wide, nobody emphasised
    assert all(a.end == b.start for a, b in itertools.pairwise(shots))
    first_a = next(ln for ln in timeline.lines if ln.speaker == "a")
    assert shots[1].start < first_a.start  # the shot lands before the first word


def test_speaker_change_glides_the_camera_but_a_punchy_line_cuts() -> None:
    scene = Scene(
        index=0, heading="h", setting="s", lines=[line(0, "a"), line(1, "b"), line(2, "a", "angry")]
    )
    plan, timeline, cast = film([scene])
    shots = plan_shots(timeline, plan, cast, "16:9").shots
    glide, cut = shots[1], shots[2]
    assert glide.eased_in and camera_at(glide, glide.start) == camera_at(shots[0], glide.start)
    assert not cut.eased_in
    assert camera_at(cut, cut.start) != camera_at(glide, cut.start - 1e-6)
    assert camera_at(glide, glide.start + 1.0).cx > 0.5 > camera_at(cut, cut.start).cx  # leans to b, then a


def test_narration_only_scene_shows_the_backdrop_with_a_slow_camera_move() -> None:
    scene = Scene(index=0, heading="h", setting="s", lines=[line(0, "narrator")])
    plan, timeline, cast = film([scene])
    (shot,) = plan_shots(timeline, plan, cast, "9:16").shots
    assert shot.placements == ()
    start, end = camera_at(shot, shot.start), camera_at(shot, shot.end)
    assert end.zoom > start.zoom and end.cx != start.cx


@pytest.mark.parametrize(
    "second,kind",
    [
        ({"time_of_day": "night"}, "fade_black"),
        ({"mood": "sad"}, "crossfade"),
        ({"mood": "angry"}, "cut"),
    ],
)
def test_scene_transition_follows_time_and_mood(second: dict[str, str], kind: str) -> None:
    first = Scene(index=0, heading="h", setting="s", lines=[line(0, "a")])
    nxt = Scene(index=1, heading="h", setting="s", lines=[line(1, "a")], **second)  # type: ignore[arg-type]
    plan, timeline, cast = film([first, nxt])
    shot_list = plan_shots(timeline, plan, cast, "16:9")
    assert shot_list.scene_transitions[1].kind == kind
    boundary = timeline.scenes[1].start
    weights = shot_list.weights_at(boundary - 0.01)
    total = sum(w for _, w in weights)
    if kind == "fade_black":
        assert total < 0.05  # through black
    elif kind == "crossfade":
        assert len(weights) == 2 and total == pytest.approx(1.0)
    else:
        assert weights == [(weights[0][0], 1.0)] and weights[0][0].scene_index == 0


def test_film_fades_in_from_and_out_to_black() -> None:
    plan, timeline, cast = film([Scene(index=0, heading="h", setting="s", lines=[line(0, "a")])])
    shot_list = plan_shots(timeline, plan, cast, "16:9")
    assert shot_list.weights_at(0.0)[0][1] == 0.0
    assert shot_list.weights_at(1.0)[0][1] == 1.0
    assert shot_list.weights_at(timeline.duration - 0.01)[0][1] < 0.01


# --- animation -----------------------------------------------------------------------------------


def mouth_film(phonemes: list[tuple[float, float, str]]) -> tuple[Timeline, VoiceTrack]:
    timeline = Timeline(
        duration=4.0,
        scenes=[],
        lines=[TimedLine(line_id="x", scene_index=0, speaker="a", text="t", start=1.0, end=3.0)],
    )
    voice = VoicedLine(
        line_id="x",
        audio="a",
        duration=2.0,
        words=[],
        voice_id="v",
        phonemes=[PhonemeTiming(phoneme="p", start=s, end=e, viseme=v) for s, e, v in phonemes],  # type: ignore[arg-type]
    )
    return timeline, VoiceTrack(lines=[voice])


def test_mouth_follows_phonemes_holds_short_gaps_and_eases_to_rest_in_pauses() -> None:
    fps = 25
    timeline, voices = mouth_film(
        [(0.0, 0.2, "open"), (0.24, 0.4, "round"), (0.4, 0.44, "closed"), (1.0, 1.2, "wide")]
    )
    track = build_mouth_track("a", timeline, voices, fps, 100)
    at = lambda t: track.pose(int(t * fps))  # noqa: E731
    assert at(1.1).viseme == "open" and at(1.1).rest_weight == 0.0
    assert at(1.21).viseme == "open" and at(1.21).rest_weight == 0.0  # 40 ms gap: held, no flicker
    assert at(1.3).viseme == "round"
    easing = [track.pose(k) for k in range(int(1.44 * fps), int(1.44 * fps) + 3)]
    weights = [p.rest_weight for p in easing]
    assert 0.0 < weights[0] < weights[1] < 1.0 or 0.0 < weights[0] < 1.0  # blends toward rest
    assert at(1.8).viseme == "rest" and at(1.8).rest_weight == 1.0
    assert at(2.1).viseme == "wide"
    assert track.pose(int(0.5 * fps)).viseme == "rest"  # before the line


def test_every_viseme_change_lasts_at_least_one_frame_even_with_fast_phonemes() -> None:
    fps = 24
    fast = [(i * 0.015, (i + 1) * 0.015, ("open", "closed", "wide")[i % 3]) for i in range(100)]
    timeline, voices = mouth_film(fast)
    track = build_mouth_track("a", timeline, voices, fps, 96)
    assert len(track.visemes) == 96  # one shape per frame, so none is shown for less than a frame
    speaking = track.visemes[int(1.0 * fps) + 1 : int(2.4 * fps)]
    assert set(np.unique(speaking)) <= {1, 2, 3}


def test_blinks_come_every_two_to_six_seconds_and_are_deterministic_per_character() -> None:
    times = blink_times("priya", 120.0)
    gaps = np.diff(times)
    assert len(times) >= 20 and gaps.min() >= 2.0 and gaps.max() <= 6.0
    assert times == blink_times("priya", 120.0)
    assert times != blink_times("arjun", 120.0)
    assert is_blinking(times, times[3] + 0.05, 1 / 24) and not is_blinking(times, times[3] + 1.0, 1 / 24)


def test_idle_motion_is_gentle_and_continuous() -> None:
    samples = [idle_motion("a", k / 24) for k in range(24 * 8)]
    dys = np.array([s.dy for s in samples])
    assert 0.0 < np.abs(dys).max() < 0.005  # under half a percent of the sprite height
    assert np.abs(np.diff(dys)).max() < 0.0005


def test_camera_eases_in_and_out_between_keys() -> None:
    shot = Shot(
        0,
        0.0,
        2.0,
        (),
        None,
        None,
        (CameraKey(0.0, Camera(1.0, 0.4)), CameraKey(2.0, Camera(1.2, 0.6))),
        True,
    )
    xs = np.array([camera_at(shot, k / 100).cx for k in range(201)])
    speed = np.diff(xs)
    assert np.all(speed >= 0)
    assert speed[0] < speed[100] / 10 and speed[-1] < speed[100] / 10  # slow at both ends
    assert camera_at(shot, -1.0).cx == 0.4 and camera_at(shot, 5.0).zoom == 1.2


def test_emphasis_moves_smoothly_from_the_previous_speaker_to_the_new_one() -> None:
    shot = Shot(0, 1.0, 3.0, (), "b", "a", (CameraKey(1.0, Camera()),), True)
    assert emphasis_at(shot, "a", 1.0) == 1.0 and emphasis_at(shot, "b", 1.0) == 0.0
    assert 0.0 < emphasis_at(shot, "b", 1.15) < 1.0
    assert emphasis_at(shot, "a", 2.0) == 0.0 and emphasis_at(shot, "b", 2.0) == 1.0


def test_listeners_dim_while_someone_speaks_and_brighten_again_for_narration() -> None:
    listening = Shot(0, 1.0, 3.0, (), "b", "a", (CameraKey(1.0, Camera()),), True)
    assert dimming_at(listening, "a", 2.0) == 1.0 and dimming_at(listening, "b", 2.0) == 0.0
    narration = Shot(0, 3.0, 5.0, (), None, "b", (CameraKey(3.0, Camera()),), True)
    assert dimming_at(narration, "a", 3.0) == 1.0  # continuous across the shot change
    assert dimming_at(narration, "a", 4.0) == 0.0 and dimming_at(narration, "b", 4.0) == 0.0
