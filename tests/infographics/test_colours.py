"""The network's colours come from the environment and are checked when the app starts."""

import importlib

import pytest

import config
from tracker.infographics.colours import Colours, contrast, mix, readable


@pytest.fixture(autouse=True)
def restore_config():
    yield
    importlib.reload(config)


def settings(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(config).Config


def test_the_colours_are_read_from_the_environment(monkeypatch):
    loaded = settings(monkeypatch, INFOGRAPHIC_PRIMARY="#003399", INFOGRAPHIC_ACCENT="#FFCC00")
    loaded.check()
    assert (loaded.INFOGRAPHIC_PRIMARY, loaded.INFOGRAPHIC_ACCENT) == ("#003399", "#FFCC00")


@pytest.mark.parametrize("value", ["blue", "#12345", "#1234567", "#gg0000", "#fff", '#000"/>'])
@pytest.mark.parametrize("name", ["INFOGRAPHIC_PRIMARY", "INFOGRAPHIC_HIGHLIGHT"])
def test_a_malformed_colour_stops_the_app_from_starting(monkeypatch, name, value):
    with pytest.raises(RuntimeError, match=name):
        settings(monkeypatch, **{name: value}).check()


def test_production_checks_the_colours_too(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://db/tracker")
    monkeypatch.setenv("INFOGRAPHIC_ACCENT", "teal")
    loaded = importlib.reload(config)
    with pytest.raises(RuntimeError, match="INFOGRAPHIC_ACCENT"):
        loaded.ProductionConfig.check()


def test_text_on_the_primary_colour_stays_readable():
    assert Colours("#1d4e89", "#0f766e", "#e0a526").on_primary == "#ffffff"
    assert Colours("#ffcc00", "#0f766e", "#e0a526").on_primary == "#1f2a37"
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    assert contrast("#000000", "#ffffff") == pytest.approx(21)


@pytest.mark.parametrize(
    ("primary", "highlight"),
    [
        ("#1d4e89", "#e0a526"),
        ("#9fd3f7", "#ffe066"),
        ("#ffcc00", "#fff3b0"),
        ("#4a7ab0", "#e0a526"),
    ],
)
def test_brand_coloured_text_is_adjusted_to_read_at_4_5_to_1(primary, highlight):
    colours = Colours(primary, "#0f766e", highlight)
    assert contrast(colours.highlight_text, colours.primary) >= 4.5
    assert contrast(colours.on_primary, colours.primary) >= 4.5
    for ground in (colours.paper, colours.band, colours.primary_tint):
        assert contrast(colours.primary_text, ground) >= 4.5


def test_a_readable_colour_changes_only_as_much_as_needed():
    assert readable("#1d4e89", "#ffffff") == "#1d4e89"  # already 8.4:1
    assert readable("#e0a526", "#1d4e89") == "#e7b956"  # 3.8:1, lightened a little to 4.6:1
    assert contrast(readable("#ffcc00", "#ffffff"), "#ffffff") == pytest.approx(4.5, abs=0.25)
