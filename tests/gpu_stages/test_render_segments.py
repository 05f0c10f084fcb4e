"""Render segments of a few seconds: an edit re-renders only the segment holding the edited line (and the
scene's still tail), and the joined film plays without gaps."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import soundfile

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.film_pipeline import FILM_STAGES, FilmStageRunner, film_timeline
from gpu_stages.render.segments import SegmentCut, cut_segments, segment_ass
from schemas.film import FilmSpec
from schemas.media import Cue, FilmOutputs, ScriptPlan, StageFailure, Timeline, VoiceTrack

SCRIPT = """# The kitchen at dawn

ASHA: The kettle is singing already.

BEN: Then the tea will be ready soon.

# The market at noon

ASHA: Two mangoes, please.

BEN: And one for the road!

# The riverbank at night

ASHA: Look how the lamps float away.

BEN: They carry our wishes downstream.
"""
EDIT = ("Two mangoes, please.", "Two ripe mangoes and some limes, please.")
LONG_SCENE = """# The kitchen at dawn

ASHA: The kettle is singing already, and the whole house is still asleep around us.

BEN: Then the tea will be ready soon, and we can sit on the step and watch the light come.

ASHA: Do you remember the morning we first moved in here, with nothing but two chairs?

BEN: I remember the roof leaked on the very first night, right over your side of the bed.

ASHA: And you laughed so hard that the neighbours came to see what had happened.

BEN: They brought us a bucket and a pot of soup, and we have been friends ever since.
"""
LONG_EDIT = ("Do you remember the morning", "Do you really and truly remember the bright morning")


def run_film(store: LocalArtifactStore, spec: FilmSpec) -> tuple[FilmStageRunner, dict[str, Any]]:
    runner, outputs = FilmStageRunner(store), dict[str, Any]()
    while len(outputs) < len(FILM_STAGES):
        for stage, deps in FILM_STAGES.items():
            if stage not in outputs and all(d in outputs for d in deps):
                result = runner(stage, spec, {d: outputs[d] for d in deps}, lambda f, m: None)
                assert not isinstance(result, StageFailure), f"{stage}: {result.reason}"
                outputs[stage] = result
    return runner, outputs


def segment_index_files(store: LocalArtifactStore) -> set[str]:
    return {p.name for p in (store.root / "cache" / "render_segment").glob("*.json")}


def spec(script: str) -> FilmSpec:
    return FilmSpec(title="Lamps", script=script, script_format="markdown", resolution="480p", draft=True)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path_factory.mktemp("segments") / "artifacts")


@pytest.fixture(scope="module")
def first(store: LocalArtifactStore) -> dict[str, Any]:
    return run_film(store, spec(SCRIPT))[1]


def video_packets(path: Path) -> list[float]:
    """Presentation times of the video packets, sorted; asserts decode times rise in file order."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,dts_time",
         "-of", "json", str(path)],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    packets = json.loads(out)["packets"]
    dts = [float(p["dts_time"]) for p in packets]
    assert all(b > a for a, b in itertools.pairwise(dts)), "decode timestamps go backwards"
    return sorted(float(p["pts_time"]) for p in packets)


def test_the_joined_film_has_every_frame_once_with_no_timestamp_gaps(
    first: dict[str, Any], store: LocalArtifactStore
) -> None:
    [rendition] = FilmOutputs.model_validate(first["thumbnails"]).renditions
    plan = ScriptPlan.model_validate(first["script"])
    timeline = film_timeline(plan, VoiceTrack.model_validate(first["voices"]))
    fps = 24
    frames = round(timeline.duration * fps)
    assert len(cut_segments(timeline, plan, fps, frames)) >= 3
    pts = video_packets(store.path(rendition.video))
    assert len(pts) == frames
    steps = [b - a for a, b in itertools.pairwise(pts)]
    assert min(steps) == pytest.approx(1 / fps, abs=1e-3)
    assert max(steps) == pytest.approx(1 / fps, abs=1e-3)  # no gap or repeat where segments meet
    assert pts[0] == pytest.approx(0.0, abs=1e-3)
    mix = soundfile.info(str(store.path(first["mix"]["audio"]))).duration
    assert abs(rendition.duration - mix) < 0.1
    probe = subprocess.run(
        ["ffprobe", "-v", "trace", "-i", str(store.path(rendition.video))], capture_output=True, text=True
    ).stderr
    assert 0 < probe.find("type:'moov'") < probe.find("type:'mdat'")  # faststart: the index comes first


def cuts_of(outputs: dict[str, Any]) -> tuple[Timeline, list[SegmentCut]]:
    plan = ScriptPlan.model_validate(outputs["script"])
    timeline = film_timeline(plan, VoiceTrack.model_validate(outputs["voices"]))
    return timeline, cut_segments(timeline, plan, 24, round(timeline.duration * 24))


