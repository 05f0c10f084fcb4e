"""Every read model the studio keeps, by name."""

from __future__ import annotations

from projections.accounts import AccountsView
from projections.audit import AuditView
from projections.base import Projection
from projections.characters import CharactersView
from projections.credits import CreditsView
from projections.films import FilmsView
from projections.moderation import ModerationView
from projections.notifications import NotificationsView
from projections.projects import ProjectsView
from projections.publishing import PublishingView


def all_projections() -> list[Projection]:
    return [
        AccountsView(),
        ProjectsView(),
        FilmsView(),
        AuditView(),
        NotificationsView(),
        ModerationView(),
        PublishingView(),
        CreditsView(),
        CharactersView(),
    ]
