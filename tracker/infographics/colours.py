"""The network's colours on the infographic, and the tints and text colours derived from them
so that any configured colour stays readable: text in a brand colour is darkened or lightened
just enough to reach 4.5:1 against its ground (WCAG 1.4.3), whatever the network configured."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from tracker.catalogue.models import Programme


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
        """White on the primary colour where it reads at 4.5:1, else ink (darkened if need be)."""
        if contrast(self.primary, self.paper) >= READABLE:
            return self.paper
        return readable(self.ink, self.primary)

    @property
    def primary_text(self) -> str:
        """Headings and key figures in the primary colour, readable on the paper, the bands and
        the figures' tint: a light primary is darkened."""
        return readable(self.primary, self.paper, self.band, self.primary_tint)

    @property
    def highlight_text(self) -> str:
        """The header's small capitals in the highlight colour, readable on the primary colour:
        the default gold is lightened a little on the default blue, a light highlight on a light
        primary is darkened."""
        return readable(self.highlight, self.primary)

    @property
    def primary_tint(self) -> str:
        return mix(self.primary, self.paper, 0.92)

    @property
    def accent_tint(self) -> str:
        return mix(self.accent, self.paper, 0.72)

    @property
    def band(self) -> str:
        return mix(self.primary, self.paper, 0.96)


def network_colours(programme: Programme | None = None) -> Colours:
    """The colours set for the programme, each one it leaves empty the network's configured
    one (INFOGRAPHIC_* settings)."""
    config = current_app.config

    def colour(name: str) -> str:
        own = getattr(programme, f"{name}_colour", None)
        return (own or config[f"INFOGRAPHIC_{name.upper()}"]).lower()

    return Colours(
        primary=colour("primary"), accent=colour("accent"), highlight=colour("highlight")
    )


READABLE = 4.5  # WCAG 1.4.3 for text below 18 pt (14 pt bold): most of the infographic's


def readable(colour: str, *grounds: str) -> str:
    """The colour, or the colour nearest to it mixed with black or with white, that reads at
    4.5:1 on every ground; black or white, whichever reads better, if none does."""
    extremes = ("#000000", "#ffffff")
    for step in range(51):
        for extreme in extremes:
            candidate = mix(colour, extreme, step / 50)
            if all(contrast(candidate, ground) >= READABLE for ground in grounds):
                return candidate
    return max(extremes, key=lambda extreme: min(contrast(extreme, g) for g in grounds))


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
