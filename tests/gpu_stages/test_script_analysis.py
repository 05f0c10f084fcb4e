"""Script analysis: language, cast and their hints, emotions, settings, culture and stable line ids."""

from __future__ import annotations

import hashlib

from gpu_stages.script import SETTINGS, detect_language, plan_script
from gpu_stages.script.analysis import character_slug, split_long_text


def test_hindi_script_is_detected_and_read_as_indian() -> None:
    text = (
        "सुबह का समय था। गाँव के मंदिर में घंटियाँ बज रही थीं।\n\n"
        "प्रिया: दादी, क्या हम आज नदी पर चलेंगे?\n\n"
        "दादी: हाँ बेटा, पहले पूजा कर लें।"
    )
    assert detect_language(text) == "hi"
    plan = plan_script(text, "text", title="सुबह")
    assert plan.language == "hi"
    assert plan.scenes[0].lines[0].speaker == "narrator"
    speakers = [c for c in plan.characters if not c.is_narrator]
    assert [c.name for c in speakers] == ["प्रिया", "दादी"]
    assert all(c.id.startswith("c_") for c in speakers)  # non-Latin names get hashed, stable ids
    assert plan.scenes[0].culture == "indian"


def test_arabic_script_is_detected_and_read_as_middle_eastern() -> None:
    text = "كان الصباح هادئاً في السوق القديم.\n\nليلى: صباح الخير يا جدتي!\n\nالجدة: صباح النور يا حبيبتي."  # noqa: RUF001
    assert detect_language(text) == "ar"
    plan = plan_script(text, "text", title="السوق")
    assert plan.language == "ar"
    assert len([c for c in plan.characters if not c.is_narrator]) == 2
    assert plan.scenes[0].culture == "middle_eastern"


def test_latin_and_cjk_languages_are_told_apart() -> None:
    assert detect_language("Hola, ¿cómo estás? Hoy vamos al mercado con mi abuela.") == "es"
    assert detect_language("Bonjour, comment allez-vous ? Nous allons au marché ce matin.") == "fr"
    assert detect_language("Guten Morgen! Heute gehen wir mit der Großmutter zum Markt.") == "de"
    assert detect_language("今日はとても良い天気ですね。公園に行きましょう。") == "ja"
    assert detect_language("今天天气很好。我们去公园散步吧。") == "zh"


def test_sanskrit_verse_inside_english_keeps_english() -> None:
    text = (
        "Every morning the family gathers to pray together before breakfast.\n\n"
        "ॐ सर्वे भवन्तु सुखिनः\n\n"
        "May all beings be happy, and may everyone be free from illness and sorrow."
    )
    assert detect_language(text) == "en"


def test_explicit_language_and_culture_override_detection() -> None:
    text = "Priya lit the diya at the temple.\n\nPRIYA: Happy Diwali!"
    plan = plan_script(text, "text", title="x", language="es", culture="western")
    assert plan.language == "es"
    assert {scene.culture for scene in plan.scenes} == {"western"}
    assert plan_script(text, "text", title="x").scenes[0].culture == "indian"


def test_character_hints_from_titles_pronouns_and_ages() -> None:
    text = (
        "Scene 1: The garden\n\n"
        "Little Kiran runs across the lawn. She is laughing.\n\n"
        "Alex, an old fisherman, waves from the gate. He smiles.\n\n"
        "KIRAN: Grandma, look!\n\n"
        "GRANDMA: I see, darling.\n\n"
        "MR. SHARMA: Good evening, everyone.\n\n"
        "ALEX: Hello there.\n\n"
        "JORDAN: Hi."
    )
    plan = plan_script(text, "text", title="x")
    cast = {c.id: (c.age, c.gender) for c in plan.characters}
    assert cast["kiran"] == ("child", "female")
    assert cast["grandma"] == ("senior", "female")
    assert cast["mr_sharma"][1] == "male"
    assert cast["alex"] == ("senior", "male")
    assert cast["jordan"] == ("adult", "female")  # unknown: balances the cast (2 female, 2 male so far)


