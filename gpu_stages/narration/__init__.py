"""Narration the creator uploads (WAV/MP3): transcribed with faster-whisper into timed script lines."""
