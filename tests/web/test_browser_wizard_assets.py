"""The wizard's creator assets in the browser: photos, looks, the character library, backdrops, narration, music."""

from __future__ import annotations

import io
import math
import re
import struct
import time
import wave
from typing import Any

import pytest

from tests.web.conftest import LiveStudio, access_token, screenshot, sign_up_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def png(colour: tuple[int, int, int], size: tuple[int, int] = (320, 240)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).ellipse(
        (size[0] // 4, size[1] // 8, 3 * size[0] // 4, 7 * size[1] // 8), fill=(230, 190, 150)
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def wav(seconds: float = 1.5) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(i / 8))) for i in range(int(16000 * seconds)))
        )
    return out.getvalue()


def file(name: str, mime: str, data: bytes) -> dict[str, Any]:
    return {"name": name, "mimeType": mime, "buffer": data}


def cast_member(page: Any, name: str) -> Any:
    return page.locator(f"li.cast-member[data-character='{name}']")


def project_spec(live: LiveStudio, page: Any, project_id: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {access_token(page)}"}
    with live.api() as api:
        deadline = time.monotonic() + 10
        while True:
            found = api.get(f"/api/projects/{project_id}", headers=headers)
            if found.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert found.status_code == 200, found.text
        return dict(found.json()["spec"])


def test_the_wizard_takes_a_photo_a_drawn_look_backdrops_narration_and_a_track_into_the_project(
    page: Any, live: LiveStudio
) -> None:
    sign_up_in_browser(page, live)
    expect(page.get_by_label("Script", exact=True)).to_have_value(re.compile("PRIYA"))
    page.get_by_role("button", name="Next").click()

    priya = cast_member(page, "Priya")
    priya.get_by_label("Look of Priya").select_option("photo")
    photo = priya.get_by_label("Photo of Priya (JPG, PNG or WEBP, up to 10 MB)")
    # What the studio refuses is said in place: a text file named .png (422), a picture over 10 MB (413).
    photo.set_input_files(file("priya.png", "image/png", b"not a picture at all"))
    expect(priya.get_by_role("alert")).to_contain_text("not an image")
    photo.set_input_files(file("huge.png", "image/png", b"\x89PNG" + bytes(11 * 1024 * 1024)))
    expect(priya.get_by_role("alert")).to_contain_text("over 10 MB")
    photo.set_input_files(file("priya.png", "image/png", png((200, 80, 60))))
    expect(priya.get_by_role("status")).to_contain_text("priya.png uploaded")
    expect(priya.get_by_role("progressbar")).to_have_count(0)
    priya.get_by_role("button", name="Save Priya to my characters").click()
    expect(priya.get_by_text("Priya saved to your characters (version 1)")).to_be_visible()

    dadi = cast_member(page, "Dadi")
    dadi.get_by_label("Look of Dadi").select_option("look")
    dadi.get_by_label("Clothes", exact=True).select_option("sari")
    dadi.get_by_label("Age").select_option("senior")

    page.get_by_label("Narration (WAV or MP3, up to 50 MB)").set_input_files(
        file("reading.wav", "audio/wav", wav())
    )
    expect(page.get_by_test_id("narration").get_by_role("status")).to_contain_text("reading.wav uploaded")
    page.get_by_label("Scene 2").set_input_files(file("home.png", "image/png", png((20, 30, 90), (640, 360))))
    expect(page.get_by_test_id("backdrop-2").get_by_role("status")).to_contain_text("home.png uploaded")
    screenshot(page, "wizard-cast-assets")
    page.get_by_role("button", name="Next").click()

    page.get_by_label("Music", exact=True).select_option("upload")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("alert").filter(has_text="Upload your track")).to_be_visible()
    page.get_by_label("Your track (MP3 or WAV, up to 50 MB)").set_input_files(
        file("theme.wav", "audio/wav", wav(2))
    )
    expect(page.get_by_test_id("music-upload").get_by_role("status")).to_contain_text("theme.wav uploaded")
    page.get_by_label("Film it as a podcast").check()
    page.get_by_label("Podcast picture").select_option("alternating")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_test_id("cast-summary")).to_contain_text("Priya: A photo")
    expect(page.get_by_test_id("cast-summary")).to_contain_text("Dadi: My own drawn look")
    page.get_by_role("button", name="Create project and render a draft").click()

    page.wait_for_url(re.compile(r"/projects/[0-9a-f-]{36}$"))
    spec = project_spec(live, page, page.url.rsplit("/", 1)[1])
    assert set(spec["character_images"]) == {"Priya"}
    assert spec["character_looks"]["Dadi"]["attire"] == "sari"
    assert spec["character_looks"]["Dadi"]["age"] == "senior"
    assert set(spec["backdrop_uploads"]) == {"2"}
    assert spec["narration_upload"] and spec["music_upload"]
    assert spec["music"] == "upload"
    assert spec["podcast"] is True and spec["podcast_layout"] == "alternating"