def test_speaker_names_in_any_case_map_to_one_character() -> None:
    plan = plan_script("PRIYA: One.\n\nPriya: Two.\n\nNARRATOR: Three.", "text", title="x")
    assert [line.speaker for line in plan.scenes[0].lines] == ["priya", "priya", "narrator"]
    assert [c.id for c in plan.characters] == ["priya", "narrator"]
    assert plan.characters[1].is_narrator
    assert character_slug("Mr. Sharma-Khan") == "mr_sharma_khan"
    assert character_slug("Zoë") == "zoe"


def test_line_ids_are_sha1_of_scene_speaker_and_text() -> None:
    text = "# A\n\nRAVI: Hello there.\n\n# B\n\nRAVI: Hello there."
    first = plan_script(text, "markdown", title="x")
    again = plan_script(text, "markdown", title="x")
    ids = [line.id for scene in first.scenes for line in scene.lines]
    assert ids == [line.id for scene in again.scenes for line in scene.lines]
    assert ids[0] != ids[1]  # same words in another scene are another line
    assert ids[0] == hashlib.sha1(b"0|ravi|Hello there.").hexdigest()[:12]
    assert all(len(i) == 12 and int(i, 16) >= 0 for i in ids)


def test_emotion_comes_from_parenthetical_then_wording() -> None:
    text = (
        "ANA (angrily): Give me that.\n\n"
        "ANA: (whispering) Be quiet now.\n\n"
        "BEN: How dare you say that to me.\n\n"
        "BEN: What?! You did it again?\n\n"
        "ANA: I miss you so much. I feel so alone.\n\n"
        "BEN: Thank you, this is a wonderful, beautiful gift.\n\n"
        "ANA: We won the match!\n\n"
        "BEN: The train leaves at nine."
    )
    plan = plan_script(text, "text", title="x")
    assert [line.emotion for line in plan.scenes[0].lines] == [
        "angry", "calm", "angry", "surprised", "sad", "happy", "excited", "neutral"
    ]  # fmt: skip


def test_scene_settings_time_and_interior_come_from_headings_and_words() -> None:
    text = (
        "## EXT. BEACH - SUNSET\n\nThe waves roll in.\n\n"
        "## The classroom\n\nThe teacher writes on the blackboard.\n\n"
        "## Later\n\nThe students keep reading.\n\n"
        "## Night in the desert\n\nThe moon rises over the dunes. A camel rests.\n\n"
        "## INT. PODCAST STUDIO\n\nHOST: Welcome to the show."
    )
    plan = plan_script(text, "markdown", title="x")
    got = [(s.setting, s.interior, s.time_of_day) for s in plan.scenes]
    assert got[0] == ("beach", False, "dusk")
    assert got[1][:2] == ("classroom", True)
    assert got[2][0] == "classroom"  # no place named: stays where the last scene was
    assert got[3] == ("desert", False, "night")
    assert got[4][:2] == ("podcast_studio", True)
    assert all(s.setting in SETTINGS for s in plan.scenes)
    assert len(SETTINGS) == 17


def test_culture_is_inferred_per_scene_with_script_fallback() -> None:
    text = (
        "## Cairo\n\nAhmed walks through the souk to the mosque.\n\n"
        "## Tokyo\n\nYuki bows to her sensei at the dojo in Kyoto.\n\n"
        "## Lagos\n\nKofi and Amara share jollof at the market in Lagos.\n\n"
        "## The end\n\nAhmed smiles."
    )
    plan = plan_script(text, "markdown", title="x")
    assert [s.culture for s in plan.scenes] == ["middle_eastern", "east_asian", "african", "middle_eastern"]


def test_mood_follows_the_scene_lines() -> None:
    text = "## Fight\n\nA (angrily): Stop!\n\nB (shouting): No!\n\n## Temple\n\nThe temple is quiet."
    plan = plan_script(text, "markdown", title="x")
    assert [s.mood for s in plan.scenes] == ["angry", "calm"]


def test_long_narration_is_split_at_sentences() -> None:
    sentence = "The river carried the little boat past the fields and the sleeping village. "
    chunks = split_long_text(sentence * 9)  # 117 words
    assert len(chunks) == 3
    assert all(chunk.endswith(".") and len(chunk.split()) <= 40 for chunk in chunks)
    assert " ".join(chunks) == (sentence * 9).strip()