def holding(timeline: Timeline, cuts: list[SegmentCut], text: str) -> list[SegmentCut]:
    """The segments during which the line containing `text` is spoken."""
    [line] = [ln for ln in timeline.lines if text in ln.text]
    return [c for c in cuts if c.start < line.end and c.start + c.frames / 24 > line.start]


def test_editing_one_line_re_renders_only_the_segment_holding_it_and_the_scene_tail(
    store: LocalArtifactStore,
) -> None:
    _, first_run = run_film(store, spec(LONG_SCENE))
    before = segment_index_files(store)
    runner, edited = run_film(store, spec(LONG_SCENE.replace(*LONG_EDIT)))
    timeline, cuts = cuts_of(edited)
    assert len(cuts) >= 4  # one scene of ~30 s: pieces of >= 5 s and a still tail
    assert max(c.frames for c in cuts) <= 12 * 24
    changed = holding(timeline, cuts, "bright morning")
    tail = cuts[-1]
    assert len(changed) == 1 and tail.frames < 1.5 * 24
    counts = runner._stages["render:draft"].segments  # type: ignore[attr-defined]
    assert counts["rendered"] == 2  # the edited line's segment and the scene's still tail
    assert counts["reused"] == len(cuts) - 2
    assert len(segment_index_files(store) - before) == 2  # what the cache really holds
    _, old_cuts = cuts_of(first_run)
    moved = [c for c in cuts if c.start > changed[0].start and c is not tail]
    assert moved and all(
        c.start > o.start for c, o in zip(moved, old_cuts[-1 - len(moved) : -1], strict=True)
    )
    [rendition] = FilmOutputs.model_validate(edited["thumbnails"]).renditions
    pts = video_packets(store.path(rendition.video))
    assert len(pts) == round(timeline.duration * 24) == sum(c.frames for c in cuts)
    steps = [b - a for a, b in itertools.pairwise(pts)]
    assert min(steps) == pytest.approx(1 / 24, abs=1e-3) and max(steps) == pytest.approx(1 / 24, abs=1e-3)
    mix = soundfile.info(str(store.path(edited["mix"]["audio"]))).duration
    assert abs(rendition.duration - mix) < 0.1


def test_segments_start_within_a_frame_of_their_content(first: dict[str, Any]) -> None:
    _, cuts = cuts_of(first)
    assert all(abs(c.first_frame - c.start * 24) <= 1.0 for c in cuts)
    assert [c.first_frame for c in cuts] == sorted({c.first_frame for c in cuts})


def test_editing_one_line_re_renders_only_the_segments_that_show_its_scene(
    first: dict[str, Any], store: LocalArtifactStore
) -> None:
    before = segment_index_files(store)
    runner, edited = run_film(store, spec(SCRIPT.replace(*EDIT)))
    _, cuts = cuts_of(edited)
    showing_edit = [cut for cut in cuts if 1 in cut.scenes]  # the market scene (index 1)
    counts = runner._stages["render:draft"].segments  # type: ignore[attr-defined]
    assert counts["rendered"] <= len(showing_edit) < len(cuts)
    assert counts["reused"] == len(cuts) - counts["rendered"]
    assert len(segment_index_files(store) - before) == counts["rendered"]  # what the cache really holds
    [rendition] = FilmOutputs.model_validate(edited["thumbnails"]).renditions
    assert len(video_packets(store.path(rendition.video))) == sum(c.frames for c in cuts)


def test_segment_subtitles_keep_only_their_cues_re_based() -> None:
    ass = (
        "[Events]\n"
        "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,first, with a comma\n"
        "Dialogue: 0,0:00:12.50,0:00:14.25,Default,,0,0,0,,second\n"
        "Dialogue: 0,0:00:19.00,0:00:21.00,Default,,0,0,0,,third\n"
    )
    lines = segment_ass(ass, 12.0, 8.0).splitlines()
    assert lines == [
        "[Events]",
        "Dialogue: 0,0:00:00.50,0:00:02.25,Default,,0,0,0,,second",
        "Dialogue: 0,0:00:07.00,0:00:08.00,Default,,0,0,0,,third",
    ]


def test_moved_subtitles_are_re_based_from_their_exact_times() -> None:
    ass = "[Events]\nDialogue: 0,0:00:01.24,0:00:02.00,Default,,0,0,0,,moved\n"
    for shift in (0.0, 0.0049, 0.3333):
        cue = Cue(start=round(1.2355 + shift, 4), end=round(2.0 + shift, 4), text="moved")
        lines = segment_ass(ass, round(1.0 + shift, 4), 5.0, [cue]).splitlines()
        assert lines[1] == "Dialogue: 0,0:00:00.24,0:00:01.00,Default,,0,0,0,,moved"
