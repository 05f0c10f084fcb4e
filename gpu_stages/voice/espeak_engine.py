"""espeak-ng through its C API: audio plus exact word and phoneme events (in ms) from the synth callback."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.signal import resample_poly

from gpu_stages.voice.synthesis import EngineUnavailable, RawPhoneme, RawWord, Synthesis
from gpu_stages.voice.word_units import split_units

OUTPUT_RATE = 24000

# espeak_AUDIO_OUTPUT / options / event types / parameters, from speak_lib.h
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_PHONEME_EVENTS = 0x0001
_INITIALIZE_PHONEME_IPA = 0x0002
_INITIALIZE_DONT_EXIT = 0x8000
_EVENT_WORD = 1
_EVENT_END = 5
_EVENT_MSG_TERMINATED = 6
_EVENT_PHONEME = 7
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE = 1
_PARAM_PITCH = 3
_PARAM_RANGE = 4


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)

# espeak-ng keeps process-global state: one synthesis at a time in this process
_LOCK = threading.Lock()


@dataclass(frozen=True)
class EspeakVoice:
    """An espeak-ng voice: language code, optional variant (e.g. 'f3'), and prosody settings."""

    language: str
    variant: str | None = None
    rate_wpm: int = 165
    pitch: int = 50
    pitch_range: int = 50


_LIBRARY_DIRS = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
    "/usr/local/lib",
)


def system_library() -> str:
    """Absolute path of the system libespeak-ng ($FILMSTUDIO_ESPEAK_LIBRARY overrides).

    Loading by bare soname would hand back the private copy kokoro-onnx's phonemizer may have loaded
    first (espeakng_loader), whose compiled-in data path does not exist on this machine.
    """
    configured = os.environ.get("FILMSTUDIO_ESPEAK_LIBRARY")
    if configured:
        return configured
    for folder in _LIBRARY_DIRS:
        candidate = Path(folder) / "libespeak-ng.so.1"
        if candidate.exists():
            return str(candidate)
    return ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"


_VOICE_ALIASES = {"en-gb": "en", "fr-fr": "fr", "zh": "cmn"}
"""espeak-ng names voices by file: British English is 'en', French 'fr', Mandarin 'cmn'."""

_OPENED: tuple[ctypes.CDLL, int] | None = None


def _open_library() -> tuple[ctypes.CDLL, int]:
    """The process's one initialised libespeak-ng and its sample rate (the library is a singleton)."""
    global _OPENED
    with _LOCK:
        if _OPENED is not None:
            return _OPENED
        path = system_library()
        try:
            lib = ctypes.CDLL(path)
        except OSError as error:
            raise EngineUnavailable(
                f"espeak-ng is not installed ({error}); install the Debian package espeak-ng"
            ) from error
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [_Callback]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p,
        ]  # fmt: skip
        options = _INITIALIZE_PHONEME_EVENTS | _INITIALIZE_PHONEME_IPA | _INITIALIZE_DONT_EXIT
        data = Path(path).parent / "espeak-ng-data"
        data_arg = str(data.parent).encode() if data.is_dir() else None
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_arg, options)
        if rate <= 0:
            raise EngineUnavailable("espeak-ng failed to initialise (is espeak-ng-data installed?)")
        _OPENED = (lib, rate)
        return _OPENED


class EspeakEngine:
    """Synthesises text with libespeak-ng; thread-safe by a process-wide lock."""

    version = "espeak-ng-1"

    def __init__(self) -> None:
        self._lib: ctypes.CDLL | None = None
        self._rate = 22050
        self._samples: list[np.ndarray] = []
        self._events: list[tuple[int, int, int, int, str]] = []
        self._callback = _Callback(self._on_synth)  # kept referenced so it is not collected

    def load(self) -> None:
        """Open libespeak-ng (once per process) for synchronous synthesis with IPA phoneme events."""
        if self._lib is None:
            self._lib, self._rate = _open_library()

    def _on_synth(self, wav: Any, count: int, events: Any) -> int:
        """ctypes callback: keep the samples and the events of one chunk; 0 means carry on."""
        if count > 0 and wav:
            self._samples.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        index = 0
        while events[index].type != 0:  # espeakEVENT_LIST_TERMINATED
            event = events[index]
            phoneme = ""
            if event.type == _EVENT_PHONEME:
                phoneme = bytes(event.id.string).split(b"\0", 1)[0].decode("utf-8", "replace")
            self._events.append(
                (event.type, event.audio_position, event.text_position, event.length, phoneme)
            )
            index += 1
        return 0

    def _select(self, voice: EspeakVoice) -> bool:
        """Select the voice by file name: the language code, its alias (en-gb is 'en'), then its base."""
        assert self._lib is not None
        base = voice.language.split("-")[0]
        for language in dict.fromkeys([voice.language, _VOICE_ALIASES.get(voice.language, base), base]):
            name = f"{language}+{voice.variant}" if voice.variant else language
            if self._lib.espeak_SetVoiceByName(name.encode()) == 0:
                return True
        return False

    def synthesize(self, text: str, voice: EspeakVoice) -> Synthesis:
        """Speak `text` and return 24 kHz audio with word and phoneme timings in seconds."""
        self.load()
        assert self._lib is not None
        with _LOCK:
            self._samples, self._events = [], []
            # the callback is library-wide: whichever engine is speaking owns it for this call
            self._lib.espeak_SetSynthCallback(self._callback)
            if not self._select(voice):
                raise EngineUnavailable(
                    f"espeak-ng has no voice for language {voice.language!r}; "
                    "pick a preset in a language espeak-ng speaks (`espeak-ng --voices` lists them)"
                )
            self._lib.espeak_SetParameter(_PARAM_RATE, int(voice.rate_wpm), 0)
            self._lib.espeak_SetParameter(_PARAM_PITCH, int(voice.pitch), 0)
            self._lib.espeak_SetParameter(_PARAM_RANGE, int(voice.pitch_range), 0)
            data = text.encode("utf-8") + b"\0"
            status = self._lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            samples, events = self._samples, self._events
        if status != 0:
            raise EngineUnavailable(f"espeak-ng failed to synthesise (status {status})")
        pcm = np.concatenate(samples).astype(np.float32) / 32768.0 if samples else np.zeros(0, np.float32)
        audio = resample_poly(pcm, OUTPUT_RATE, self._rate).astype(np.float32)
        duration = len(audio) / OUTPUT_RATE
        return Synthesis(
            audio=audio,
            sample_rate=OUTPUT_RATE,
            words=_words(text, events, duration),
            phonemes=_phonemes(events, duration),
        )


