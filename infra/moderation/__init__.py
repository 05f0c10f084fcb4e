"""Term lists of the moderation check, one `<language>.txt` per language, and their loader."""
