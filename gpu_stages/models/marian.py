"""Offline subtitle translation with local MarianMT models (transformers), one folder per language pair."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gpu_stages.models.runtime import Device, ModelUnavailable, pick_device, require, torch_ready
from gpu_stages.subtitles.scripts import language_name, primary_subtag
from gpu_stages.subtitles.translation import TranslationUnavailable

MAX_NEW_TOKENS = 256
"""A subtitle line never needs more; a looping model stops here."""


def declared_target(folder: Path) -> str | None:
    """The target language a saved Marian tokenizer declares (`target_lang`), if any."""
    config = folder / "tokenizer_config.json"
    if not config.exists():
        return None
    value = json.loads(config.read_text()).get("target_lang")
    return primary_subtag(value) if isinstance(value, str) and value else None


class MarianTranslator:
    """The `Translator` port over MarianMT folders.

    `models_dir` is either one saved model (its tokenizer's `target_lang` says which language it writes)
    or a folder of models named by pair: `en-hi/`, or `opus-mt-en-hi/` as the OPUS-MT checkpoints are.
    """

    def __init__(
        self, models_dir: Path, device: Device = "auto", threads: int = 1, batch_size: int = 16
    ) -> None:
        self.models_dir = models_dir
        self.device = device
        self.threads = threads
        self.batch_size = batch_size
        self._loaded: dict[Path, tuple[Any, Any, str]] = {}

    def folder_for(self, source: str, target: str) -> Path | str:
        """The model folder for source->target, or why there is none and what to install."""
        src, dst = primary_subtag(source), primary_subtag(target)
        if (self.models_dir / "config.json").exists():
            wrote = declared_target(self.models_dir)
            if wrote is not None and wrote != dst:
                return (
                    f"the MarianMT model in {self.models_dir} translates into {language_name(wrote)}, "
                    f"not {language_name(dst)}; point the setting at a folder of models per language pair"
                )
            return self.models_dir
        for name in (f"{src}-{dst}", f"opus-mt-{src}-{dst}"):
            if (self.models_dir / name / "config.json").exists():
                return self.models_dir / name
        have = sorted(p.name for p in self.models_dir.glob("*") if (p / "config.json").exists())
        return (
            f"no MarianMT model for {language_name(src)} to {language_name(dst)} in {self.models_dir} "
            f"(found: {', '.join(have) or 'none'}); save one there as {src}-{dst}/ (a folder with config.json)"
        )

    def available(self, source: str, target: str) -> str | None:
        """None when source->target can be translated here, else what to do."""
        found = self.folder_for(source, target)
        return found if isinstance(found, str) else None

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate in order, one batch of `batch_size` texts at a time; blank texts stay blank."""
        found = self.folder_for(source, target)
        if isinstance(found, str):
            raise TranslationUnavailable(found)
        try:
            tokenizer, model, device = self._open(found)
        except ModelUnavailable as error:
            raise TranslationUnavailable(str(error)) from error
        out = ["" for _ in texts]
        todo = [n for n, text in enumerate(texts) if text.strip()]
        torch = torch_ready(self.threads)
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start : start + self.batch_size]
            batch = tokenizer([texts[n] for n in chunk], return_tensors="pt", padding=True, truncation=True)
            with torch.inference_mode():
                # Never past the model's positions: generation beyond them indexes out of its embeddings.
                longest = min(MAX_NEW_TOKENS, int(model.config.max_position_embeddings) - 1)
                generated = model.generate(**batch.to(device), max_new_tokens=longest, num_beams=1)
            for n, text in zip(chunk, tokenizer.batch_decode(generated, skip_special_tokens=True), strict=True):
                out[n] = str(text).strip()
        return out

    def _open(self, folder: Path) -> tuple[Any, Any, str]:
        if folder not in self._loaded:
            torch = torch_ready(self.threads)
            device = pick_device(torch, self.device)
            transformers = require("transformers")
            tokenizer = transformers.MarianTokenizer.from_pretrained(str(folder), local_files_only=True)
            model = transformers.MarianMTModel.from_pretrained(str(folder), local_files_only=True)
            self._loaded[folder] = (tokenizer, model.to(device).eval(), device)
        return self._loaded[folder]
