"""The full film pipeline: script to finished MP4s, subtitles and thumbnails, as a DAG of cached stages.

The DAG (`FILM_STAGES`), chosen for the most parallelism along the shortest critical path:

    script ──┬─> voices ──┬─> music ──> mix ──┐
             │            └─> subtitles ──────┼─> render ──> thumbnails
             ├─> cast ────────────────────────┤
             └─> scenes ──────────────────────┘

* voices, cast and scenes need only the plan, so they run side by side (voices is the long one).
* music waits for the voices: each scene's cue is composed to the scene's exact length on the
  timeline (`MusicInput.scene_seconds`), so cues never need stretching or cutting.
* subtitles need the voices' word timings; they run beside music and mix.
* mix is its own stage (voices + music on the timeline, ducked and mastered): cached apart from
  the pictures, and its loudness figures show in the film's outputs.
* render needs everything; it runs once per aspect ratio, each with ASS subtitles made for that
  frame size (burning into one master and cropping would leave them tiny).
* thumbnails decode frames of the finished film between subtitle cues. As the last stage, its
  output is the film's deliverable: `FilmOutputs` (renditions, subtitle tracks, thumbnails).

Every stage goes through `run_cached` (content-addressed), and each stage is handed only what it
reads (see `gpu_stages.film.plan_views`): editing one line re-plans the script, re-voices that line
(the voice stage keeps a per-line index), re-composes that scene's music, and redoes subtitles, mix
and thumbnails; render re-draws only the few-second segment holding that line and the scene's
still tail (`gpu_stages.render.segments`) and joins the cached others; the cast, the backdrops and the other scenes' music come from the cache.

Podcast mode (`FilmSpec.podcast`, or a plan whose scenes are all in a podcast studio with 2-4
hosts) reshapes the plan after the script stage (`gpu_stages.podcast`): turn-taking gaps, spread
voices, intro/outro music in place of scene cues, and a split-screen or alternating picture.
"""

from __future__ import annotations

import math
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from gpu_stages.contract import ArtifactStore, ProgressFn, Stage, StageContext, run_cached
from gpu_stages.film.creator_assets import cast_choices, scene_uploads, voice_choices
from gpu_stages.film.plan_views import plan_for_backdrops, plan_for_cast, plan_for_scene_music
from gpu_stages.podcast import (
    INTRO_CUE,
    INTRO_MUSIC_SECONDS,
    INTRO_SECONDS,
    OUTRO_CUE,
    OUTRO_MUSIC_SECONDS,
    OUTRO_SECONDS,
    PodcastRefused,
    hosts,
    looks_like_podcast,
    podcast_plan,
)
from gpu_stages.render.placed import SegmentedRendition
from gpu_stages.timeline import build_timeline
from schemas.film import FilmSpec
from schemas.media import (
    AspectRatio,
    Backdrops,
    Cast,
    FilmOutputs,
    MusicCue,
    MusicScore,
    Rendition,
    Resolution,
    Scene,
    ScriptPlan,
    StageFailure,
    Subtitles,
    Timeline,
    VoiceTrack,
)

if TYPE_CHECKING:
    from gpu_stages.film.thumbnail_stage import FrameSource
    from gpu_stages.models.selection import ModelEngines

FILM_STAGES: dict[str, list[str]] = {
    "script": [],
    "voices": ["script"],
    "cast": ["script"],
    "scenes": ["script"],
    "music": ["script", "voices"],
    "subtitles": ["script", "voices"],
    "mix": ["script", "voices", "music"],
    "render": ["script", "voices", "cast", "scenes", "subtitles", "mix"],
    "thumbnails": ["script", "subtitles", "render"],
}

SPRITE_SHARE = 0.8
"""Cast sprites are drawn at this share of the tallest frame, so the largest placement is not upscaled much."""

DRAFT_THUMBNAIL_CANDIDATES = 2
"""Frames a draft decodes for its one thumbnail (the full film decodes 8 for three)."""

OutputT = TypeVar("OutputT", bound=BaseModel)
Handler = Callable[[FilmSpec, dict[str, Any], ProgressFn], "BaseModel | StageFailure"]


class EngineMissing(Exception):
    """A stage's engine package is not installed in this build of the studio."""


