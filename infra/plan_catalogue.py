"""Loads the plan catalogue from TOML: the bundled infra/plans.toml, or the file FILMSTUDIO_PLANS_FILE names."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from schemas.plans import Catalogue

DEFAULT_PLANS_FILE = Path(__file__).with_name("plans.toml")


class CatalogueError(ValueError):
    """The plans file is missing or malformed; the message names the file and the field to fix."""


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue in `path` (default: the bundled one)."""
    path = path or DEFAULT_PLANS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogueError(f"Plans file {path} does not exist; fix FILMSTUDIO_PLANS_FILE.") from None
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"Plans file {path} is not valid TOML: {error}.") from error
    try:
        return Catalogue.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CatalogueError(f"Plans file {path}: {where}: {first['msg']}.") from error
