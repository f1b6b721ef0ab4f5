"""The network's colours on the infographic, and the tints and text colours derived from them
so that any configured colour stays readable."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Colours:
    """The network's three colours, and the tints and text colours derived from them."""

    primary: str
    accent: str
    highlight: str
    ink: str = "#1f2a37"
    muted: str = "#55606e"
    rule: str = "#cfd7e2"
    paper: str = "#ffffff"

    @property
    def on_primary(self) -> str:
        """White or ink, whichever reads better on the primary colour."""
        return self.paper if contrast(self.primary, self.paper) >= 4.5 else self.ink

    @property
    def primary_tint(self) -> str:
        return mix(self.primary, self.paper, 0.92)

    @property
    def accent_tint(self) -> str:
        return mix(self.accent, self.paper, 0.72)

    @property
    def band(self) -> str:
        return mix(self.primary, self.paper, 0.96)


def network_colours() -> Colours:
    """The colours configured for this network (INFOGRAPHIC_* settings)."""
    config = current_app.config
    return Colours(
        primary=config["INFOGRAPHIC_PRIMARY"].lower(),
        accent=config["INFOGRAPHIC_ACCENT"].lower(),
        highlight=config["INFOGRAPHIC_HIGHLIGHT"].lower(),
    )


def mix(colour: str, other: str, share_of_other: float) -> str:
    """Blend two #rrggbb colours."""
    pairs = zip(_rgb(colour), _rgb(other), strict=True)
    return "#" + "".join(f"{round(a + (b - a) * share_of_other):02x}" for a, b in pairs)


def contrast(one: str, two: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [value / 255 for value in _rgb(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