class SceneBackdrops(BaseModel):
    """The scenes stage's output: backdrops drawn for each aspect ratio's frame."""

    aspects: dict[str, Backdrops]


class RenditionSet(BaseModel):
    """The render stage's output: one MP4 per aspect ratio, with the segments it was joined from."""

    renditions: list[SegmentedRendition]


def film_timeline(plan: ScriptPlan, voices: VoiceTrack) -> Timeline:
    """The film's clock, every line's slot a whole number of milliseconds long (raises ValueError).

    The timeline rounds times to the millisecond; with slots that are whole milliseconds too, a line
    that grows moves the lines after it by an exact number of milliseconds, so their times counted
    from a render segment's start stay identical and the segment stays in the cache."""
    slots = [
        line.model_copy(update={"duration": math.ceil(round(line.duration * 1000, 6)) / 1000})
        for line in voices.lines
    ]
    track = voices.model_copy(update={"lines": slots})
    if plan.podcast:  # music alone before the first word and after the last
        return build_timeline(plan, track, intro=INTRO_SECONDS, outro=OUTRO_SECONDS)
    return build_timeline(plan, track)


def frame_source(rendition: SegmentedRendition, seconds: float, fps: int) -> FrameSource:
    """The segment showing the film at `seconds` and the time into it, counted from the segment's own
    start, so a segment that only moved yields the same source (and its cached frame)."""
    from gpu_stages.film.thumbnail_stage import FrameSource

    frame = round(seconds * fps)
    part = next(
        (s for s in rendition.segments if s.first_frame <= frame < s.first_frame + s.frames),
        rendition.segments[-1],
    )
    into = min(max(0.0, round(seconds - part.start, 3)), (part.frames - 1) / fps)
    return FrameSource(video=part.video, seconds=into)


def film_resolution(spec: FilmSpec) -> Resolution:
    """Drafts are 480p previews; otherwise the resolution asked for."""
    return "480p" if spec.draft else spec.resolution


