# ruff: noqa: RUF001 - IPA and non-Latin scripts are meant here
"""A short sample clip per preset, in its language, cached in memory and on disk."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.voice.assets import KokoroAssets, default_dir
from gpu_stages.voice.espeak_engine import EspeakEngine
from gpu_stages.voice.kokoro_engine import KokoroEngine
from gpu_stages.voice.line_cache import LineIndex
from gpu_stages.voice.presets import VoicePreset, get_preset
from gpu_stages.voice.voicing import LineVoicer

PREVIEW_SENTENCES = {
    "en": "Hello! This is how I sound when I tell your story.",
    "hi": "नमस्ते! यह मेरी आवाज़ है, और यह आपकी कहानी है।",
    "es": "¡Hola! Así sueno cuando cuento tu historia.",
    "fr": "Bonjour ! Voici ma voix quand je raconte votre histoire.",
    "it": "Ciao! Ecco come suono quando racconto la tua storia.",
    "pt": "Olá! É assim que eu soo quando conto a sua história.",
    "ja": "こんにちは。あなたの物語をこの声でお話しします。",
    "zh": "你好！我会用这个声音讲述你的故事。",
    "ar": "مرحبا! هكذا يبدو صوتي عندما أروي قصتك.",
}

_lock = threading.Lock()
_shared_voicers: dict[Path | None, tuple[LineVoicer, LocalArtifactStore]] = {}


def preview_sentence(language: str) -> str:
    """The sample sentence for a preset language (English when none is written for it)."""
    return PREVIEW_SENTENCES.get(language.split("-")[0], PREVIEW_SENTENCES["en"])


def _shared(cache_dir: Path | None) -> tuple[LineVoicer, LocalArtifactStore]:
    """One voicer and clip store per cache folder, made on first use (never at import)."""
    with _lock:
        if cache_dir not in _shared_voicers:
            root = cache_dir or default_dir().parent / "previews"
            try:
                root.mkdir(parents=True, exist_ok=True)
            except OSError:
                root = Path(tempfile.mkdtemp(prefix="voice-previews-"))
            kokoro = KokoroEngine(KokoroAssets(default_dir()))
            voicer = LineVoicer(kokoro, EspeakEngine(), LineIndex(root / "index.json"))
            _shared_voicers[cache_dir] = (voicer, LocalArtifactStore(root))
        return _shared_voicers[cache_dir]


def preview(preset_id: str | VoicePreset, *, draft: bool = False, cache_dir: Path | None = None) -> bytes:
    """WAV bytes (24 kHz mono) of the preset saying a short sentence in its language; made once, then cached.

    Takes a preset id, or a preset object for voices `choose_voice` derived (ids containing '~').
    """
    preset = preset_id if isinstance(preset_id, VoicePreset) else get_preset(preset_id)
    voicer, store = _shared(cache_dir)
    line = voicer.voice(f"preview-{preset.id}", preview_sentence(preset.language), preset, store, draft=draft)
    return store.path(line.audio).read_bytes()
