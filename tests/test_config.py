"""Settings profiles, and the production safety checks."""

import importlib

import pytest

import config


def production(monkeypatch, **env):
    for name in ("SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(config).ProductionConfig


@pytest.fixture(autouse=True)
def restore_config():
    yield
    importlib.reload(config)


def test_production_refuses_the_default_secret_key(monkeypatch):
    settings = production(monkeypatch, DATABASE_URL="postgresql+psycopg://db/tracker")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        settings.check()


def test_production_refuses_a_short_secret_key(monkeypatch):
    settings = production(
        monkeypatch, SECRET_KEY="short", DATABASE_URL="postgresql+psycopg://db/tracker"
    )
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        settings.check()


def test_production_needs_a_database_url(monkeypatch):
    settings = production(monkeypatch, SECRET_KEY="x" * 40)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        settings.check()


def test_production_starts_with_proper_settings(monkeypatch):
    settings = production(
        monkeypatch, SECRET_KEY="x" * 40, DATABASE_URL="postgresql+psycopg://db/tracker"
    )
    settings.check()
    assert settings.SESSION_COOKIE_SECURE is True and settings.HSTS_SECONDS >= 31536000
    assert settings.RATELIMIT_STORAGE_URI.startswith("redis://")  # shared by all workers


def test_the_profile_comes_from_tracker_env(monkeypatch):
    monkeypatch.setenv("TRACKER_ENV", "production")
    assert config.profile_from_environment() is config.ProductionConfig
    monkeypatch.setenv("TRACKER_ENV", "staging")
    with pytest.raises(RuntimeError, match="TRACKER_ENV"):
        config.profile_from_environment()


def test_the_default_language_is_one_the_tracker_speaks(monkeypatch):
    monkeypatch.setenv("DEFAULT_LANGUAGE", "DE")
    importlib.reload(config).Config.check()
    assert config.Config.DEFAULT_LANGUAGE == "de" and config.Config.BABEL_DEFAULT_LOCALE == "de"
    monkeypatch.setenv("DEFAULT_LANGUAGE", "pl")
    with pytest.raises(RuntimeError, match="DEFAULT_LANGUAGE"):
        importlib.reload(config).Config.check()
