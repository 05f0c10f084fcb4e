"""A stage backed by a local model: opening failures become `StageFailure` values, not crashes."""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar, TypeVar

from pydantic import BaseModel

from gpu_stages.contract import Stage
from gpu_stages.models.runtime import ModelUnavailable
from schemas.media import StageFailure

SettingsT = TypeVar("SettingsT", bound=BaseModel)
InputT = TypeVar("InputT", bound=BaseModel)
OutputT = TypeVar("OutputT", bound=BaseModel)


class ModelStage(Stage[SettingsT, InputT, OutputT]):
    """Opens its model in `load()`; if that fails, each run tries again and reports why it cannot work."""

    model_kind: ClassVar[str] = "model"

    def __init__(self, settings: SettingsT) -> None:
        super().__init__(settings)
        self._opened = False
        self.problem: str | None = None

    @abstractmethod
    def open_model(self) -> None:
        """Load weights and tokenizers from the local folder in the settings; raise `ModelUnavailable`."""

    def load(self) -> None:
        """Open the model now; a missing folder or package is remembered, not raised."""
        self._try_open()

    def ready(self) -> StageFailure | None:
        """None when the model is open (opening it now if needed), else the failure to return."""
        if not self._opened:
            self._try_open()
        return None if self._opened else StageFailure(reason=self.problem or f"the {self.model_kind} model is not loaded")

    def _try_open(self) -> None:
        try:
            self.open_model()
        except ModelUnavailable as error:
            self.problem = str(error)
            return
        except (OSError, ValueError, KeyError) as error:
            # A folder with the right names but unusable contents: truncated weights, wrong architecture.
            self.problem = (
                f"the {self.model_kind} model could not be loaded ({type(error).__name__}: {error}); "
                "check that its folder holds a complete model saved with save_pretrained()"
            )
            return
        self._opened = True
        self.problem = None
