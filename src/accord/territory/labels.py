"""Map labels placed without collisions: largest places first, four positions tried around each.

Text widths are estimated from the character count (DejaVu Sans averages about 0.6 em a
character, bold about 0.68), which errs on the wide side, so boxes that do not overlap here do not
overlap on the page. A label that fits in none of its positions is left out; its dot stays.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in pixels

CHAR_EM = 0.62
BOLD_CHAR_EM = 0.7


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Return the estimated width in pixels of a line of text at a font size in pixels."""
    return len(text) * size * (BOLD_CHAR_EM if bold else CHAR_EM)


def text_box(x: float, y: float, text: str, size: float, bold: bool = False) -> Box:
    """Return the box of a left-aligned text whose baseline starts at (x, y)."""
    return (x, y - size * 0.8, x + text_width(text, size, bold), y + size * 0.25)


def overlaps(a: Box, b: Box) -> bool:
    """Tell whether two boxes overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class Label:
    """A placed label: its text, baseline start, size and box."""

    text: str
    x: float
    y: float
    size: float
    bold: bool
    box: Box


def place(
    wanted: list[tuple[str, float, float, float, bool, float]],
    frame: Box,
    taken: list[Box] | None = None,
) -> list[Label]:
    """Place labels in order (put the largest place first), each beside its point if it fits.

    ``wanted`` holds (text, x, y, font size, bold, dot radius); ``frame`` is the drawable area and
    ``taken`` boxes already in use (other labels, the legend). Positions tried: right, left,
    above, below the dot.
    """
    used = list(taken or [])
    placed: list[Label] = []
    for text, x, y, size, bold, r in wanted:
        width = text_width(text, size, bold)
        gap = r + 2
        candidates = [
            (x + gap, y + size * 0.3),
            (x - gap - width, y + size * 0.3),
            (x - width / 2, y - gap - size * 0.25),
            (x - width / 2, y + gap + size * 0.8),
        ]
        for cx, cy in candidates:
            box = text_box(cx, cy, text, size, bold)
            inside = (
                frame[0] <= box[0]
                and box[2] <= frame[2]
                and frame[1] <= box[1]
                and box[3] <= frame[3]
            )
            if inside and not any(overlaps(box, other) for other in used):
                used.append(box)
                placed.append(Label(text, cx, cy, size, bold, box))
                break
    return placed
