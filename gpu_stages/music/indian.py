"""Indian styles: raga (alap then gat over tanpura and tabla), devotional bhajan, and recitation bed."""

from __future__ import annotations

import math

import numpy as np
import pretty_midi

from gpu_stages.music.arrangement import Arrangement, CueRequest, control, midi_hz, note, pan
from gpu_stages.music.indian_percussion import TAALS, TablaTrack, bell, manjira, play_taal
from gpu_stages.music.ragas import RagaPhraser, Swara, choose_raga
from gpu_stages.music.tanpura import tanpura_drone

SA = 61
"""Sa at C#4: the common pitch for bansuri, shehnai and a sitar's main string."""
BEND_RANGE = 5
GM_PROGRAM = {"sitar": 104, "shehnai": 111, "flute": 73}
MATRAS_PER_MINUTE = {
    "calm": 72,
    "sad": 64,
    "neutral": 92,
    "happy": 108,
    "surprised": 100,
    "excited": 148,
    "angry": 160,
}
TAAL_BY_MOOD = {
    "calm": "rupak", "sad": "dadra", "neutral": "teentaal", "happy": "keherwa",
    "surprised": "keherwa", "excited": "teentaal", "angry": "teentaal",
}  # fmt: skip
VELOCITY = {"calm": 62, "sad": 58, "neutral": 78, "happy": 88, "surprised": 84, "excited": 100, "angry": 108}
LOUDNESS = {
    "calm": -2.5,
    "sad": -3.0,
    "neutral": 0.0,
    "happy": 1.0,
    "surprised": 0.5,
    "excited": 2.0,
    "angry": 2.0,
}


def raga_instrument(request: CueRequest) -> str:
    """Flute for calm and sad, shehnai for auspicious mornings, otherwise sitar."""
    if request.raga_instrument in GM_PROGRAM:
        return request.raga_instrument
    if request.mood in ("calm", "sad"):
        return "flute"
    if request.time_of_day == "dawn":
        return "shehnai"
    return "sitar"


def write_swaras(inst: pretty_midi.Instrument, swaras: list[Swara], sa: int = SA) -> None:
    """Notes with meend (a bend gliding in from the previous swara) and andolan on komal notes."""
    for s in swaras:
        note(inst, sa + s.offset, s.start, s.duration, s.velocity)
        bends: list[tuple[float, float]] = [(s.start, 0.0)]
        if s.glide_from is not None and 0 < abs(s.glide_from - s.offset) <= BEND_RANGE:
            glide = min(0.4 * s.duration, 0.35)
            for k in range(9):
                fraction = k / 8
                shape = 0.5 + 0.5 * math.cos(math.pi * fraction)  # eases out of the previous swara
                bends.append((s.start + fraction * glide, (s.glide_from - s.offset) * shape))
            bends[0] = (s.start, float(s.glide_from - s.offset))
        if s.andolan and s.duration > 1.0:
            # andolan: a slow swing a little below a komal swara
            for k in range(int(s.duration / 0.1)):
                t = s.start + 0.3 + k * 0.1
                if t < s.start + s.duration - 0.05:
                    bends.append((t, -0.3 * (0.5 - 0.5 * math.cos(2 * math.pi * k * 0.1 / 0.9))))
        for time, semitones in bends:
            value = int(np.clip(semitones / BEND_RANGE * 8191, -8192, 8191))
            inst.pitch_bends.append(pretty_midi.PitchBend(value, float(time)))


