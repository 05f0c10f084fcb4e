"""A small, realistic history (an account, projects, a completed and a failed film) for tests."""

from __future__ import annotations

from typing import Any

from infra.container import Studio
from schemas.commands import CreateProject, DeleteProject, RegisterAccount, RequestFilm, UpdateProject
from schemas.film import FilmSpec
from schemas.media import StageFailure

DAG = {"script": [], "voices": ["script"], "render": ["voices"]}


def runner(
    stage: str, spec: FilmSpec, inputs: dict[str, Any], progress: Any
) -> dict[str, Any] | StageFailure:
    """A fake stage runner: scripts containing 'fail' fail at the voices stage, permanently."""
    if "fail" in spec.script and stage == "voices":
        return StageFailure(reason="no voice for that language", retryable=False)
    return {"stage": stage}


def make_history(studio: Studio, *, password_hash: str = "h", delete_last: bool = True) -> None:
    """Three projects with films (the second fails), then drive processors and projections to rest."""
    bus = studio.bus
    owner = bus.handle(
        RegisterAccount(email="meera@example.com", display_name="Meera", password_hash=password_hash)
    ).aggregate_id
    for i in range(3):
        project = bus.handle(CreateProject(owner_id=owner, spec=FilmSpec(script=f"Line {i}"))).aggregate_id
        bus.handle(UpdateProject(project_id=project, owner_id=owner, changes={"title": f"Film {i}"}))
        script = "please fail" if i == 1 else "fine"
        bus.handle(RequestFilm(project_id=project, owner_id=owner, spec=FilmSpec(script=script), stages=DAG))
    if delete_last:
        bus.handle(DeleteProject(project_id=project, owner_id=owner))
    followers = studio.embedded_followers()
    while sum(f.run_once() for f in followers):
        pass
    studio.projector.run_until_idle()