PIXELS = """img => new Promise((resolve) => {
    const read = () => {
        const canvas = document.createElement("canvas");
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        canvas.getContext("2d").drawImage(img, 0, 0);
        resolve(canvas.toDataURL());
    };
    img.complete && img.naturalWidth > 0 ? read() : img.addEventListener("load", read, { once: true });
})"""
"""The picture an <img> shows, as the browser decoded it (a data URL of its pixels)."""


def shown_picture(page: Any, image: Any) -> str:
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=30_000
    )
    return str(image.evaluate(PIXELS))


def test_the_cast_step_draws_every_character_and_redraws_a_look_as_its_clothes_change(
    page: Any, live: LiveStudio
) -> None:
    sign_up_in_browser(page, live)
    script = page.get_by_label("Script", exact=True)
    expect(script).to_have_value(re.compile("PRIYA"))
    with live.api() as api:  # who the script stage finds, and which of them the cast stage draws
        plan = api.post(
            "/api/catalog/script/plan", json={"script": script.input_value(), "format": "fountain"}
        )
    drawn = [c["name"] for c in plan.json()["characters"] if c["look"]]
    assert {"Priya", "Dadi"} <= set(drawn)
    page.get_by_role("button", name="Next").click()

    pictures = {}
    for name in drawn:
        image = cast_member(page, name).get_by_role("img", name=f"How {name} will look")
        expect(image).to_have_attribute("src", re.compile(r"^/api/catalog/look-preview\.png\?"))
        pictures[name] = shown_picture(page, image)
    assert len(set(pictures.values())) == len(drawn), "each character is drawn differently"
    screenshot(page, "wizard-cast")

    priya = cast_member(page, "Priya")
    image = priya.get_by_role("img", name="How Priya will look")
    priya.get_by_label("Look of Priya").select_option("look")
    # Her own look starts from the automatic one, so the picture stays the same until she changes it.
    clothes = priya.get_by_label("Clothes", exact=True)
    automatic = clothes.input_value()
    assert shown_picture(page, image) == pictures["Priya"]
    changed = "kimono" if automatic != "kimono" else "suit"
    clothes.select_option(changed)
    expect(image).to_have_attribute("src", re.compile(f"attire={changed}"))
    redrawn = shown_picture(page, image)
    assert redrawn != pictures["Priya"] and redrawn not in pictures.values()
    screenshot(page, "wizard-cast-redrawn")


def test_a_saved_character_is_cast_again_from_the_library_and_keeps_its_versions(
    page: Any, live: LiveStudio
) -> None:
    sign_up_in_browser(page, live)
    page.get_by_role("button", name="Next").click()
    priya = cast_member(page, "Priya")
    priya.get_by_label("Look of Priya").select_option("look")
    priya.get_by_label("Clothes", exact=True).select_option("kurta")
    priya.get_by_role("button", name="Save Priya to my characters").click()
    expect(priya.get_by_text("Priya saved to your characters (version 1)")).to_be_visible()
    # Her name is in the library now: the next save is a new version of the same character.
    priya.get_by_label("Clothes", exact=True).select_option("dress")
    priya.get_by_role("button", name="Save as a new version of Priya").click()
    expect(priya.get_by_text("Priya saved to your characters (version 2)")).to_be_visible()

    look = priya.get_by_label("Look of Priya")
    expect(look.locator("optgroup option")).to_have_text(["Priya (v2)"])
    look.select_option(label="Priya (v2)")
    preview = priya.get_by_role("img", name="How Priya will look")
    expect(preview).to_have_attribute(
        "src", re.compile(r"/api/characters/[0-9a-f-]{36}/preview\.png\?.*version=2")
    )
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle(), timeout=30_000
    )  # the preview is drawn by the cast code and read with the link token
    version = priya.get_by_label("Version")
    expect(version.locator("option")).to_have_count(2)
    version.select_option(index=0)
    expect(preview).to_have_attribute("src", re.compile("version=1"))
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Create project and render a draft").click()
    page.wait_for_url(re.compile(r"/projects/[0-9a-f-]{36}$"))
    spec = project_spec(live, page, page.url.rsplit("/", 1)[1])
    assert re.fullmatch(r"[0-9a-f-]{36}@1", spec["library_characters"]["Priya"])
    assert spec["character_looks"] == {} and spec["character_images"] == {}