def raga_melody(phraser: RagaPhraser, rng: np.random.Generator, alap_end: float, gat_start: float,
                final_sam: float, beat: float, seconds: float, velocity: int) -> list[Swara]:  # fmt: skip
    """Alap (free, slow, gliding) until the tabla enters, then gat phrases on the beat, ending on Sa."""
    swaras: list[Swara] = []
    previous = 0

    def add(start: float, duration: float, offset: int, vel: float, glide_chance: float) -> None:
        nonlocal previous
        komal = offset % 12 in (1, 3, 8, 10)
        glide = previous if rng.random() < glide_chance and offset != previous else None
        swaras.append(Swara(start, duration, offset, int(vel), glide, andolan=komal and rng.random() < 0.5))
        previous = offset

    time = 0.4
    phraser.position = 0
    while time < alap_end - 2.0:  # alap: each phrase rises or falls to a resting swara and dwells there
        notes = phraser.phrase(max_notes=5)
        for i, offset in enumerate(notes):
            last = i == len(notes) - 1
            duration = float(rng.uniform(1.6, 2.6) if last else rng.uniform(0.45, 1.1))
            duration = min(duration, alap_end - time)
            if duration <= 0.2:
                break
            add(time, duration, offset, velocity * (0.8 + 0.15 * rng.random()), 0.6)
            time += duration
        time += float(rng.uniform(0.2, 0.5))
    cells = (
        ([1.0], [0.5, 0.5], [1.5, 0.5], [0.5, 0.5, 1.0])
        if beat > 0.5
        else ([1.0], [0.5, 0.5], [0.25] * 4, [0.5, 0.25, 0.25])
    )
    time = gat_start
    end_of_gat = final_sam - 4 * beat
    while time < end_of_gat - beat:
        notes = phraser.pakad() if rng.random() < 0.25 else phraser.phrase(max_notes=8)
        for i, offset in enumerate(notes):
            last = i == len(notes) - 1
            cell = [2.0] if last else list(cells[int(rng.integers(len(cells)))])
            step = cell[0] * beat
            if time + step > end_of_gat:
                break
            accent = 1.1 if abs((time - gat_start) / beat - round((time - gat_start) / beat)) < 1e-6 else 0.92
            add(time, step * 0.95, offset, velocity * accent * (0.9 + 0.1 * rng.random()), 0.25)
            time += step
    # the closing phrase descends to Sa and lands on the final sam with the tabla
    closing = phraser.phrase(target=0, max_notes=6)
    if closing and closing[-1] == 0:
        closing = closing[:-1]
    available = max(0, round((final_sam - time) / (beat / 2)))
    closing = closing[-available:] if available else []
    step = (final_sam - time) / max(1, len(closing)) if closing else 0.0
    for offset in closing:
        add(time, step * 0.95, offset, velocity * 0.95, 0.3)
        time += step
    add(final_sam, seconds - final_sam, 0, velocity * 1.05, 0.4)
    return swaras


def compose_raga(arrangement: Arrangement, request: CueRequest) -> None:
    """A raga cue: melody on sitar, shehnai or flute over a tanpura drone, with tabla in a taal."""
    rng = np.random.default_rng(request.seed)
    raga = choose_raga(request.mood, request.time_of_day, request.seed)  # type: ignore[arg-type]
    seconds = request.seconds
    beat = 60.0 / MATRAS_PER_MINUTE.get(request.mood, 92)
    tail = max(1.6, beat)
    final_sam = seconds - tail
    fast = request.mood in ("angry", "excited")
    alap_end = min(0.3 * seconds, 12.0) if seconds >= 14 and not fast else 0.0
    gat_start = final_sam - math.floor(max(0.0, final_sam - alap_end) / beat) * beat
    instrument = raga_instrument(request)
    part = arrangement.part(GM_PROGRAM[instrument], f"{raga.name} on {instrument}", bend_range=BEND_RANGE)
    control(part, 91, 60, 0.0)  # reverb: a hall, not a dry studio
    phraser = RagaPhraser(raga, rng)
    velocity = VELOCITY.get(request.mood, 80)
    write_swaras(part, raga_melody(phraser, rng, alap_end, gat_start, final_sam, beat, seconds, velocity))
    # the drone and tabla sit well under the melody, as on a concert recording
    arrangement.add_layer(
        0.0, tanpura_drone(midi_hz(SA - 12), seconds, first_string=raga.drone, seed=request.seed) * 0.18
    )
    tabla = TablaTrack(seconds, midi_hz(SA), request.seed)
    taal = TAALS[TAAL_BY_MOOD.get(request.mood, "teentaal")]
    if gat_start < final_sam:
        play_taal(tabla, taal, gat_start, final_sam, beat)
    arrangement.add_layer(0.0, tabla.audio() * 0.22)
    arrangement.loudness_offset = LOUDNESS.get(request.mood, 0.0)
    arrangement.notes.append(f"raga {raga.name}, {taal.name}, {instrument}")


