"""Body proportions by age and gender, in figure units (the sprite is 50 units wide, 100 tall)."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.media import AgeGroup, Gender

WIDTH_UNITS = 50.0
CENTRE_X = WIDTH_UNITS / 2
FEET_Y = 98.0


@dataclass(frozen=True)
class Figure:
    """Landmarks of one body: head ellipse, then body heights and half-widths."""

    age: AgeGroup
    gender: Gender
    head_cx: float
    head_cy: float
    head_rx: float
    head_ry: float
    chin_y: float
    neck_half: float
    shoulder_y: float
    shoulder_half: float
    chest_y: float
    waist_y: float
    waist_half: float
    hip_y: float
    hip_half: float
    crotch_y: float
    knee_y: float
    ankle_y: float
    feet_y: float
    arm_width: float
    hand_r: float
    wrist_y: float

    @property
    def eye_y(self) -> float:
        return self.head_cy + (0.2 if self.age == "child" else 0.12) * self.head_ry

    @property
    def eye_dx(self) -> float:
        return 0.42 * self.head_rx

    @property
    def eye_rx(self) -> float:
        return (0.19 if self.age == "child" else 0.16) * self.head_rx

    @property
    def eye_ry(self) -> float:
        return (0.24 if self.age == "child" else 0.19) * self.head_rx

    @property
    def brow_y(self) -> float:
        return self.eye_y - 0.33 * self.head_ry

    @property
    def nose_y(self) -> float:
        return self.head_cy + (0.47 if self.age == "child" else 0.43) * self.head_ry

    @property
    def mouth_y(self) -> float:
        return self.head_cy + (0.68 if self.age == "child" else 0.66) * self.head_ry

    @property
    def mouth_width(self) -> float:
        return 0.56 * self.head_rx


def figure_for(age: AgeGroup, gender: Gender) -> Figure:
    """Flat-illustration proportions: big heads, children short with the biggest heads."""
    male = gender == "male"
    if age == "child":
        head_rx, head_ry, head_top, body_width = 8.2, 8.8, 31.0, 0.74
    elif age == "senior":
        head_rx, head_ry, head_top, body_width = 7.4, 9.2, 6.0, 1.03
    else:
        head_rx, head_ry, head_top, body_width = 7.2, 9.2, 3.5, 0.94 if age == "young_adult" else 1.0
    head_cy = head_top + head_ry
    # The jaw is tapered, so the visible chin sits a little above the ellipse bottom.
    chin_y = head_cy + head_ry * 0.97
    length = FEET_Y - chin_y
    shoulder = (10.6 if male else 9.0) * body_width
    return Figure(
        age=age,
        gender=gender,
        head_cx=CENTRE_X,
        head_cy=head_cy,
        head_rx=head_rx,
        head_ry=head_ry,
        chin_y=chin_y,
        neck_half=(2.5 if male else 2.1) * body_width,
        shoulder_y=chin_y + 0.075 * length,
        shoulder_half=shoulder,
        chest_y=chin_y + 0.2 * length,
        waist_y=chin_y + 0.37 * length,
        waist_half=(8.2 if male else 6.6) * body_width,
        hip_y=chin_y + 0.46 * length,
        hip_half=(8.4 if male else 8.6) * body_width,
        crotch_y=chin_y + 0.5 * length,
        knee_y=chin_y + 0.73 * length,
        ankle_y=chin_y + 0.955 * length,
        feet_y=FEET_Y,
        arm_width=(3.6 if male else 3.0) * body_width,
        hand_r=(1.9 if male else 1.65) * body_width,
        wrist_y=chin_y + 0.47 * length,
    )
