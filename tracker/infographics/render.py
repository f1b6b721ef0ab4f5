"""The infographic as a file: the SVG from its template, and PNG and PDF converted from that SVG
by CairoSVG, so all three show exactly the same drawing."""

from __future__ import annotations

import cairosvg
from flask import render_template
from flask_babel import gettext as _

from tracker.downloads import clean_filename
from tracker.infographics.colours import network_colours
from tracker.infographics.data import Infographic
from tracker.infographics.layout import PAGE_SIZES, PageSize, city_names, layout
from tracker.infographics.service import GENERATED_PREFIX
from tracker.pairs.models import Pair

__all__ = [
    "FORMATS",
    "PAGE_SIZES",
    "PNG_DPI",
    "describe",
    "file_name",
    "summary",
    "infographic_svg",
    "render",
]

PNG_DPI = 200  # sharp on screen, in slides and in an office print; the PDF is vector
FORMATS = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
}


def summary(data: Infographic) -> list[str]:
    """The infographic's figures in sentences: who, visits, recommendations and the plan."""
    theme = data.pair.theme
    return [
        _(
            "%(mentor)s mentors %(implementing)s on theme %(code)s, %(title)s, with %(expert)s "
            "as the expert partner.",
            **city_names(data),
            code=theme.code,
            title=theme.title,
            expert=theme.expert_organisation.name
            if theme.expert_organisation
            else _("an expert partner still to be confirmed"),
        ),
        _("Visits held: %(held)d of %(total)d.", held=data.visits_held, total=len(data.visits)),
        _(
            "Recommendations: %(recommendations)d, of which %(adopted)d taken up as actions.",
            recommendations=data.recommendations,
            adopted=data.adopted,
        ),
        _(
            "Action plan: %(status)s, %(progress)d%% overall progress.",
            status=data.plan.status.label,
            progress=data.plan.progress,
        )
        if data.plan
        else _("Action plan: not started yet."),
        *_context_sentences(data),
    ]


def _context_sentences(data: Infographic) -> list[str]:
    """The strongest enablers and limits of the latest round, as the drawing lists them."""
    if not data.has_context:
        return []
    nothing = _("nothing named")
    return [
        _(
            "Enabling the change in %(city)s, in its latest self-assessment: %(enablers)s. "
            "Limiting it: %(limits)s.",
            city=data.pair.implementing_city.name,
            enablers="; ".join(point.title for point in data.enablers) or nothing,
            limits="; ".join(point.title for point in data.limits) or nothing,
        )
    ]


def describe(data: Infographic) -> str:
    """The whole infographic in words, for the SVG's <desc>."""
    if not data.has_assessment:
        return " ".join([*summary(data), _("No self-assessment completed yet.")])
    levels = "; ".join(
        f"{factor.position}. {factor.title}: "
        + " → ".join(str(level) for level in (factor.baseline, factor.latest) if level is not None)
        for factor in data.factors
    )
    both = data.baseline is not None and data.latest is not None
    assessment = _(
        "Self-assessment of %(city)s per benchmark factor on a scale from 0 (not in place) to 4 "
        "(fully in place), %(rounds)s: %(levels)s.",
        city=data.pair.implementing_city.name,
        rounds=_("baseline → latest") if both else (data.baseline or data.latest).round.label,
        levels=levels,
    )
    return " ".join([*summary(data), assessment])


def infographic_svg(data: Infographic, page: PageSize) -> str:
    """The infographic as an SVG document the size of the page, in millimetres."""
    return render_template(
        "infographics/infographic.svg",
        layout=layout(data, page, network_colours(data.pair.theme.programme), describe(data)),
    )


def render(data: Infographic, page: PageSize, kind: str) -> bytes:
    """The infographic as `kind` (svg, png or pdf) on the page."""
    svg = infographic_svg(data, page).encode()
    if kind == "png":
        width, height = page.pixels(PNG_DPI)
        return cairosvg.svg2png(
            bytestring=svg, dpi=PNG_DPI, output_width=width, output_height=height
        )
    if kind == "pdf":
        return cairosvg.svg2pdf(bytestring=svg)
    return svg


def file_name(pair: Pair, page: PageSize, kind: str, *, generated: bool = False) -> str:
    """infographic-cities-grow-B-Helsinki-Riga-a4.pdf, with the cities' names as they are
    written (the download sends an ASCII form beside them)."""
    parts = [
        GENERATED_PREFIX if generated else "infographic",
        pair.theme.programme.key,
        pair.theme.code,
        pair.mentor_city.name,
        pair.implementing_city.name,
        page.key,
    ]
    return clean_filename(f"{'-'.join(parts).replace(' ', '-')}.{kind}")