def _words(text: str, events: list[tuple[int, int, int, int, str]], duration: float) -> list[RawWord]:
    """One span per text word (per character in Chinese and Japanese): espeak's word events matched to the word by character position, each
    running from its first phoneme to the end of its last; words espeak merged share a neighbour's span."""
    # Chinese and Japanese units are single characters: espeak sends one word event per character.
    tokens = [(a, b, text[a:b]) for a, b in split_units(text) if any(c.isalnum() for c in text[a:b])]
    phoneme_events = [e for e in events if e[0] == _EVENT_PHONEME]
    word_events = [e for e in events if e[0] == _EVENT_WORD]
    end_of_speech = _speech_end(events, duration)
    starts = [e[1] / 1000 for e in word_events] + [end_of_speech]
    spans: dict[int, tuple[float, float]] = {}
    for i, (_, position, text_pos, _, _) in enumerate(word_events):
        start, next_start = position / 1000, starts[i + 1]
        inside = [p[1] / 1000 for p in phoneme_events if start <= p[1] / 1000 < next_start and p[4].strip()]
        if inside:
            later = [p[1] / 1000 for p in phoneme_events if p[1] / 1000 > inside[-1]]
            span = (inside[0], min(later[0], next_start) if later else next_start)
        else:
            span = (start, next_start)
        char = text_pos - 1  # espeak counts characters from 1
        owner = next((k for k, (a, b, _) in enumerate(tokens) if a <= char < b), None)
        if owner is None:
            owner = next((k for k, (a, _, _) in enumerate(tokens) if a > char), len(tokens) - 1)
        if owner in spans:
            spans[owner] = (min(spans[owner][0], span[0]), max(spans[owner][1], span[1]))
        elif owner >= 0:
            spans[owner] = span
    words: list[RawWord] = []
    k = 0
    while k < len(tokens):
        if k in spans:
            words.append(RawWord(tokens[k][2], *spans[k]))
            k += 1
            continue
        # a run of words espeak folded into a neighbour: split the neighbour's span evenly among them
        run_end = k
        while run_end < len(tokens) and run_end not in spans:
            run_end += 1
        host_start, host_end = words[-1].start if words else 0.0, words[-1].end if words else 0.0
        host_text = words.pop().text if words else None
        if host_text is None and run_end < len(tokens):
            host_start, host_end = spans[run_end]
        names = ([host_text] if host_text else []) + [t[2] for t in tokens[k:run_end]]
        step = (host_end - host_start) / len(names)
        words.extend(
            RawWord(n, host_start + j * step, host_start + (j + 1) * step) for j, n in enumerate(names)
        )
        k = run_end
    return words


def _speech_end(events: list[tuple[int, int, int, int, str]], duration: float) -> float:
    ends = [e[1] / 1000 for e in events if e[0] in (_EVENT_END, _EVENT_MSG_TERMINATED)]
    return min(max(ends), duration) if ends else duration


def _phonemes(events: list[tuple[int, int, int, int, str]], duration: float) -> list[RawPhoneme]:
    """Each phoneme lasts until the next phoneme (or the end of speech)."""
    phoneme_events = [e for e in events if e[0] == _EVENT_PHONEME]
    end_of_speech = _speech_end(events, duration)
    out: list[RawPhoneme] = []
    for i, (_, position, _, _, symbol) in enumerate(phoneme_events):
        start = position / 1000
        end = phoneme_events[i + 1][1] / 1000 if i + 1 < len(phoneme_events) else end_of_speech
        out.append(RawPhoneme(symbol, start, max(start, min(end, duration))))
    return out
