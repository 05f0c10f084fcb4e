"""The drawn cast: every attire renders distinctly, mouths open by viseme, identity is stable."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PIL import Image

from gpu_stages.cast.attire import ATTIRES
from gpu_stages.cast.draw import DrawnCharacter, UnknownAttire, draw_character
from gpu_stages.cast.figure import figure_for
from gpu_stages.cast.hair import HAIR_STYLES
from gpu_stages.cast.mouths import VISEMES
from schemas.media import CharacterLook

HEIGHT = 240  # small sprites keep the suite fast; proportions are resolution independent


def _look(**changes: object) -> CharacterLook:
    base = CharacterLook(
        character_id="asha", skin_tone="#b07850", hair="short", attire="shirt", attire_color="#2e7d32"
    )
    return base.model_copy(update=changes)


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.int16)


def _body_area(drawn: DrawnCharacter) -> tuple[slice, slice]:
    """From the shoulders to the feet, full width: where garments are."""
    fig = figure_for("adult", "female")
    top = round(fig.shoulder_y / 100 * drawn.size[1])
    return slice(top, drawn.size[1]), slice(0, drawn.size[0])


@pytest.fixture(scope="module")
def attire_drawings() -> dict[str, DrawnCharacter]:
    return {name: draw_character(_look(attire=name), HEIGHT, 2) for name in ATTIRES}


def test_every_attire_renders_a_distinct_body(attire_drawings: dict[str, DrawnCharacter]) -> None:
    names = sorted(attire_drawings)
    area = _body_area(attire_drawings[names[0]])
    closest = 255.0
    for i, a in enumerate(names):
        pa = _pixels(attire_drawings[a].bodies["neutral"])[area]
        assert (pa[..., 3] > 0).mean() > 0.15, f"{a} left the body area almost empty"
        for b in names[i + 1 :]:
            pb = _pixels(attire_drawings[b].bodies["neutral"])[area]
            diff = float(np.abs(pa - pb).mean())
            closest = min(closest, diff)
            assert diff > 4.0, f"{a} and {b} look almost the same in the body area (mean diff {diff:.2f})"
    print(f"closest pair of attires differs by {closest:.1f} grey levels on average")


def test_every_hair_style_changes_the_head() -> None:
    fig = figure_for("adult", "female")
    head = slice(0, round((fig.chin_y + 4) / 100 * HEIGHT))
    heads = {
        s: _pixels(draw_character(_look(hair=s), HEIGHT, 2).bodies["neutral"])[head] for s in HAIR_STYLES
    }
    for i, a in enumerate(HAIR_STYLES):
        for b in HAIR_STYLES[i + 1 :]:
            assert np.abs(heads[a] - heads[b]).mean() > 2.0, f"hair {a} and {b} look the same"


def _dark_mask(layer: Image.Image) -> np.ndarray:
    px = np.asarray(layer.convert("RGBA"), dtype=np.float32)
    luma = 0.299 * px[..., 0] + 0.587 * px[..., 1] + 0.114 * px[..., 2]
    return (px[..., 3] > 128) & (luma < 90)


def _dark_pixels(layer: Image.Image) -> int:
    return int(_dark_mask(layer).sum())


def _opening_rows(layer: Image.Image) -> int:
    """How many pixel rows the dark part of the mouth spans: its opening height."""
    rows = np.flatnonzero(_dark_mask(layer).any(axis=1))
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


def test_mouths_differ_by_viseme_and_open_is_darker_than_closed() -> None:
    drawn = draw_character(_look(), 600, 3)
    assert set(VISEMES) <= set(drawn.mouths) and len(drawn.mouths) >= 7
    layers = {v: _pixels(drawn.mouths[v]) for v in VISEMES}
    for i, a in enumerate(VISEMES):
        for b in VISEMES[i + 1 :]:
            assert np.abs(layers[a] - layers[b]).sum() > 0, f"mouths {a} and {b} are identical"
    dark = {v: _dark_pixels(drawn.mouths[v]) for v in VISEMES}
    opening = {v: _opening_rows(drawn.mouths[v]) for v in VISEMES}
    print("dark pixels per viseme:", dark, "opening rows:", opening)
    assert dark["closed"] < dark["open"]
    assert opening["closed"] * 3 < opening["open"]
    assert dark["narrow"] < dark["open"]
    assert dark["rest"] < dark["wide"]


def test_mouth_layers_sit_on_the_face() -> None:
    drawn = draw_character(_look(), HEIGHT, 2)
    ax, ay = drawn.mouth_anchor
    body = np.asarray(drawn.bodies["neutral"])
    skin = np.array([0xB0, 0x78, 0x50])
    # Just below the anchor is the chin: skin, not background or clothes.
    assert body[ay + 2, ax, 3] == 255
    assert np.abs(body[ay + 2, ax, :3].astype(int) - skin).max() < 40


def test_the_same_look_draws_pixel_identical_sprites() -> None:
    first, second = (
        draw_character(_look(attire="sari"), HEIGHT, 2),
        draw_character(_look(attire="sari"), HEIGHT, 2),
    )
    for name in first.bodies:
        assert first.bodies[name].tobytes() == second.bodies[name].tobytes()
    for name in first.mouths:
        assert first.mouths[name].tobytes() == second.mouths[name].tobytes()
    assert first.blink.tobytes() == second.blink.tobytes()
    assert first.mouth_anchor == second.mouth_anchor


def test_expressions_change_only_the_face() -> None:
    drawn = draw_character(_look(), HEIGHT, 2)
    fig = figure_for("adult", "female")
    face_bottom = round(fig.chin_y / 100 * HEIGHT)
    neutral = _pixels(drawn.bodies["neutral"])
    for name in ("happy", "sad", "angry", "surprised"):
        other = _pixels(drawn.bodies[name])
        assert np.abs(other[:face_bottom] - neutral[:face_bottom]).sum() > 500, f"{name} looks neutral"
        assert np.array_equal(other[face_bottom + 5 :], neutral[face_bottom + 5 :]), (
            f"{name} changed the body"
        )


def test_blink_layer_covers_the_open_eyes() -> None:
    drawn = draw_character(_look(), HEIGHT, 2)
    fig = figure_for("adult", "female")
    scale = HEIGHT / 100
    for side in (-1, 1):
        x, y = round((fig.head_cx + side * fig.eye_dx) * scale), round(fig.eye_y * scale)
        body = np.asarray(drawn.bodies["surprised"].convert("RGB"))
        closed = drawn.bodies["surprised"].copy()
        closed.alpha_composite(drawn.blink)
        shut = np.asarray(closed.convert("RGB"))
        # The open eye has white sclera; with the blink layer no white remains around the pupil.
        window = (slice(y - 3, y + 4), slice(x - 3, x + 4))
        assert (body[window].min(axis=2) > 235).any()
        assert not (shut[window].min(axis=2) > 235).any()


def test_children_are_shorter_with_bigger_heads_and_seniors_get_glasses() -> None:
    def top_row(image: Image.Image) -> int:
        alpha = np.asarray(image)[..., 3]
        return int(np.argmax(alpha.max(axis=1) > 0))

    adult = draw_character(_look(), HEIGHT, 2).bodies["neutral"]
    child = draw_character(_look(age="child"), HEIGHT, 2).bodies["neutral"]
    assert top_row(child) > top_row(adult) + HEIGHT * 0.2
    child_fig, adult_fig = figure_for("child", "female"), figure_for("adult", "female")
    child_ratio = child_fig.head_ry / (child_fig.feet_y - child_fig.head_cy + child_fig.head_ry)
    adult_ratio = adult_fig.head_ry / (adult_fig.feet_y - adult_fig.head_cy + adult_fig.head_ry)
    assert child_ratio > adult_ratio * 1.3

    def frame_pixels(age: str) -> int:
        fig = figure_for(age, "female")  # type: ignore[arg-type]
        body = np.asarray(draw_character(_look(age=age), 600, 2).bodies["neutral"].convert("RGB")).astype(int)
        y, x = round(fig.eye_y * 6), round(fig.head_cx * 6)
        band = body[y - 15 : y + 15, x - 40 : x + 40]
        return int((np.abs(band - np.array([70, 60, 58])).max(axis=2) < 20).sum())

    assert frame_pixels("senior") > 5 * max(1, frame_pixels("adult")), "seniors wear glasses"


def test_unknown_attire_is_refused_with_the_known_names() -> None:
    with pytest.raises(UnknownAttire, match="sari"):
        draw_character(_look(attire="spacesuit"), HEIGHT, 2)


def test_drawing_a_full_sprite_set_is_quick() -> None:
    start = time.perf_counter()
    drawn = draw_character(_look(attire="kimono", hair="bun"), 600, 3)
    seconds = time.perf_counter() - start
    print(f"full sprite set (5 bodies, {len(drawn.mouths)} mouths, blink) at 600 px: {seconds:.2f} s")
    assert seconds < 5.0
