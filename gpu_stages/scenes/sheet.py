"""Contact sheet of every setting: `python -m gpu_stages.scenes.sheet OUT.png [--time T] [--culture C]`."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from PIL import Image, ImageDraw

from gpu_stages.scenes.frame import layer_size
from gpu_stages.scenes.render import SETTINGS, flatten, render_backdrop
from schemas.media import Culture, TimeOfDay

CULTURES: tuple[Culture, ...] = ("indian", "western", "middle_eastern", "east_asian", "african")
TIMES: tuple[TimeOfDay, ...] = ("dawn", "day", "dusk", "night")


def contact_sheet(
    cell: tuple[int, int] = (320, 180),
    columns: int = 4,
    times: tuple[TimeOfDay, ...] = TIMES,
    cultures: tuple[Culture, ...] = CULTURES,
) -> Image.Image:
    """A labelled grid with one small frame per setting; time and culture rotate so all are seen."""
    w, h = cell
    rows = (len(SETTINGS) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * w, rows * (h + 16)), (24, 24, 28))
    draw = ImageDraw.Draw(sheet)
    for i, setting in enumerate(SETTINGS):
        tod, culture = times[i % len(times)], cultures[i % len(cultures)]
        picture = flatten(render_backdrop(setting, tod, culture, w, h, seed=i))
        lw, lh = layer_size(w, h)
        frame = picture.crop(((lw - w) // 2, (lh - h) // 2, (lw - w) // 2 + w, (lh - h) // 2 + h))
        x, y = (i % columns) * w, (i // columns) * (h + 16)
        sheet.paste(frame, (x, y))
        draw.text((x + 4, y + h + 2), f"{setting} / {tod} / {culture}", fill=(230, 230, 230))
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--time", choices=TIMES, help="one time of day for every cell")
    parser.add_argument("--culture", choices=CULTURES, help="one culture for every cell")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=180)
    parser.add_argument("--columns", type=int, default=4)
    parser.add_argument("--colours", type=int, default=0, help="quantise to N colours for a small file")
    args = parser.parse_args()
    started = time.perf_counter()
    sheet = contact_sheet(
        (args.width, args.height),
        args.columns,
        (args.time,) if args.time else TIMES,
        (args.culture,) if args.culture else CULTURES,
    )
    if args.colours:
        # the anti-banding noise makes full-colour PNGs large; a palette keeps the sheet small
        palette = sheet.quantize(args.colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        sheet.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).save(args.out, optimize=True)
    else:
        sheet.save(args.out, optimize=True)
    print(f"wrote {args.out} ({len(SETTINGS)} settings) in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
