"""YouTube connection aggregate: one per studio account; the channel it publishes to and its playlists."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID, uuid5

from commands.errors import Conflict
from schemas.commands import Command
from schemas.envelope import DomainEvent
from schemas.publishing import (
    ConnectYouTube,
    DisconnectYouTube,
    PlaylistCreated,
    RecordPlaylist,
    YouTubeConnected,
    YouTubeDisconnected,
)

YOUTUBE_NAMESPACE = UUID("3b8e51d2-1f47-4c0a-9e6d-7a2c5f0b8d31")


def youtube_account_id(account_id: UUID | str) -> UUID:
    """The connection's aggregate id derives from the studio account, so each account has one."""
    return uuid5(YOUTUBE_NAMESPACE, str(account_id))


@dataclass(frozen=True)
class YouTubeAccount:
    connected: bool = False
    channel_id: str = ""
    title: str = ""
    playlists: frozenset[str] = frozenset()


def evolve(state: YouTubeAccount, event: DomainEvent) -> YouTubeAccount:
    match event:
        case YouTubeConnected():
            return replace(state, connected=True, channel_id=event.channel_id, title=event.title)
        case YouTubeDisconnected():
            return replace(state, connected=False)
        case PlaylistCreated():
            return replace(state, playlists=state.playlists | {event.playlist_id})
    return state


def aggregate_id(command: Command) -> UUID:
    assert isinstance(command, ConnectYouTube | DisconnectYouTube | RecordPlaylist)
    return youtube_account_id(command.account_id)


def decide(command: Command, state: YouTubeAccount) -> list[DomainEvent]:
    if isinstance(command, ConnectYouTube):
        if state.connected and state.channel_id == command.channel_id and state.title == command.title:
            return []
        return [
            YouTubeConnected(
                account_id=str(command.account_id),
                channel_id=command.channel_id,
                title=command.title,
                scopes=command.scopes,
            )
        ]
    if isinstance(command, DisconnectYouTube):
        if not state.connected:
            return []
        return [YouTubeDisconnected(account_id=str(command.account_id), channel_id=state.channel_id)]
    if isinstance(command, RecordPlaylist):
        if not state.connected:
            raise Conflict("No YouTube channel is connected. Connect one (GET /api/youtube/connect) first.")
        if command.playlist_id in state.playlists:
            return []
        return [
            PlaylistCreated(
                account_id=str(command.account_id),
                playlist_id=command.playlist_id,
                title=command.title,
                theme=command.theme,
            )
        ]
    raise TypeError(f"youtube_account cannot handle {type(command).__name__}")
