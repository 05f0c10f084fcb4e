"""Render stage: shot planning, animation, compositing and H.264/AAC encoding of the film."""
