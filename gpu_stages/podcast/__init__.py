"""Podcast mode: 2-4 hosts in a studio, paced turn-taking, intro and outro music."""

from gpu_stages.podcast.pacing import (
    INTRO_CUE,
    INTRO_MUSIC_SECONDS,
    INTRO_SECONDS,
    MAX_HOSTS,
    MIN_HOSTS,
    OUTRO_CUE,
    OUTRO_MUSIC_SECONDS,
    OUTRO_SECONDS,
    PodcastRefused,
    hosts,
    looks_like_podcast,
    podcast_plan,
    turn_gap,
)

__all__ = [
    "INTRO_CUE",
    "INTRO_MUSIC_SECONDS",
    "INTRO_SECONDS",
    "MAX_HOSTS",
    "MIN_HOSTS",
    "OUTRO_CUE",
    "OUTRO_MUSIC_SECONDS",
    "OUTRO_SECONDS",
    "PodcastRefused",
    "hosts",
    "looks_like_podcast",
    "podcast_plan",
    "turn_gap",
]
