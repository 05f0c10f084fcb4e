"""Named voice presets: engine, base voice(s) and the transforms that give age and character."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from schemas.media import AgeGroup, Gender

Engine = Literal["kokoro", "espeak"]


class VoiceTransform(BaseModel):
    """Post-synthesis changes made with Praat's "Change gender" plus a tremolo."""

    pitch_median_hz: float | None = Field(
        default=None, description="move the median pitch here (child voices)"
    )
    pitch_factor: float = Field(default=1.0, description="scale the median pitch (senior: 0.82)")
    formant_shift: float = Field(
        default=1.0, description="Praat formant shift ratio (>1 smaller vocal tract)"
    )
    rate: float = Field(default=1.0, description="speaking-rate multiplier applied by the engine")
    tremolo_depth: float = Field(0.0, description="amplitude modulation depth, 0-0.2")
    tremolo_hz: float = 5.5

    def is_identity(self) -> bool:
        return (
            self.pitch_median_hz is None
            and self.pitch_factor == 1.0
            and self.formant_shift == 1.0
            and self.tremolo_depth == 0.0
        )


class VoicePreset(BaseModel):
    """A voice a character can be given: who it sounds like and how it is made."""

    id: str
    label: str
    language: str = Field(
        description="'en-us', 'en-gb', 'hi', 'es', 'fr', 'it', 'pt-br', 'ja', 'zh', 'ar', ..."
    )
    age: AgeGroup
    gender: Gender
    engine: Engine
    voices: dict[str, float] = Field(description="Kokoro voice -> weight (blended), or {espeak voice: 1}")
    espeak_variant: str | None = Field(
        default=None, description="espeak-ng variant for drafts/fallback, e.g. 'f3'"
    )
    transform: VoiceTransform = VoiceTransform()


CHILD = VoiceTransform(pitch_median_hz=300.0, formant_shift=1.17, rate=1.04)
SENIOR = VoiceTransform(pitch_factor=0.82, rate=0.88, tremolo_depth=0.06, tremolo_hz=5.5, formant_shift=0.97)
FORMANT_DOWN = VoiceTransform(pitch_median_hz=115.0, formant_shift=0.86)
"""A male voice derived from a female-only language (Kokoro has one French voice)."""

LANGUAGE_LABELS = {
    "en-us": "US English",
    "en-gb": "UK English",
    "hi": "Hindi",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "pt-br": "Portuguese (Brazil)",
    "ja": "Japanese",
    "zh": "Chinese (Mandarin)",
    "ar": "Arabic",
}
AGE_LABELS = {"child": "child", "young_adult": "young adult", "adult": "adult", "senior": "senior"}


def _preset(
    language: str,
    age: AgeGroup,
    gender: Gender,
    n: int,
    voices: dict[str, float],
    transform: VoiceTransform | None = None,
    engine: Engine = "kokoro",
    variant: str | None = None,
    flavour: str = "",
) -> VoicePreset:
    label = f"{LANGUAGE_LABELS[language]} {AGE_LABELS[age]} {gender}" + (f" ({flavour})" if flavour else "")
    return VoicePreset(
        id=f"{language}-{age.replace('_', '-')}-{gender}-{n}",
        label=label,
        language=language,
        age=age,
        gender=gender,
        engine=engine,
        voices=voices,
        espeak_variant=variant or ("f3" if gender == "female" else "m3"),
        transform=transform or VoiceTransform(),
    )