def compose_devotional(arrangement: Arrangement, request: CueRequest) -> None:
    """A bhajan/aarti: harmonium sthayi that repeats, a higher antara, keherwa, manjira and bells."""
    rng = np.random.default_rng(request.seed)
    raga = choose_raga(request.mood, request.time_of_day, request.seed)  # type: ignore[arg-type]
    seconds = request.seconds
    beat = 60.0 / {"calm": 84, "sad": 76, "excited": 126, "angry": 120}.get(request.mood, 100)
    tail = max(1.8, beat)
    final_sam = seconds - tail
    start = final_sam - math.floor(final_sam / beat) * beat
    velocity = VELOCITY.get(request.mood, 80)
    melody = arrangement.part(20, "harmonium")
    drone = arrangement.part(20, "harmonium drone")
    phraser = RagaPhraser(raga, rng, low=-5, high=14)

    def line(register_target: int, beats: int) -> list[tuple[float, int]]:
        phraser.position = register_target
        out: list[tuple[float, int]] = []
        total = 0.0
        while total < beats - 2:
            for offset in phraser.phrase(max_notes=4):
                length = float(rng.choice([0.5, 1.0, 1.0, 2.0]))
                length = min(length, beats - 2 - total)
                if length <= 0:
                    break
                out.append((length, offset))
                total += length
        ending = phraser.phrase(target=register_target) or [phraser.position]  # each line comes home
        out.append((beats - total, ending[-1]))
        return out

    sthayi = line(0, 8)
    antara = line(12, 8)
    form = [sthayi, sthayi, antara, sthayi]
    time = start
    section = 0
    while time < final_sam - 8 * beat + 1e-6:
        for length, offset in form[section % len(form)]:
            note(melody, SA + offset, time, length * beat * 0.97, velocity * (0.9 + 0.1 * rng.random()))
            time += length * beat
        section += 1
    note(melody, SA, time, seconds - time, velocity)  # the line returns home to Sa
    note(drone, SA - 12, 0.0, seconds, int(velocity * 0.55))
    note(drone, SA - 5, 0.0, seconds, int(velocity * 0.45))
    bells = arrangement.part(14, "temple bells")
    for at in (start, final_sam):
        note(bells, SA + 12, at, 3.0, 70)
    tabla = TablaTrack(seconds, midi_hz(SA), request.seed)
    play_taal(tabla, TAALS["keherwa"], start, final_sam, beat, tihai=False)
    arrangement.add_layer(0.0, tabla.audio() * 0.5)
    arrangement.add_layer(
        0.0, manjira(seconds, start, beat, round((final_sam - start) / beat) + 1, request.seed)
    )
    arrangement.add_layer(
        0.0, tanpura_drone(midi_hz(SA - 12), seconds, first_string=raga.drone, seed=request.seed) * 0.5
    )
    arrangement.loudness_offset = LOUDNESS.get(request.mood, 0.0) - 1.0
    arrangement.notes.append(f"bhajan in {raga.name}, keherwa")


def compose_recitation(arrangement: Arrangement, request: CueRequest) -> None:
    """A bed for slokas, mantras and poems: a soft drone, a few bells with long gaps, low level."""
    rng = np.random.default_rng(request.seed)
    seconds = request.seconds
    arrangement.add_layer(0.0, tanpura_drone(midi_hz(SA - 12), seconds, cycle=4.4, seed=request.seed))
    pulse = 60.0 / 54  # a measured, slow pulse the bells fall on
    time = pulse * 2
    while time < seconds - 3.0:
        tone = bell(round(midi_hz(SA + int(rng.choice([12, 7, 12, 0]))), 2))
        gain = 0.12 * (0.8 + 0.2 * rng.random())
        length = min(len(tone), int((seconds - time) * 48000))
        arrangement.add_layer(time, pan(tone[:length] * gain, float(rng.uniform(-0.4, 0.4))))
        time += pulse * int(rng.choice([6, 8, 8, 10, 12]))  # long gaps leave room for the voice
    choir = arrangement.part(52, "soft choir")
    for k, at in enumerate(np.arange(0.0, seconds - 4.0, 12.0)):
        swell = min(8.0, seconds - at)
        note(choir, SA - 12 + (7 if k % 2 else 0), float(at), swell, 34)
        for j in range(9):  # swell in and out so the choir never starts or stops abruptly
            control(choir, 11, 127 * math.sin(math.pi * j / 8), float(at + j * swell / 8))
    arrangement.loudness_offset = -8.0
    arrangement.notes.append("recitation drone")
