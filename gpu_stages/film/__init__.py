"""Pieces of the full film pipeline that no single engine owns: the mix and thumbnail stages, per-stage plan views and frame sizing."""
