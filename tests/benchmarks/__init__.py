"""Tests of writing, publishing and comparing benchmark versions."""

import io

import sqlalchemy as sa

from tracker.benchmarks.models import BenchmarkDraft
from tracker.catalogue.models import Programme, Theme

THEME_FILE = """
format: tracker-catalogue/1
programme:
  key: story
  name: Cities at work
themes:
  - code: D
    title: Anti-discrimination on the local job market
    expert_organisation: Ośrodek "Równość" w Łodzi
"""


def upload(client, text: str, name: str = "story.yaml"):
    return client.post(
        "/catalogue/load",
        data={"file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def story_theme(session) -> Theme:
    return session.execute(
        sa.select(Theme).join(Programme).where(Programme.key == "story", Theme.code == "D")
    ).scalar_one()


def draft_version(session, theme) -> int:
    """The draft's version as the editor's forms carry it (0 while there is no draft)."""
    session.expire_all()
    draft = session.execute(
        sa.select(BenchmarkDraft).where(BenchmarkDraft.theme_id == theme.id)
    ).scalar_one_or_none()
    return draft.version_id if draft else 0


def factor_data(key, title, questions, examples=(), version=0, statement=None, **extra):
    """The factor form as a browser sends it: `questions` as (text, kind), `examples` as
    dicts of the example row's fields."""
    data = {
        "key": key,
        "title": title,
        "statement": statement or f"What good looks like for {title.lower()}.",
        "rationale": "",
        "version": str(version),
    }
    for index, (text, kind) in enumerate(questions):
        data[f"questions-{index}-text"] = text
        data[f"questions-{index}-kind"] = kind
    for index, example in enumerate(examples):
        for name, value in example.items():
            data[f"examples-{index}-{name}"] = value
    data.update(extra)
    return data


def base(theme) -> str:
    return f"/catalogue/{theme.programme.key}/themes/{theme.code}"
