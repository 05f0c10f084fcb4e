"""Western styles: orchestral, piano, pop and ambient, each shaped by the mood's profile."""

from __future__ import annotations

import numpy as np

from gpu_stages.music.arrangement import Arrangement, Clock, CueRequest, control, note
from gpu_stages.music.harmony import ChordSpan, chord_plan, melody
from gpu_stages.music.moods import MOODS, MoodProfile, degree_pitch


def _profile(request: CueRequest) -> MoodProfile:
    return MOODS.get(request.mood, MOODS["neutral"])  # type: ignore[call-overload]


def _voicing(span: ChordSpan, low: int) -> list[int]:
    """Chord tones spread upward from `low` (open voicing keeps strings and pads from muddying)."""
    out: list[int] = []
    for pitch in span.pitches:
        while pitch < low:
            pitch += 12
        out.append(pitch)
    return sorted(out)


def _melody_part(arrangement: Arrangement, program: int, name: str, profile: MoodProfile,
                 plan: list[ChordSpan], clock: Clock, rng: np.random.Generator, *, octave: int = 0,
                 cadence: bool = True, velocity_scale: float = 1.0) -> None:  # fmt: skip
    part = arrangement.part(program, name)
    phrase_length = 4 * clock.beats_per_bar
    for m in melody(profile, plan, rng, octave=octave, cadence=cadence):
        swell = 0.85 + 0.25 * np.sin(np.pi * (m.beat % phrase_length) / phrase_length)  # phrase dynamics
        velocity = profile.velocity * m.accent * swell * velocity_scale
        note(part, m.pitch, clock.at(m.beat), clock.at(m.beats) * 0.96, int(velocity))


def compose_orchestral(arrangement: Arrangement, request: CueRequest) -> None:
    """Strings carry the harmony, horns (or a woodwind in soft moods) the tune, timpani the weight."""
    rng = np.random.default_rng(request.seed)
    profile = _profile(request)
    clock = Clock.fit(request.seconds, profile.bpm, 4)
    plan = chord_plan(profile, clock, cadence=request.cadence)
    strings = arrangement.part(49 if profile.density < 0.4 else 48, "strings")
    basses = arrangement.part(43, "contrabass")
    horns = arrangement.part(60, "horns")
    driving = profile.density > 0.75
    for span in plan:
        start, length = clock.at(span.start_beat), clock.at(span.beats)
        voicing = _voicing(span, profile.tonic - 7)
        if driving:  # angry and excited: repeated eighths drive the strings
            for k in range(int(span.beats * 2)):
                for p in voicing:
                    note(
                        strings,
                        p,
                        start + clock.at(k / 2),
                        clock.at(0.45),
                        profile.velocity - 10 + 12 * (k % 2 == 0),
                    )
        else:
            for p in voicing:
                note(strings, p, start, length * 1.02, profile.velocity - 8)
        note(basses, span.root - 24, start, length, profile.velocity)
        # horns hold the chord's third and fifth an octave down, softly, under the tune
        for p in _voicing(span, profile.tonic - 12)[1:]:
            note(horns, p - 12 if p > profile.tonic else p, start, length, int(profile.velocity * 0.6))
    lead = 60 if profile.density >= 0.45 else {"sad": 68, "calm": 73}.get(request.mood, 71)
    _melody_part(arrangement, lead, "tune", profile, plan, clock, rng, cadence=request.cadence)
    timpani = arrangement.part(47, "timpani")
    if profile.density >= 0.6:
        for span in plan:
            for k in range(0, int(span.beats), 2):
                pitch = profile.tonic - 24 if span.degree in (0, 5) else profile.tonic - 17
                note(
                    timpani, pitch, clock.at(span.start_beat + k), clock.at(1), profile.velocity - 5 * (k > 0)
                )
    if request.cadence and len(plan) >= 2:  # a roll into the final chord
        final = plan[-1].start_beat
        count = 12
        for k in range(count):
            at = clock.at(final) - (count - k) * 0.06
            note(timpani, profile.tonic - 17, at, 0.06, int(40 + 60 * k / count))
        note(timpani, profile.tonic - 24, clock.at(final), clock.at(2), profile.velocity + 10)
    for part in (strings, horns):
        control(part, 91, 70, 0.0)
    arrangement.loudness_offset = profile.loudness_offset


