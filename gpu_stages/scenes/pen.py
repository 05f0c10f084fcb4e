"""A small vector brush over skia: lit, hazed colours and the shapes the scenes are drawn with."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import skia

from gpu_stages.scenes.palette import RGB, Light, mix, rgb

Colour = str | RGB
Point = tuple[float, float]


def _rgb(c: Colour) -> RGB:
    return rgb(c) if isinstance(c, str) else c


class Pen:
    """Draws on one transparent layer; every colour is tinted by the light and hazed by distance."""

    def __init__(self, w: int, h: int, light: Light, haze: float, haze_colour: str, indoor: bool) -> None:
        self.w, self.h = w, h
        self.light = light
        self.haze = haze
        self.haze_colour = rgb(haze_colour)
        self.tint = light.indoor_tint if indoor else light.tint
        self.surface = skia.Surface(w, h)
        self.canvas = self.surface.getCanvas()
        self.canvas.clear(skia.ColorTRANSPARENT)

    # --- colour ---------------------------------------------------------------------------------

    def lit(self, c: Colour, haze: float | None = None) -> RGB:
        """A surface colour under this light, faded towards the sky by distance."""
        r, g, b = _rgb(c)
        t = self.tint
        return mix((r * t[0], g * t[1], b * t[2]), self.haze_colour, self.haze if haze is None else haze)

    def paint(self, c: Colour, alpha: float = 1.0, glow: bool = False, blur: float = 0.0) -> skia.Paint:
        """Paint for a colour; `glow` colours emit light (lamps, lit windows) and skip the tint."""
        r, g, b = _rgb(c) if glow else self.lit(c)
        p = skia.Paint(AntiAlias=True, Color4f=skia.Color4f(r, g, b, alpha))
        if blur > 0:
            p.setMaskFilter(skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, blur))
        return p

    # --- shapes ---------------------------------------------------------------------------------

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        c: Colour,
        alpha: float = 1.0,
        r: float = 0.0,
        glow: bool = False,
    ) -> None:
        rect = skia.Rect.MakeXYWH(x, y, w, h)
        if r > 0:
            self.canvas.drawRoundRect(rect, r, r, self.paint(c, alpha, glow))
        else:
            self.canvas.drawRect(rect, self.paint(c, alpha, glow))

    def poly(self, pts: Sequence[Point], c: Colour, alpha: float = 1.0, glow: bool = False) -> None:
        path = skia.Path()
        path.addPoly([skia.Point(x, y) for x, y in pts], True)
        self.canvas.drawPath(path, self.paint(c, alpha, glow))

    def path(
        self, path: skia.Path, c: Colour, alpha: float = 1.0, glow: bool = False, blur: float = 0.0
    ) -> None:
        self.canvas.drawPath(path, self.paint(c, alpha, glow, blur))

    def circle(
        self,
        x: float,
        y: float,
        r: float,
        c: Colour,
        alpha: float = 1.0,
        glow: bool = False,
        blur: float = 0.0,
    ) -> None:
        self.canvas.drawCircle(x, y, r, self.paint(c, alpha, glow, blur))

    def ellipse(self, x: float, y: float, rx: float, ry: float, c: Colour, alpha: float = 1.0) -> None:
        self.canvas.drawOval(skia.Rect.MakeLTRB(x - rx, y - ry, x + rx, y + ry), self.paint(c, alpha))

    def line(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        width: float,
        c: Colour,
        alpha: float = 1.0,
        glow: bool = False,
    ) -> None:
        p = self.paint(c, alpha, glow)
        p.setStrokeWidth(width)
        p.setStrokeCap(skia.Paint.kRound_Cap)
        p.setStyle(skia.Paint.kStroke_Style)
        self.canvas.drawLine(x0, y0, x1, y1, p)

    def stroke(
        self, path: skia.Path, width: float, c: Colour, alpha: float = 1.0, glow: bool = False
    ) -> None:
        p = self.paint(c, alpha, glow)
        p.setStrokeWidth(width)
        p.setStyle(skia.Paint.kStroke_Style)
        p.setStrokeCap(skia.Paint.kRound_Cap)
        self.canvas.drawPath(path, p)

    def vgradient(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        colours: Sequence[Colour],
        alpha: float = 1.0,
        lit: bool = True,
    ) -> None:
        """A vertical gradient band from the first colour at the top to the last at the bottom."""
        cols = [self.lit(c) if lit else _rgb(c) for c in colours]
        shader = skia.GradientShader.MakeLinear(
            [skia.Point(x, y), skia.Point(x, y + h)],
            [skia.Color4f(r, g, b, alpha).toColor() for r, g, b in cols],
        )
        self.canvas.drawRect(skia.Rect.MakeXYWH(x, y, w, h), skia.Paint(Shader=shader, AntiAlias=True))

    def glow(self, x: float, y: float, r: float, c: Colour, alpha: float = 0.6) -> None:
        """A soft radial halo of emitted light (sun, lamps, windows at night)."""
        cr, cg, cb = _rgb(c)
        shader = skia.GradientShader.MakeRadial(
            skia.Point(x, y),
            r,
            [skia.Color4f(cr, cg, cb, alpha).toColor(), skia.Color4f(cr, cg, cb, 0).toColor()],
        )
        self.canvas.drawCircle(x, y, r, skia.Paint(Shader=shader, AntiAlias=True))

    def shadow(self, x: float, ground_y: float, width: float, height: float = 0.0) -> None:
        """A ground shadow under an object, leaning away from the sun; darker in hard light."""
        a = self.light.shadow_alpha
        if a <= 0:
            return
        lean = self.light.shadow_skew * max(height, width * 0.3)
        path = skia.Path()
        half = width / 2
        depth = max(2.0, width * 0.08)
        path.moveTo(x - half, ground_y)
        path.lineTo(x + half, ground_y)
        path.lineTo(x + half * 0.7 + lean, ground_y + depth)
        path.lineTo(x - half * 0.7 + lean, ground_y + depth)
        path.close()
        self.canvas.drawPath(
            path,
            skia.Paint(
                AntiAlias=True,
                Color4f=skia.Color4f(0.05, 0.04, 0.1, a),
                MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, max(1.0, depth * 0.6)),
            ),
        )

    def cut_rect(self, x: float, y: float, w: float, h: float, r: float = 0.0) -> None:
        """Punch a transparent hole (a window onto the layer behind)."""
        p = skia.Paint(AntiAlias=True, BlendMode=skia.BlendMode.kClear)
        rect = skia.Rect.MakeXYWH(x, y, w, h)
        if r > 0:
            self.canvas.drawRoundRect(rect, r, r, p)
        else:
            self.canvas.drawRect(rect, p)

    def cut_path(self, path: skia.Path) -> None:
        self.canvas.drawPath(path, skia.Paint(AntiAlias=True, BlendMode=skia.BlendMode.kClear))

    def pixels(self) -> np.ndarray:
        """The layer as straight-alpha RGBA uint8, shape (h, w, 4)."""
        img = self.surface.makeImageSnapshot()
        arr: np.ndarray = img.toarray(colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType)
        return arr


def arch_path(x: float, y: float, w: float, h: float, pointed: bool = False) -> skia.Path:
    """A doorway or window arch standing on (x, y + h): round, or pointed for Islamic arches."""
    p = skia.Path()
    r = w / 2
    p.moveTo(x, y + h)
    p.lineTo(x, y + r)
    if pointed:
        p.quadTo(x, y + r * 0.15, x + r, y - r * 0.35)
        p.quadTo(x + w, y + r * 0.15, x + w, y + r)
    else:
        p.arcTo(skia.Rect.MakeXYWH(x, y, w, w), 180, 180, False)
    p.lineTo(x + w, y + h)
    p.close()
    return p
