"""The film's final audio: voices on the timeline, music ducked under them, mastered for streaming."""
