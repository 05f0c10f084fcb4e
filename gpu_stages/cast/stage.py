"""The cast stage: every speaking character gets a persistent sprite set (drawn, or from a photo)."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from gpu_stages.cast.colors import InvalidColour
from gpu_stages.cast.draw import UnknownAttire, draw_character
from gpu_stages.cast.errors import CastRejected, FaceDetectorUnavailable
from gpu_stages.cast.looks import distinct_looks
from gpu_stages.cast.photo import put_png, sprites_from_photo
from gpu_stages.contract import ArtifactStore, Stage, StageContext
from schemas.media import Cast, Character, CharacterLook, CharacterSprites, Culture, ScriptPlan, StageFailure

TRADITIONAL_SETTINGS = frozenset({"temple", "village", "garden", "riverbank", "market"})
"""Settings where East Asian characters default to traditional dress (kimono)."""


class CastSettings(BaseModel):
    height: int = Field(600, ge=120, le=2400, description="sprite height in pixels")
    supersample: int = Field(3, ge=1, le=6, description="drawing scale before downsampling (anti-aliasing)")
    outline: bool = True
    seed: int = 0


class CastInput(BaseModel):
    plan: ScriptPlan
    looks: dict[str, CharacterLook] = Field(default_factory=dict, description="character id -> look override")
    photos: dict[str, str] = Field(
        default_factory=dict, description="character id -> artifact key of a photo"
    )


class CastStage(Stage[CastSettings, CastInput, Cast]):
    """Draws (or builds from photos) the sprite sets of a plan's characters; the narrator gets none."""

    name = "cast"
    version = "1"

    def run(self, inputs: CastInput, ctx: StageContext) -> Cast | StageFailure:
        people = [c for c in inputs.plan.characters if not c.is_narrator and c.id != "narrator"]
        cultures, traditional = _cultures(inputs.plan, people)
        defaults = distinct_looks(
            [c for c in people if c.id not in inputs.looks], cultures, traditional, self.settings.seed
        )
        drawn: dict[str, CharacterSprites] = {}  # identical looks are drawn once
        sprites: list[CharacterSprites] = []
        for i, character in enumerate(people):
            ctx.progress(i / max(1, len(people)), f"drawing {character.name}")
            look = inputs.looks.get(character.id) or defaults[character.id]
            look = look.model_copy(update={"character_id": character.id})
            try:
                if character.id in inputs.photos:
                    sprites.append(
                        self._from_photo(character, look, inputs.photos[character.id], ctx.artifacts)
                    )
                    continue
                identity = look.model_dump_json(exclude={"character_id", "version"})
                if identity not in drawn:
                    drawn[identity] = self._draw(look, ctx.artifacts)
                sprites.append(
                    drawn[identity].model_copy(update={"character_id": character.id, "look": look})
                )
            except (UnknownAttire, InvalidColour) as exc:
                return StageFailure(reason=f"the look of {character.name} cannot be drawn: {exc}")
            except CastRejected as exc:
                return StageFailure(reason=f"the photo of {character.name} cannot be used: {exc}")
            except FaceDetectorUnavailable as exc:
                return StageFailure(reason=f"photos cannot be used on this server: {exc}")
        ctx.progress(1.0, "cast ready")
        return Cast(characters=sprites)

    def _draw(self, look: CharacterLook, artifacts: ArtifactStore) -> CharacterSprites:
        picture = draw_character(
            look, self.settings.height, self.settings.supersample, outline=self.settings.outline
        )
        return CharacterSprites(
            character_id=look.character_id,
            look=look,
            bodies={name: put_png(artifacts, image) for name, image in picture.bodies.items()},
            mouths={name: put_png(artifacts, image) for name, image in picture.mouths.items()},
            blink=put_png(artifacts, picture.blink),
            size=picture.size,
            mouth_anchor=picture.mouth_anchor,
        )

    def _from_photo(
        self, character: Character, look: CharacterLook, key: str, artifacts: ArtifactStore
    ) -> CharacterSprites:
        if not artifacts.exists(key):
            raise CastRejected(f"the uploaded photo {key!r} is missing; upload it again")
        data = artifacts.path(key).read_bytes()
        look = look.model_copy(update={"uploaded_image": key})
        return sprites_from_photo(data, character.id, artifacts, height=self.settings.height, look=look)


def _cultures(plan: ScriptPlan, people: list[Character]) -> tuple[dict[str, Culture], dict[str, bool]]:
    """Each character's culture and setting: those of the scenes they speak in (else the whole film's)."""
    overall = Counter(scene.culture for scene in plan.scenes)
    default: Culture = overall.most_common(1)[0][0] if overall else "western"
    cultures: dict[str, Culture] = {}
    traditional: dict[str, bool] = {}
    for person in people:
        scenes = [s for s in plan.scenes if any(line.speaker == person.id for line in s.lines)] or plan.scenes
        votes = Counter(s.culture for s in scenes)
        cultures[person.id] = votes.most_common(1)[0][0] if votes else default
        trad = sum(1 for s in scenes if s.setting in TRADITIONAL_SETTINGS)
        traditional[person.id] = bool(scenes) and trad * 2 > len(scenes)
    return cultures, traditional
