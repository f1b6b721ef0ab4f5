"""Time the key pages at scale 1 and 10: SQL queries, median and 95th percentile, and the ratio
to the floor of the stack (a signed-in page with the full layout and one trivial query).

    python -m bench.pages                 # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/postgres python -m bench.pages
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from bench.common import QueryCount, backend, bench_app, ensure_data, measure
from tracker.auth.models import User
from tracker.auth.sessions import start_session
from tracker.extensions import db
from tracker.pairs.models import Pair

FLOOR = ("floor (about page)", "coordinator", "/about")
PAGES = [
    # (name, who, url); {pair} is the first pair, whose plan has 100 actions, {theme} its
    # theme (as programme key and theme code; {theme_id} its id) and {city} its implementing city
    FLOOR,
    ("coordinator dashboard", "coordinator", "/?programme=programme-1"),
    ("city dashboard", "city", "/"),
    ("expert dashboard", "expert", "/"),
    ("pair page", "coordinator", "/pairs/{pair}"),
    ("plan page (100 actions)", "city", "/pairs/{pair}/plan"),
    ("visits list", "coordinator", "/visits/"),
    ("deliverables timeline", "coordinator", "/programmes/programme-1/deliverables"),
    ("notification centre", "coordinator", "/notifications/"),
    ("plan export, XLSX (100 actions)", "city", "/pairs/{pair}/plan/export.xlsx"),
    ("plan export, CSV (100 actions)", "city", "/pairs/{pair}/plan/export.csv"),
    ("infographic (SVG)", "coordinator", "/pairs/{pair}/infographic.svg"),
    ("benchmark across cities", "coordinator", "/catalogue/{theme}/across"),
    ("across cities, XLSX", "coordinator", "/catalogue/{theme}/across.xlsx"),
    ("mentor suggestions", "coordinator", "/catalogue/{theme}/suggestions?city={city}"),
    ("practice library", "city", "/practices"),
    (
        "pair form with suggestions",
        "coordinator",
        "/pairs/new?suggest=1&theme_id={theme_id}&implementing_city_id={city}",
    ),
]


def people(app: Any) -> dict[str, Any]:
    """The users the pages are seen as, and the pair they look at."""
    with app.app_context():
        pair = db.session.execute(sa.select(Pair).order_by(Pair.id).limit(1)).scalar_one()
        city = db.session.execute(
            sa.select(User).where(User.organisation_id == pair.implementing_city_id).limit(1)
        ).scalar_one()
        expert = db.session.execute(
            sa.select(User)
            .where(User.organisation_id == pair.theme.expert_organisation_id)
            .limit(1)
        ).scalar_one()
        coordinator = db.session.execute(
            sa.select(User).where(User.email == "coordinator-1@bench.example")
        ).scalar_one()
        who = {"coordinator": coordinator, "city": city, "expert": expert}
        tokens = {
            role: start_session(user, remember=False, address="127.0.0.1", browser="bench")
            for role, user in who.items()
        }
        db.session.commit()
        places = {
            "pair": pair.id,
            "theme": f"{pair.theme.programme.key}/themes/{pair.theme.code}",
            "theme_id": pair.theme_id,
            "city": pair.implementing_city_id,
        }
        return {"places": places, **tokens}


def signed_in(app: Any, session_id: str) -> Any:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


class Site:
    """The app on one scale's data, with a signed-in client for each role."""

    def __init__(self, scale: int, regenerate: bool) -> None:
        self.url = ensure_data(scale, regenerate)
        self.app = bench_app(self.url)
        self.who = people(self.app)
        self.clients = {
            role: signed_in(self.app, self.who[role]) for role in ("coordinator", "city", "expert")
        }

    def getter(self, role: str, path: str) -> Callable[[], None]:
        client, target = self.clients[role], path.format(**self.who["places"])

        def get() -> None:
            response = client.get(target)
            assert response.status_code == 200, (target, response.status_code)
            response.get_data()
            response.close()

        return get

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


def run_scales(
    scales: list[int], runs: int, regenerate: bool, only: list[str] | None = None
) -> tuple[str, dict[int, dict[str, dict[str, float]]]]:
    """Each page at every scale and the floor page at every scale, in turns: the scales are
    compared in the same moments of the machine, not in two runs minutes apart. Each scale's
    turn starts with an untimed floor request, so the switch between the two apps is not
    counted against the page."""
    sites = {scale: Site(scale, regenerate) for scale in scales}
    by_scale: dict[int, dict[str, dict[str, float]]] = {scale: {} for scale in scales}
    for name, role, path in PAGES:
        if only and name != FLOOR[0] and not any(name.startswith(each) for each in only):
            continue
        calls: list[tuple[str | None, Callable[[], None]]] = []
        for scale, site in sites.items():
            floor = site.getter(FLOOR[1], FLOOR[2])
            calls += [
                (None, floor),
                (f"page {scale}", site.getter(role, path)),
                (f"floor {scale}", floor),
            ]
        timed = measure(calls, runs)
        for scale in scales:
            with QueryCount() as queries:
                dict(calls)[f"page {scale}"]()
            by_scale[scale][name] = {
                "queries": queries.count,
                **timed[f"page {scale}"],
                "floor": timed[f"floor {scale}"]["median"],
            }
    for site in sites.values():
        site.close()
    return backend(sites[scales[0]].url), by_scale


def report(by_scale: dict[int, dict[str, dict[str, float]]], engine: str) -> None:
    scales = sorted(by_scale)
    print(f"\nKey pages on {engine}, {len(by_scale[scales[0]])} pages, median and p95 in ms\n")
    header = f"{'page':<34}" + "".join(
        f"{'S=' + str(s) + ' q':>8}{'median':>9}{'p95':>9}{'x floor':>9}" for s in scales
    )
    if len(scales) == 2:
        # The second ratio divides out how the floor page itself differs between the two scales
        # (timed in the same turns): the growth the page's own data causes.
        header += f"{'S10/S1':>8}{'÷ floor':>9}"
    print(header)
    print("-" * len(header))
    for name in by_scale[scales[0]]:
        line = f"{name:<34}"
        for scale in scales:
            row = by_scale[scale][name]
            line += (
                f"{row['queries']:>8}{row['median']:>9.1f}{row['p95']:>9.1f}"
                f"{row['median'] / row['floor']:>9.1f}"
            )
        if len(scales) == 2:
            small, large = by_scale[scales[0]][name], by_scale[scales[1]][name]
            growth = large["median"] / small["median"]
            floor_drift = large["floor"] / small["floor"]
            line += f"{growth:>8.2f}{growth / floor_drift:>9.2f}"
        print(line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--regenerate", action="store_true", help="build the data sets again")
    parser.add_argument("--only", nargs="+", help="only the pages whose names start so")
    args = parser.parse_args(argv)
    engine, by_scale = run_scales(args.scales, args.runs, args.regenerate, args.only)
    report(by_scale, engine)


if __name__ == "__main__":
    main()