PRESETS: list[VoicePreset] = [
    # US English
    _preset("en-us", "child", "female", 1, {"af_nicole": 0.5, "af_sky": 0.5}, CHILD, flavour="bright"),
    _preset("en-us", "child", "male", 1, {"am_puck": 0.7, "af_sky": 0.3}, CHILD, flavour="playful"),
    _preset("en-us", "young_adult", "female", 1, {"af_bella": 1.0}, flavour="warm"),
    _preset("en-us", "young_adult", "female", 2, {"af_nova": 0.6, "af_sky": 0.4}, flavour="airy"),
    _preset("en-us", "young_adult", "male", 1, {"am_puck": 1.0}, flavour="lively"),
    _preset("en-us", "young_adult", "male", 2, {"am_liam": 1.0}, flavour="easy"),
    _preset("en-us", "adult", "female", 1, {"af_heart": 1.0}, flavour="clear narrator"),
    _preset("en-us", "adult", "female", 2, {"af_sarah": 0.6, "af_nicole": 0.4}, flavour="soft"),
    _preset("en-us", "adult", "female", 3, {"af_kore": 1.0}, flavour="firm"),
    _preset("en-us", "adult", "male", 1, {"am_michael": 1.0}, flavour="steady narrator"),
    _preset("en-us", "adult", "male", 2, {"am_fenrir": 1.0}, flavour="deep"),
    _preset("en-us", "adult", "male", 3, {"am_eric": 0.5, "am_adam": 0.5}, flavour="plain"),
    _preset("en-us", "senior", "female", 1, {"af_sarah": 1.0}, SENIOR, flavour="gentle"),
    _preset("en-us", "senior", "male", 1, {"am_onyx": 0.6, "am_santa": 0.4}, SENIOR, flavour="grand"),
    # UK English
    _preset("en-gb", "child", "female", 1, {"bf_alice": 0.6, "bf_lily": 0.4}, CHILD),
    _preset("en-gb", "young_adult", "female", 1, {"bf_lily": 1.0}),
    _preset("en-gb", "young_adult", "male", 1, {"bm_lewis": 1.0}),
    _preset("en-gb", "adult", "female", 1, {"bf_emma": 1.0}),
    _preset("en-gb", "adult", "male", 1, {"bm_george": 1.0}),
    _preset("en-gb", "adult", "male", 2, {"bm_daniel": 1.0}),
    _preset("en-gb", "senior", "female", 1, {"bf_isabella": 1.0}, SENIOR),
    _preset("en-gb", "senior", "male", 1, {"bm_fable": 1.0}, SENIOR),
    # Hindi
    _preset("hi", "child", "female", 1, {"hf_beta": 1.0}, CHILD),
    _preset("hi", "child", "male", 1, {"hm_psi": 0.7, "hf_beta": 0.3}, CHILD),
    _preset("hi", "young_adult", "female", 1, {"hf_beta": 1.0}),
    _preset("hi", "young_adult", "male", 1, {"hm_psi": 1.0}),
    _preset("hi", "adult", "female", 1, {"hf_alpha": 1.0}),
    _preset("hi", "adult", "male", 1, {"hm_omega": 1.0}),
    _preset("hi", "senior", "female", 1, {"hf_alpha": 1.0}, SENIOR),
    _preset("hi", "senior", "male", 1, {"hm_omega": 1.0}, SENIOR),
    # Spanish, French, Italian, Portuguese (Brazil)
    _preset("es", "adult", "female", 1, {"ef_dora": 1.0}),
    _preset("es", "adult", "male", 1, {"em_alex": 1.0}),
    _preset("es", "senior", "male", 1, {"em_santa": 1.0}, SENIOR),
    _preset("es", "child", "female", 1, {"ef_dora": 1.0}, CHILD),
    _preset("fr", "adult", "female", 1, {"ff_siwis": 1.0}),
    _preset("fr", "adult", "male", 1, {"ff_siwis": 1.0}, FORMANT_DOWN, flavour="derived"),
    _preset("fr", "senior", "female", 1, {"ff_siwis": 1.0}, SENIOR),
    _preset("it", "adult", "female", 1, {"if_sara": 1.0}),
    _preset("it", "adult", "male", 1, {"im_nicola": 1.0}),
    _preset("pt-br", "adult", "female", 1, {"pf_dora": 1.0}),
    _preset("pt-br", "adult", "male", 1, {"pm_alex": 1.0}),
    _preset("pt-br", "senior", "male", 1, {"pm_santa": 1.0}, SENIOR),
    # Japanese, Chinese
    _preset("ja", "adult", "female", 1, {"jf_alpha": 1.0}),
    _preset("ja", "young_adult", "female", 1, {"jf_gongitsune": 1.0}),
    _preset("ja", "child", "female", 1, {"jf_nezumi": 1.0}, CHILD),
    _preset("ja", "adult", "male", 1, {"jm_kumo": 1.0}),
    _preset("zh", "adult", "female", 1, {"zf_xiaoxiao": 1.0}),
    _preset("zh", "young_adult", "female", 1, {"zf_xiaoyi": 1.0}),
    _preset("zh", "adult", "male", 1, {"zm_yunjian": 1.0}),
    _preset("zh", "young_adult", "male", 1, {"zm_yunxi": 1.0}),
    # Arabic: Kokoro has none, espeak-ng speaks it
    _preset("ar", "adult", "female", 1, {"ar": 1.0}, engine="espeak", variant="f2"),
    _preset("ar", "adult", "male", 1, {"ar": 1.0}, engine="espeak", variant="m1"),
    _preset("ar", "senior", "male", 1, {"ar": 1.0}, SENIOR, engine="espeak", variant="m3"),
    _preset("ar", "child", "female", 1, {"ar": 1.0}, CHILD, engine="espeak", variant="f4"),
]

_BY_ID = {preset.id: preset for preset in PRESETS}


class UnknownPreset(Exception):
    """A voice preset id that does not exist."""

    def __init__(self, preset_id: str) -> None:
        super().__init__(
            f"There is no voice preset {preset_id!r}; pick one of the ids listed by `list_presets()` "
            f"(e.g. {PRESETS[0].id!r})"
        )


def get_preset(preset_id: str) -> VoicePreset:
    """The preset with this id; raises UnknownPreset."""
    if preset_id in _BY_ID:
        return _BY_ID[preset_id]
    raise UnknownPreset(preset_id)


def list_presets(language: str | None = None) -> list[VoicePreset]:
    """All presets, or those of one language ('en' matches en-us and en-gb)."""
    if language is None:
        return list(PRESETS)
    return [p for p in PRESETS if p.language == language or p.language.split("-")[0] == language]
