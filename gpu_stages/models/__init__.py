"""Optional model engines (torch, diffusers, transformers): drop-in replacements for the offline stages.

Install with `pip install -e '.[gpu]'`. Every engine loads weights from a local folder named in its
settings, never from a model hub, and runs on the CPU when no CUDA device is present.
"""
