# ruff: noqa: RUF001 - Chinese punctuation is meant here
"""Kokoro-82M (int8 ONNX) through kokoro-onnx: neural speech with per-phoneme timings from its durations."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import numpy as np

from gpu_stages.voice.assets import KokoroAssets
from gpu_stages.voice.energy_alignment import align_by_energy, speech_onset
from gpu_stages.voice.japanese_g2p import japanese_words
from gpu_stages.voice.synthesis import EngineUnavailable, RawPhoneme, RawWord, Synthesis
from gpu_stages.voice.visemes import PAUSE, is_modifier, is_pause
from gpu_stages.voice.word_units import spoken_units, timed_units

SAMPLE_RATE = 24000
MIN_ENGINE_SPEED, MAX_ENGINE_SPEED = 0.5, 2.0

LANGUAGE_CODES = {
    "en-us": "en-us",
    "en-gb": "en-gb",
    "es": "es",
    "fr": "fr-fr",
    "hi": "hi",
    "it": "it",
    "pt-br": "pt-br",
    "ja": "ja",
    "zh": "cmn",
}
"""Preset language -> espeak phonemizer language used by Kokoro."""


_ASCII_MARKS = str.maketrans(
    {"。": ". ", "，": ", ", "、": ", ", "！": "! ", "？": "? ", "；": "; ", "：": ": "}
)
"""Chinese punctuation as the ASCII marks (and the space) the phonemiser keeps."""


class KokoroEngine:
    """Loads the ONNX model once; `synthesize` is safe to call from several threads."""

    @property
    def version(self) -> str:
        """Model identity for cache keys; a model without durations gets energy-derived timings."""
        return "kokoro-82m-int8-v1.0" + ("+durations" if self.assets.has_timings() else "")

    def __init__(self, assets: KokoroAssets, threads: int = 1) -> None:
        self.assets = assets
        self.threads = threads
        self._kokoro: Any = None
        self._lock = threading.Lock()

    def problem(self) -> str | None:
        """Why this engine cannot run here, or None."""
        return self.assets.problem()

    def load(self) -> None:
        """Open the ONNX session and the style vectors; raises EngineUnavailable if assets are missing."""
        with self._lock:
            if self._kokoro is not None:
                return
            problem = self.assets.problem()
            if problem:
                raise EngineUnavailable(problem)
            import onnxruntime as rt
            from kokoro_onnx import Kokoro

            options = rt.SessionOptions()
            # on a shared 2-core box one thread gave the best real-time factor; raise it on a dedicated host
            options.intra_op_num_threads = self.threads
            session = rt.InferenceSession(
                str(self.assets.model), sess_options=options, providers=["CPUExecutionProvider"]
            )
            self._kokoro = Kokoro.from_session(session, str(self.assets.voices))

    @property
    def voice_names(self) -> list[str]:
        self.load()
        return sorted(self._kokoro.voices.keys())

    def blend(self, weights: Mapping[str, float]) -> np.ndarray:
        """A style built from named voices by weighted sum (weights are normalised)."""
        self.load()
        missing = [name for name in weights if name not in self._kokoro.voices]
        if missing:
            raise EngineUnavailable(
                f"Kokoro has no voice(s) {missing}; installed: {len(self._kokoro.voices)}"
            )
        total = sum(weights.values())
        style: np.ndarray = np.zeros_like(self._kokoro.voices[next(iter(weights))])
        for name, weight in weights.items():
            style += self._kokoro.voices[name] * (weight / total)
        return style

    def _phonemes_per_word(self, text: str, lang: str) -> tuple[str, list[str], list[int]]:
        """The phoneme string to speak, the words, and how many space-separated groups each became."""
        if lang == "ja":
            chunks = japanese_words(text)
            return " ".join(p for _, p in chunks), [s for s, _ in chunks], [1] * len(chunks)
        if lang == "cmn":
            # The phonemiser drops full-width marks, and Kokoro only pauses where a mark is spoken.
            text = text.translate(_ASCII_MARKS)
        tokenizer = self._kokoro.tokenizer
        whole = tokenizer.phonemize(text, lang)
        words = timed_units(text)  # Chinese: one unit per character, each one syllable
        groups = [g for g in whole.split() if not all(is_pause(ch) or is_modifier(ch) for ch in g)]
        if len(groups) == len(words) and len(whole.split()) == len(groups):
            return whole, words, [1] * len(words)
        # Numbers, abbreviations and punctuation-only tokens break the one-to-one match, so each
        # word is phonemised on its own (punctuation kept) and the counts are remembered.
        parts: list[str] = []
        counts: list[int] = []
        for token in spoken_units(text):
            phonemes = tokenizer.phonemize(token, lang).strip()
            if any(ch.isalnum() for ch in token):
                counts.append(len(phonemes.split()) if phonemes else 0)
                parts.append(phonemes)
            elif parts and phonemes:
                parts[-1] += phonemes  # a free-standing mark belongs to the word before it
        return " ".join(p for p in parts if p), words, counts

    def synthesize(self, text: str, voice: Mapping[str, float], language: str, speed: float) -> Synthesis:
        """Speak `text` with a blended voice; speed is clipped to the model's 0.5-2.0 range."""
        self.load()
        lang = LANGUAGE_CODES.get(language)
        if lang is None:
            raise EngineUnavailable(f"Kokoro does not speak {language!r}")
        style = self.blend(voice)
        speed = float(np.clip(speed, MIN_ENGINE_SPEED, MAX_ENGINE_SPEED))
        phonemes, words_text, counts = self._phonemes_per_word(text, lang)
        if not phonemes:
            raise EngineUnavailable(f"Kokoro found nothing to say in {text!r}")
        audio, rate, timings = self._kokoro.create_timed(
            phonemes, style, speed=speed, lang=lang, is_phonemes=True
        )
        audio = np.asarray(audio, dtype=np.float32)
        groups = _group_timings(self._kokoro.tokenizer.known(" ".join(phonemes.split())), timings)
        if groups and sum(counts) == len(groups):
            words, spoken = _words_from_groups(words_text, counts, groups)
            words, spoken = _correct_lateness(audio, rate, words, spoken)
        else:
            per_word = _split_counts(phonemes, counts)
            words, spoken = align_by_energy(audio, rate, words_text, per_word)
        return Synthesis(audio=audio, sample_rate=rate, words=words, phonemes=spoken)