def scaled(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """A progress callback for one part of a stage, mapped onto [start, end] of the whole."""
    return lambda fraction, message: progress(start + (end - start) * max(0.0, min(1.0, fraction)), message)


class FilmStageRunner:
    """A `StageRunner` for `FILM_STAGES`: typed inputs from upstream JSON, cached stage runs, JSON out.

    `runs` counts stage executions that were not served from the cache (per stage name; music
    counts one per scene cue, render one per aspect); `lines_voiced` counts lines synthesised.
    """

    def __init__(self, artifacts: ArtifactStore, engines: ModelEngines | None = None) -> None:
        self.artifacts = artifacts
        # Which engine serves voices, scenes and music (docs/gpu.md); the default is the offline set.
        self.engines = engines
        self.runs: Counter[str] = Counter()
        self.lines_voiced = 0
        self._stages: dict[str, Stage[Any, Any, Any]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._handlers: dict[str, Handler] = {
            "script": self._script,
            "voices": self._voices,
            "cast": self._cast,
            "scenes": self._scenes,
            "music": self._music,
            "subtitles": self._subtitles,
            "mix": self._mix,
            "render": self._render,
            "thumbnails": self._thumbnails,
        }

    def __call__(
        self, stage: str, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> dict[str, Any] | StageFailure:
        handler = self._handlers.get(stage)
        if handler is None:
            return StageFailure(
                reason=f"unknown stage {stage!r}; the film pipeline has {', '.join(FILM_STAGES)}"
            )
        try:
            result = handler(spec, inputs, progress)
        except EngineMissing as error:
            return StageFailure(reason=str(error), retryable=False)
        if isinstance(result, StageFailure):
            return result
        return result.model_dump(mode="json")

    # --- plumbing ----------------------------------------------------------------------------

    def _stage(self, key: str, build: Callable[[], Stage[Any, Any, Any]]) -> Stage[Any, Any, Any]:
        """The stage instance for `key`, built on first use (heavy assets load on its first run)."""
        with self._guard:
            if key not in self._stages:
                try:
                    self._stages[key] = build()
                except ImportError as error:
                    raise EngineMissing(
                        f"the {key.split(':')[0]} engine is not installed on this server ({error}); "
                        "install the full studio (gpu_stages) and try again"
                    ) from error
                self._locks[key] = threading.Lock()
            return self._stages[key]

    def _run(
        self,
        key: str,
        stage: Stage[Any, Any, Any],
        inputs: BaseModel,
        output: type[OutputT],
        progress: ProgressFn,
    ) -> OutputT | StageFailure:
        """Run through the content-addressed cache; one run of a given stage instance at a time."""
        root = getattr(self.artifacts, "root", None)
        # The same index path run_cached looks up: a miss here means the stage really runs.
        hit = (
            root is not None
            and (Path(root) / "cache" / stage.name / f"{stage.cache_key(inputs)}.json").exists()
        )
        work = Path(tempfile.mkdtemp(prefix=f"film-{stage.name}-"))
        try:
            with self._locks[key]:
                result = run_cached(stage, inputs, StageContext(self.artifacts, progress, work), output)
                if not hit:
                    self.runs[stage.name] += 1
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return result

    # --- stages ------------------------------------------------------------------------------

    def _script(
        self, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> BaseModel | StageFailure:
        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.script import ScriptSettings, ScriptStage

            return ScriptStage(ScriptSettings())

        stage = self._stage("script", build)
        from gpu_stages.script import ScriptInput

        # Only what planning reads, so a draft and the full film (or a new aspect) share one plan.
        planned = FilmSpec(
            title=spec.title,
            script=spec.script,
            script_format=spec.script_format,
            language=spec.language,
            culture=spec.culture,
            target_seconds=spec.target_seconds,
            voices=spec.voices,
        )
        plan = self._run("script", stage, ScriptInput(spec=planned), ScriptPlan, progress)
        if isinstance(plan, StageFailure) or not (spec.podcast or looks_like_podcast(plan)):
            return plan
        try:
            return podcast_plan(plan)  # a plain function of the cached plan: cheap, no cache needed
        except PodcastRefused as refused:
            return StageFailure(reason=str(refused), retryable=False)

    def _voices(
        self, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> BaseModel | StageFailure:
        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.voice.stage import VoiceStage

            return self._model_stage("voices") or VoiceStage()

        plan = ScriptPlan.model_validate(inputs["script"])
        if spec.narration_upload:  # the creator's own reading replaces synthesis
            return self._narration(spec.narration_upload, plan, progress)
        stage = self._stage("voices", build)
        from gpu_stages.voice.stage import VoiceInput, VoiceStage

        spec = spec.model_copy(update={"voices": voice_choices(spec, plan)})  # names -> the plan's ids
        if not isinstance(stage, VoiceStage):  # a model engine: every line of an uncached run is voiced
            runs = self.runs["voices"]
            track = self._run(
                "voices",
                stage,
                VoiceInput(plan=plan, voices=spec.voices, draft=spec.draft, distinct=plan.podcast),
                VoiceTrack,
                progress,
            )
            if self.runs["voices"] > runs and isinstance(track, VoiceTrack):
                self.lines_voiced += len(track.lines)
            return track
        voicer = stage.voicer(StageContext(self.artifacts, work_dir=Path(tempfile.gettempdir())))
        before = voicer.stats.synthesized
        result = self._run(
            "voices",
            stage,
            VoiceInput(plan=plan, voices=spec.voices, draft=spec.draft, distinct=plan.podcast),
            VoiceTrack,
            progress,
        )
        self.lines_voiced += voicer.stats.synthesized - before
        return result

    def _cast(self, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn) -> BaseModel | StageFailure:
        from gpu_stages.render.frame_sizes import frame_size

        tallest = max(frame_size(aspect, film_resolution(spec))[1] for aspect in spec.aspects)
        height = max(120, min(2400, round(tallest * SPRITE_SHARE)))

        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.cast.stage import CastSettings, CastStage

            return CastStage(CastSettings(height=height))

        key = f"cast:{height}"
        stage = self._stage(key, build)
        from gpu_stages.cast.stage import CastInput

        plan = plan_for_cast(ScriptPlan.model_validate(inputs["script"]))
        chosen = cast_choices(spec, plan)
        if isinstance(chosen, StageFailure):
            return chosen
        looks, photos = chosen
        return self._run(key, stage, CastInput(plan=plan, looks=looks, photos=photos), Cast, progress)

    def _scenes(
        self, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> BaseModel | StageFailure:
        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.scenes import BackdropSettings, BackdropStage

            return self._model_stage("scenes") or BackdropStage(BackdropSettings())

        stage = self._stage("scenes", build)
        from gpu_stages.render.frame_sizes import frame_size
        from gpu_stages.scenes import BackdropInput

        plan = plan_for_backdrops(ScriptPlan.model_validate(inputs["script"]))
        uploads = scene_uploads(spec, plan)
        if isinstance(uploads, StageFailure):
            return uploads
        aspects = list(dict.fromkeys(spec.aspects))
        drawn: dict[str, Backdrops] = {}
        for n, aspect in enumerate(aspects):
            width, height = frame_size(aspect, film_resolution(spec))
            part = scaled(progress, n / len(aspects), (n + 1) / len(aspects))
            request = BackdropInput(plan=plan, width=width, height=height, uploads=uploads)
            result = self._run("scenes", stage, request, Backdrops, part)
            if isinstance(result, StageFailure):
                return result
            drawn[aspect] = result
        return SceneBackdrops(aspects=drawn)

    def _music(
        self, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> BaseModel | StageFailure:
        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.music.stage import MusicSettings, MusicStage

            return self._model_stage("music") or MusicStage(MusicSettings())

        stage = self._stage("music", build)
        from gpu_stages.music.stage import MusicInput

        plan = ScriptPlan.model_validate(inputs["script"])
        timeline = self._timeline(plan, inputs)
        if isinstance(timeline, StageFailure):
            return timeline
        seconds = {span.scene_index: round(span.end - span.start, 3) for span in timeline.scenes}
        if plan.podcast:
            return self._podcast_music(spec, plan, stage, progress)
        if spec.music in ("upload", "none"):
            # An upload plays continuously across scenes, so it is cut for the whole film at once.
            whole = MusicInput(plan=plan, style=spec.music, upload=spec.music_upload, scene_seconds=seconds)
            return self._run("music", stage, whole, MusicScore, progress)
        cues: list[MusicCue] = []
        for n, scene in enumerate(plan.scenes):
            # One cached run per scene: an edit in one scene re-composes only that scene's cue.
            single = MusicInput(
                plan=plan_for_scene_music(plan, scene),
                style=spec.music,
                scene_seconds={scene.index: seconds[scene.index]},
            )
            part = scaled(progress, n / len(plan.scenes), (n + 1) / len(plan.scenes))
            result = self._run("music", stage, single, MusicScore, part)
            if isinstance(result, StageFailure):
                return result
            cues += result.cues
        return MusicScore(cues=cues)

    def _subtitles(
        self, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> BaseModel | StageFailure:
        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.subtitles import SubtitleSettings, SubtitleStage

            marian = self.engines.marian_models_dir if self.engines else None
            if marian:  # translations come from local MarianMT models
                return SubtitleStage(SubtitleSettings(translator="offline", marian_model_dir=marian))
            return SubtitleStage(SubtitleSettings())

        stage = self._stage("subtitles", build)
        from gpu_stages.render.frame_sizes import frame_size
        from gpu_stages.subtitles import SubtitleInput

        plan = ScriptPlan.model_validate(inputs["script"])
        voices = VoiceTrack.model_validate(inputs["voices"])
        timeline = self._timeline(plan, inputs)
        if isinstance(timeline, StageFailure):
            return timeline
        width, height = frame_size(spec.aspects[0], film_resolution(spec))
        request = SubtitleInput(
            timeline=timeline,
            voices=voices,
            language=plan.language,
            style=spec.subtitles,
            width=width,
            height=height,
            translate_to=spec.subtitles.translate_to,
        )
        return self._run("subtitles", stage, request, Subtitles, progress)

    def _mix(self, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn) -> BaseModel | StageFailure:
        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.film.mix_stage import MixSettings, MixStage

            return MixStage(MixSettings())

        stage = self._stage("mix", build)
        from gpu_stages.film.mix_stage import MixedAudio, MixInput

        plan = ScriptPlan.model_validate(inputs["script"])
        timeline = self._timeline(plan, inputs)
        if isinstance(timeline, StageFailure):
            return timeline
        request = MixInput(
            timeline=timeline,
            voices=VoiceTrack.model_validate(inputs["voices"]),
            score=MusicScore.model_validate(inputs["music"]),
        )
        ends = {cue.scene_index: cue.audio for cue in request.score.cues}
        if INTRO_CUE in ends and OUTRO_CUE in ends:
            request.intro_outro = (ends[INTRO_CUE], ends[OUTRO_CUE])
        return self._run("mix", stage, request, MixedAudio, progress)

    def _render(
        self, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> BaseModel | StageFailure:
        from gpu_stages.render.frame_sizes import frame_size

        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.render.stage import RenderSettings, RenderStage

            return RenderStage(RenderSettings(draft=spec.draft))

        key = "render:draft" if spec.draft else "render"
        stage = self._stage(key, build)
        from gpu_stages.render.stage import RenderInput

        plan = ScriptPlan.model_validate(inputs["script"])
        timeline = self._timeline(plan, inputs)
        if isinstance(timeline, StageFailure):
            return timeline
        voices = VoiceTrack.model_validate(inputs["voices"])
        cast = Cast.model_validate(inputs["cast"])
        backdrops = SceneBackdrops.model_validate(inputs["scenes"]).aspects
        subtitles = Subtitles.model_validate(inputs["subtitles"])
        audio = str(inputs["mix"]["audio"])
        resolution = film_resolution(spec)
        aspects: list[AspectRatio] = list(dict.fromkeys(spec.aspects))
        renditions: list[SegmentedRendition] = []
        for n, aspect in enumerate(aspects):
            if aspect not in backdrops:
                return StageFailure(reason=f"no backdrops were drawn for {aspect}; generate the film again")
            width, height = frame_size(aspect, resolution)
            ass = self._burned_ass(spec, subtitles, width, height)
            if isinstance(ass, StageFailure):
                return ass
            request = RenderInput(
                plan=plan,
                timeline=timeline,
                cast=cast,
                backdrops=backdrops[aspect],
                voices=voices,
                audio=audio,
                aspect=aspect,
                resolution=resolution,
                fps=spec.fps,
                ass=ass,
                cues=subtitles.tracks[0].cues
                if ass
                else [],  # exact times, so moved segments keep their keys
                watermark=spec.watermark,
                podcast=spec.podcast_layout if plan.podcast else None,
                hosts=hosts(plan) if plan.podcast else [],
            )
            part = scaled(progress, n / len(aspects), (n + 1) / len(aspects))
            result = self._run(key, stage, request, SegmentedRendition, part)
            if isinstance(result, StageFailure):
                return result
            renditions.append(result)
        return RenditionSet(renditions=renditions)

    def _thumbnails(
        self, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> BaseModel | StageFailure:
        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.film.thumbnail_stage import ThumbnailSettings, ThumbnailStage

            if spec.draft:  # a draft is for reviewing the film: one thumbnail from two candidate frames
                return ThumbnailStage(ThumbnailSettings(candidates=DRAFT_THUMBNAIL_CANDIDATES, images=1))
            return ThumbnailStage(ThumbnailSettings())

        stage = self._stage("thumbnails:draft" if spec.draft else "thumbnails", build)
        from gpu_stages.film.thumbnail_stage import ThumbnailInput, Thumbnails, clear_moments

        plan = ScriptPlan.model_validate(inputs["script"])
        subtitles = Subtitles.model_validate(inputs["subtitles"])
        renditions = RenditionSet.model_validate(inputs["render"]).renditions
        if not renditions:
            return StageFailure(reason="the render stage produced no video to take thumbnails from")
        # Thumbnails are 16:9; take them from the wide rendition when there is one.
        source = next((r for r in renditions if r.aspect == "16:9"), renditions[0])
        burned = subtitles.tracks[0].cues if spec.subtitles.burn_in and subtitles.tracks else []
        moments = (
            clear_moments(source.duration, burned, DRAFT_THUMBNAIL_CANDIDATES)
            if spec.draft
            else (clear_moments(source.duration, burned))
        )
        request = ThumbnailInput(
            video="" if source.segments else source.video,
            title=plan.title,
            language=plan.language,
            moments=[] if source.segments else moments,
            sources=[frame_source(source, seconds, spec.fps) for seconds in moments]
            if source.segments
            else [],
        )
        key = "thumbnails:draft" if spec.draft else "thumbnails"
        result = self._run(key, stage, request, Thumbnails, progress)
        if isinstance(result, StageFailure):
            return result
        plain = [
            Rendition.model_validate(r.model_dump(include=set(Rendition.model_fields))) for r in renditions
        ]
        return FilmOutputs(renditions=plain, subtitles=subtitles.tracks, thumbnails=result.images)

    # --- shared ------------------------------------------------------------------------------

    def _narration(self, upload: str, plan: ScriptPlan, progress: ProgressFn) -> BaseModel | StageFailure:
        """Voices cut from the creator's recording of the script (faster-whisper finds when each line is said)."""
        folder = self.engines.whisper_model_dir if self.engines else None
        if not folder:
            return StageFailure(
                reason="this film uses an uploaded narration, which needs a speech-recognition model: set "
                "FILMSTUDIO_WHISPER_MODEL_DIR to a CTranslate2 Whisper model folder (docs/gpu.md), "
                "or remove narration_upload to have the lines voiced"
            )

        def build() -> Stage[Any, Any, Any]:
            from gpu_stages.narration.read_script import ReadScriptStage
            from gpu_stages.narration.stage import NarrationSettings

            return ReadScriptStage(
                NarrationSettings(model_dir=folder, threads=self.engines.threads if self.engines else 1)
            )

        stage = self._stage("narration", build)
        from gpu_stages.narration.read_script import ReadScriptInput

        return self._run("narration", stage, ReadScriptInput(plan=plan, audio=upload), VoiceTrack, progress)

    def _model_stage(self, name: str) -> Stage[Any, Any, Any] | None:
        """The model engine the settings chose for this stage, or None for the offline engine."""
        return self.engines.model_stage(name) if self.engines else None

    def _podcast_music(
        self, spec: FilmSpec, plan: ScriptPlan, stage: Stage[Any, Any, Any], progress: ProgressFn
    ) -> BaseModel | StageFailure:
        """A podcast's music: an intro before the first word and an outro after the last, nothing under the talk."""
        from gpu_stages.music.stage import MusicInput

        if spec.music == "none":
            return MusicScore(cues=[])
        culture = plan.scenes[0].culture
        ends = [
            Scene(
                index=INTRO_CUE,
                heading="intro",
                setting="podcast_studio",
                mood="happy",
                culture=culture,
                lines=[],
            ),
            Scene(
                index=OUTRO_CUE,
                heading="outro",
                setting="podcast_studio",
                mood="calm",
                culture=culture,
                lines=[],
            ),
        ]
        seconds = {INTRO_CUE: INTRO_MUSIC_SECONDS, OUTRO_CUE: OUTRO_MUSIC_SECONDS}
        if spec.music == "upload":  # the intro is the upload's start, the outro what follows it
            both = plan_for_scene_music(plan, ends[0]).model_copy(update={"scenes": ends})
            whole = MusicInput(plan=both, style="upload", upload=spec.music_upload, scene_seconds=seconds)
            return self._run("music", stage, whole, MusicScore, progress)
        cues: list[MusicCue] = []
        for n, end in enumerate(ends):
            single = MusicInput(
                plan=plan_for_scene_music(plan, end),
                style=spec.music,
                scene_seconds={end.index: seconds[end.index]},
            )
            result = self._run("music", stage, single, MusicScore, scaled(progress, n / 2, (n + 1) / 2))
            if isinstance(result, StageFailure):
                return result
            cues += result.cues
        return MusicScore(cues=cues)

    def _timeline(self, plan: ScriptPlan, inputs: dict[str, Any]) -> Timeline | StageFailure:
        try:
            return film_timeline(plan, VoiceTrack.model_validate(inputs["voices"]))
        except ValueError as error:
            return StageFailure(
                reason=f"the voices do not match the script ({error}); generate the film again"
            )

    def _burned_ass(
        self, spec: FilmSpec, subtitles: Subtitles, width: int, height: int
    ) -> str | StageFailure | None:
        """An ASS artifact styled for this frame size, or None when subtitles are not burned in."""
        if not spec.subtitles.burn_in or not subtitles.tracks:
            return None
        from gpu_stages.subtitles import InvalidSubtitleStyle, ass_for_frame

        try:
            text = ass_for_frame(subtitles.tracks[0], spec.subtitles, width, height)
        except InvalidSubtitleStyle as error:
            return StageFailure(reason=f"the subtitle style cannot be used: {error}")
        return self.artifacts.put_bytes(text.encode("utf-8"), ".ass")
