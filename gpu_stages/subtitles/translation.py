"""Machine translation of subtitle text behind one small port, with a hosted and an offline adapter."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any, Protocol

import httpx

from gpu_stages.subtitles.scripts import language_name, primary_subtag


class TranslationUnavailable(RuntimeError):
    """No translator can handle the request here; the message says what to install or configure."""


class TranslationFailed(RuntimeError):
    """The translator was reachable but the translation did not succeed."""

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class Translator(Protocol):
    """Translates a batch of texts, keeping order and count."""

    def translate(self, texts: list[str], source: str, target: str) -> list[str]: ...


def translated_label(language: str) -> str:
    """Label of a machine-translated track, e.g. `Hindi (machine translated)`."""
    return f"{language_name(language)} (machine translated)"


class HttpTranslator:
    """A hosted service speaking the LibreTranslate JSON protocol (`POST {base}/translate`)."""

    def __init__(
        self, base_url: str, api_key: str | None = None, timeout: float = 30.0, batch_size: int = 50
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.batch_size = batch_size

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate in batches of `batch_size` texts per request."""
        out: list[str] = []
        for i in range(0, len(texts), self.batch_size):
            out.extend(self._batch(texts[i : i + self.batch_size], source, target))
        return out

    def _batch(self, texts: list[str], source: str, target: str) -> list[str]:
        payload: dict[str, Any] = {
            "q": texts,
            "source": primary_subtag(source),
            "target": primary_subtag(target),
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        try:
            response = httpx.post(f"{self.base_url}/translate", json=payload, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise TranslationFailed(
                f"translation service at {self.base_url} could not be reached: {exc}", retryable=True
            ) from exc
        if response.status_code != 200:
            try:
                detail = response.json().get("error", response.text)
            except ValueError:
                detail = response.text
            raise TranslationFailed(
                f"translation service refused {source}->{target} ({response.status_code}): {detail}",
                retryable=response.status_code == 429 or response.status_code >= 500,
            )
        translated = response.json().get("translatedText")
        if isinstance(translated, str):
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise TranslationFailed(
                f"translation service returned {len(translated or [])} texts for {len(texts)}"
            )
        return [str(t) for t in translated]


class OfflineModelTranslator:
    """An installed offline model: Argos Translate packages, or a MarianMT folder via transformers."""

    def __init__(self, marian_dir: Path | None = None) -> None:
        self.marian_dir = marian_dir
        self._marian: Any = None

    def available(self, source: str, target: str) -> str | None:
        """None when a model can translate source->target here; otherwise why not, and what to do."""
        src, dst = primary_subtag(source), primary_subtag(target)
        if self.marian_dir is not None:
            reason: str | None = self._marian_translator().available(source, target)
            if reason is None and importlib.util.find_spec("transformers") is None:
                reason = (
                    "a MarianMT folder is configured but `transformers` is not installed "
                    "(pip install -e '.[gpu]')"
                )
            return reason
        if importlib.util.find_spec("argostranslate") is None:
            return (
                f"no offline translation model for {src}->{dst}: install `argostranslate` with its "
                f"{src}->{dst} package, or set a MarianMT model folder, or use a hosted translator"
            )
        translate = importlib.import_module("argostranslate.translate")
        codes = {lang.code: lang for lang in translate.get_installed_languages()}
        if src not in codes or codes[src].get_translation(codes.get(dst)) is None:
            return f"argostranslate has no installed {src}->{dst} package; install it with argospm"
        return None

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate with the first usable offline model; raises `TranslationUnavailable` if none."""
        reason = self.available(source, target)
        if reason is not None:
            raise TranslationUnavailable(reason)
        if self.marian_dir is not None:
            translated: list[str] = self._marian_translator().translate(texts, source, target)
            return translated
        translate = importlib.import_module("argostranslate.translate")
        src, dst = primary_subtag(source), primary_subtag(target)
        return [str(translate.translate(text, src, dst)) for text in texts]

    def _marian_translator(self) -> Any:
        """The MarianMT adapter (gpu_stages.models.marian), created on first use: it needs the gpu extra."""
        if self._marian is None:
            marian = importlib.import_module("gpu_stages.models.marian")
            self._marian = marian.MarianTranslator(self.marian_dir)
        return self._marian