def _group_timings(known: str, timings: list[Any]) -> list[list[RawPhoneme]]:
    """Walk the spoken phoneme string and the model's timings together, cutting groups at spaces."""
    groups: list[list[RawPhoneme]] = [[]]
    j = 0
    for ch in known:
        matched = j < len(timings) and timings[j].phoneme == ch
        if ch == " ":
            if groups[-1]:
                groups.append([])
            j += 1 if matched else 0  # a space dropped at a batch join has no timing
            continue
        if matched:
            t = timings[j]
            groups[-1].append(RawPhoneme(ch, float(t.start), float(t.end)))
            j += 1
    return [g for g in groups if any(not is_pause(p.symbol) and not is_modifier(p.symbol) for p in g)]


def _merge_modifiers(group: list[RawPhoneme]) -> list[RawPhoneme]:
    """Give stress marks' time to the following phoneme and length marks' time to the preceding one."""
    out: list[RawPhoneme] = []
    carry: float | None = None
    for p in group:
        if is_modifier(p.symbol):
            if p.symbol in "ːˑ" and out:
                last = out[-1]
                out[-1] = RawPhoneme(last.symbol + p.symbol, last.start, p.end)
            elif carry is None:
                carry = p.start
            continue
        if is_pause(p.symbol):
            out.append(RawPhoneme(PAUSE, p.start, p.end))
            continue
        out.append(RawPhoneme(p.symbol, carry if carry is not None else p.start, p.end))
        carry = None
    return out


def _words_from_groups(
    words_text: list[str], counts: list[int], groups: list[list[RawPhoneme]]
) -> tuple[list[RawWord], list[RawPhoneme]]:
    words: list[RawWord] = []
    spoken: list[RawPhoneme] = []
    index = 0
    for word, count in zip(words_text, counts, strict=True):
        merged = [p for g in groups[index : index + count] for p in _merge_modifiers(g)]
        index += count
        voiced = [p for p in merged if p.symbol != PAUSE]
        if voiced:
            words.append(RawWord(word, voiced[0].start, voiced[-1].end))
        spoken.extend(p for p in merged if p.end > p.start)
    return words, spoken


def _split_counts(phonemes: str, counts: list[int]) -> list[list[str]]:
    """Phoneme symbols per text word (for alignment without model timings)."""
    groups = phonemes.split()
    out: list[list[str]] = []
    index = 0
    for count in counts:
        symbols = [
            ch for g in groups[index : index + count] for ch in g if not is_modifier(ch) and not is_pause(ch)
        ]
        out.append(symbols or ["ə"])
        index += count
    return out


LATENESS_LIMIT = 0.15
"""Kokoro's predicted durations run up to ~0.1 s behind its audio; a larger gap means no correction."""


def _correct_lateness(
    audio: np.ndarray, rate: int, words: list[RawWord], spoken: list[RawPhoneme]
) -> tuple[list[RawWord], list[RawPhoneme]]:
    """Shift all timings so the first word starts where the audio's energy starts."""
    if not words:
        return words, spoken
    onset = speech_onset(audio, rate)
    shift = onset - words[0].start
    if not -LATENESS_LIMIT <= shift <= LATENESS_LIMIT / 3:
        return words, spoken
    end = len(audio) / rate
    moved_words = [RawWord(w.text, max(0.0, w.start + shift), min(end, w.end + shift)) for w in words]
    moved = [RawPhoneme(p.symbol, max(0.0, p.start + shift), min(end, p.end + shift)) for p in spoken]
    return moved_words, moved