def compose_piano(arrangement: Arrangement, request: CueRequest) -> None:
    """A solo piano piece: a left-hand pattern by mood, a right-hand tune, pedal and rubato."""
    rng = np.random.default_rng(request.seed)
    profile = _profile(request)
    clock = Clock.fit(request.seconds, profile.bpm * (0.85 if profile.density < 0.4 else 1.0), 4)
    plan = chord_plan(profile, clock, cadence=request.cadence, seventh=request.mood in ("calm", "sad"))
    piano = arrangement.part(0, "piano")
    left_velocity = int(profile.velocity * 0.7)
    for i, span in enumerate(plan):
        start = clock.at(span.start_beat)
        root = span.root - 24
        tones = [root] + [p - 12 for p in _voicing(span, profile.tonic - 12)]
        final = request.cadence and i == len(plan) - 1
        if final:  # a rolled final chord
            for k, p in enumerate([root, *tones[1:], *[t + 12 for t in tones[1:]]]):
                note(piano, p, start + 0.05 * k, clock.at(span.beats) - 0.05 * k, left_velocity)
        elif request.mood in ("angry",):
            for k in range(int(span.beats * 2)):
                note(piano, root + 12 * (k % 2), start + clock.at(k / 2), clock.at(0.45), left_velocity + 15)
        elif request.mood in ("happy", "excited", "surprised"):
            pattern = [tones[0], tones[2 % len(tones)], tones[1], tones[2 % len(tones)]]  # Alberti
            for k in range(int(span.beats * 2)):
                note(
                    piano, pattern[k % 4], start + clock.at(k / 2), clock.at(0.5), left_velocity - 5 * (k % 2)
                )
        else:
            arpeggio = [*tones, tones[1] + 12, *tones[1:][::-1]]
            steps = int(span.beats * (2 if profile.density >= 0.3 else 1))
            for k in range(steps):
                duration = clock.at(span.beats / steps)
                note(
                    piano,
                    arpeggio[k % len(arpeggio)],
                    start + k * duration,
                    duration * 1.5,
                    left_velocity - 6 * (k % 2),
                )
        # pedal: lift just before each change, press just after, so harmonies never smear together
        control(piano, 64, 0, max(0.0, start - 0.02))
        control(piano, 64, 100, start + 0.05)
    for m in melody(profile, plan, rng, octave=1, cadence=request.cadence):
        timing = float(rng.normal(0.0, 0.012)) if m.beat > 0 else 0.0  # rubato: a human hand
        velocity = int(profile.velocity * m.accent * (0.92 + 0.16 * rng.random()))
        at = max(0.0, clock.at(m.beat) + timing)
        note(piano, m.pitch, at, clock.at(m.beats) * 0.95, velocity)
        if m.beats >= 2 and profile.density < 0.75:  # long notes gain a third below for warmth
            note(
                piano,
                m.pitch - (4 if profile.scale[2] == 4 else 3),
                at,
                clock.at(m.beats) * 0.95,
                velocity - 20,
            )
    arrangement.loudness_offset = profile.loudness_offset


DRUMS = {  # per mood: (kick beats, snare beats, hat step in beats)
    "happy": ((0, 1, 2, 3), (1, 3), 0.5),
    "excited": ((0, 1, 2, 3), (1, 3), 0.25),
    "neutral": ((0, 2), (1, 3), 0.5),
    "sad": ((0,), (2,), 1.0),
    "calm": ((0,), (2,), 1.0),
    "angry": ((0, 0.75, 1.5, 2, 2.75), (1, 3), 0.25),
    "surprised": ((0, 1.5, 2.5), (1, 3), 0.5),
}


