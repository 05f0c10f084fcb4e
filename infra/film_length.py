"""The script-measure port's implementation: a film's expected length and word count, for pricing.

The script stage's own estimator is imported on first use, so the gateway starts without it.
"""

from __future__ import annotations

from functools import lru_cache

from schemas.film import FilmSpec

FALLBACK_WORDS_PER_MINUTE = 145.0


def measure_script(spec: FilmSpec) -> tuple[float, int]:
    """(seconds, words): the spec's target length if set, else the script stage's estimate."""
    return _measure(spec.script, spec.script_format, spec.language, spec.target_seconds)


@lru_cache(maxsize=512)
def _measure(script: str, fmt: str, language: str | None, target: float | None) -> tuple[float, int]:
    from gpu_stages.script.errors import ScriptRejected
    from gpu_stages.script.intake import count_words

    words = count_words(script)
    if target is not None:
        return float(target), words
    from gpu_stages.script.stage import plan_script

    try:
        plan = plan_script(script, fmt, title="", language=language, max_words=max(words, 1))  # type: ignore[arg-type]
    except ScriptRejected:
        # An unusable script fails at the script stage with its own message; price it by words meanwhile.
        return words * 60.0 / FALLBACK_WORDS_PER_MINUTE, words
    return plan.estimated_seconds, words
