"""The cast: persistent drawn 2D characters (or photo-based ones) with expressions and mouth shapes."""
