"""Named errors of the cast stage: what was wrong with the user's input, and what to do."""

from __future__ import annotations


class CastRejected(ValueError):
    """An uploaded photo cannot become a character: not an image, too big, or no face in it."""


class FaceDetectorUnavailable(RuntimeError):
    """This machine lacks the face detector (opencv-contrib-python-headless and Debian opencv-data)."""