def compose_pop(arrangement: Arrangement, request: CueRequest) -> None:
    """Drums on channel 10, bass, a warm pad, chord stabs and a lead."""
    rng = np.random.default_rng(request.seed)
    profile = _profile(request)
    clock = Clock.fit(request.seconds, max(profile.bpm, 84), 4)
    plan = chord_plan(profile, clock, cadence=request.cadence, seventh=request.mood == "calm")
    drums = arrangement.part(0, "drums", drums=True)
    bass = arrangement.part(38 if profile.density > 0.75 else 33, "bass")
    pad = arrangement.part(89, "pad")
    keys = arrangement.part(4 if profile.density < 0.75 else 81, "chords")
    kicks, snares, hat_step = DRUMS.get(request.mood, DRUMS["neutral"])
    soft = profile.density < 0.4
    for i, span in enumerate(plan):
        start = clock.at(span.start_beat)
        final = request.cadence and i == len(plan) - 1
        for p in _voicing(span, profile.tonic - 5):
            note(pad, p, start, clock.at(span.beats), int(profile.velocity * 0.7))
        if final:
            note(drums, 49, start, 1.5, 100)  # crash on the last chord
            note(drums, 36, start, 0.3, 110)
            note(bass, span.root - 24, start, clock.at(span.beats), profile.velocity)
            continue
        for bar_start in np.arange(0, span.beats, 4):
            at = start + clock.at(bar_start)
            for k in kicks:
                if bar_start + k < span.beats:
                    note(drums, 36, at + clock.at(k), 0.1, 105 if k == 0 else 90)
            for s in snares:
                if bar_start + s < span.beats:
                    note(drums, 37 if soft else 38, at + clock.at(s), 0.1, 70 if soft else 100)
            for h in np.arange(0, min(4, span.beats - bar_start), hat_step):
                note(drums, 42, at + clock.at(h), 0.05, int(55 + 20 * (h % 1 == 0) + 10 * rng.random()))
        bass_step = 0.5 if profile.density > 0.6 else 2.0
        for k in np.arange(0, span.beats, bass_step):
            pitch = span.root - 24 + (7 if profile.density > 0.6 and k % 2 == 1.5 else 0)
            note(bass, pitch, start + clock.at(k), clock.at(bass_step) * 0.9, profile.velocity - 5)
        for k in np.arange(0.5 if profile.density > 0.5 else 0, span.beats, 1.0):  # offbeat stabs
            for p in _voicing(span, profile.tonic):
                note(keys, p, start + clock.at(k), clock.at(0.3), int(profile.velocity * 0.6))
    if request.cadence and len(plan) >= 2:  # a snare fill into the last chord
        last = plan[-1].start_beat
        for k in range(8):
            note(drums, 38, clock.at(last - 2 + k / 4), 0.05, 60 + 6 * k)
    note(drums, 49, 0.0, 1.5, 90)
    _melody_part(arrangement, 80 if profile.density > 0.5 else 11, "lead", profile, plan, clock, rng,
                 octave=1, cadence=request.cadence, velocity_scale=0.85)  # fmt: skip
    arrangement.loudness_offset = profile.loudness_offset


def compose_ambient(arrangement: Arrangement, request: CueRequest) -> None:
    """Slow, overlapping pad chords that swell and evolve, a low drone and a few bell tones; no drums."""
    rng = np.random.default_rng(request.seed)
    profile = _profile(request)
    clock = Clock.fit(request.seconds, min(profile.bpm, 72), 4)
    plan = chord_plan(profile, clock, cadence=request.cadence, seventh=True, bars_per_chord=2)
    pads = [arrangement.part(89, "warm pad"), arrangement.part(94, "halo pad")]
    drone = arrangement.part(88, "drone")
    bells = arrangement.part(8 if profile.density > 0.4 else 11, "bells")
    for i, span in enumerate(plan):
        start, length = clock.at(span.start_beat), clock.at(span.beats)
        voicing = _voicing(span, profile.tonic - 5)
        if i % 2 == 1 and len(voicing) >= 3:
            second = (degree_pitch(profile, span.degree + 1) - degree_pitch(profile, span.degree)) % 12
            voicing[1] = voicing[0] + second  # sus2 colour: the third gives way to the scale's second
        pad = pads[i % 2]
        for p in voicing:
            note(pad, p, start, length + 1.0, int(profile.velocity * 0.8))  # overlap into the next chord
        for k in range(9):  # each chord swells in and breathes out
            control(pad, 11, 50 + 77 * np.sin(np.pi * k / 8), start + k * length / 8)
        for _ in range(int(rng.integers(0, 3))):
            at = start + float(rng.uniform(0, max(0.1, length - 1)))
            note(bells, int(rng.choice(voicing)) + 12, at, 2.0, int(profile.velocity * 0.6))
    note(drone, profile.tonic - 24, 0.0, request.seconds, int(profile.velocity * 0.7))
    note(drone, profile.tonic - 17, 0.0, request.seconds, int(profile.velocity * 0.5))
    arrangement.loudness_offset = profile.loudness_offset - 1.5
