"""The mentoring-scheme tracker: a Flask application factory and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from config import BASE_DIR, Config, profile_from_environment


def create_app(
    config: type[Config] | None = None, overrides: Mapping[str, Any] | None = None
) -> Flask:
    """Build the application from a settings class (default: from TRACKER_ENV) and overrides."""
    settings = config or profile_from_environment()
    settings.check()
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.from_object(settings)
    if overrides:
        app.config.update(overrides)

    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_errors(app)
    register_templating(app)
    return app


def register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (all tables known to metadata before use)
    from tracker.auth.session import configure_login
    from tracker.db import configure_postgresql, configure_sqlite
    from tracker.extensions import babel, bootstrap, csrf, db, limiter, mail, migrate
    from tracker.form_messages import use_own_form_messages
    from tracker.forms import refuse_nul_characters
    from tracker.languages import select_locale
    from tracker.security import configure_security
    from tracker.templating import select_timezone
    from tracker.transaction import end_reading

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
            elif engine.dialect.name == "postgresql":
                configure_postgresql(engine)
    app.teardown_appcontext(end_reading)  # after db.init_app: runs before the session's removal
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    use_own_form_messages()
    app.before_request(refuse_nul_characters)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    bootstrap.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    configure_login(app)
    configure_security(app)


def register_blueprints(app: Flask) -> None:
    from tracker.admin.views import bp as admin_bp
    from tracker.assessments.views import bp as assessments_bp
    from tracker.audit.views import bp as audit_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.benchmarks.views import bp as benchmarks_bp
    from tracker.bin.views import bp as bin_bp
    from tracker.calendars.views import bp as calendars_bp
    from tracker.catalogue.views import bp as catalogue_bp
    from tracker.checkins.views import bp as checkins_bp
    from tracker.dashboards.views import bp as dashboards_bp
    from tracker.deliverables.views import bp as deliverables_bp
    from tracker.files.views import bp as files_bp
    from tracker.infographics.views import bp as infographics_bp
    from tracker.insights.views import bp as insights_bp
    from tracker.notifications.unsubscribe_views import bp as unsubscribe_bp
    from tracker.notifications.views import bp as notifications_bp
    from tracker.organisations.views import bp as organisations_bp
    from tracker.pairs.views import bp as pairs_bp
    from tracker.plans.views import bp as plans_bp
    from tracker.privacy.views import bp as privacy_bp
    from tracker.programmes.views import bp as programmes_bp
    from tracker.reports.views import bp as reports_bp
    from tracker.routing import IdConverter
    from tracker.search.views import bp as search_bp
    from tracker.sharing.views import bp as sharing_bp
    from tracker.users.invitation_views import bp as invitations_bp
    from tracker.users.views import bp as users_bp
    from tracker.visits.views import bp as visits_bp

    app.url_map.converters["int"] = IdConverter  # before the first route is added
    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(catalogue_bp, url_prefix="/catalogue")
    app.register_blueprint(benchmarks_bp, url_prefix="/catalogue")
    app.register_blueprint(organisations_bp, url_prefix="/organisations")
    app.register_blueprint(invitations_bp)  # before users: /users/invite is not a user's id
    app.register_blueprint(users_bp, url_prefix="/users")
    app.register_blueprint(pairs_bp, url_prefix="/pairs")
    app.register_blueprint(visits_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(checkins_bp)
    app.register_blueprint(sharing_bp)
    app.register_blueprint(deliverables_bp)
    app.register_blueprint(infographics_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(calendars_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(unsubscribe_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(bin_bp)
    app.register_blueprint(files_bp)
    app.register_blueprint(programmes_bp, url_prefix="/programmes")
    app.register_blueprint(insights_bp)


def register_cli(app: Flask) -> None:
    from tracker.cli import tracker_cli

    app.cli.add_command(tracker_cli)


def register_errors(app: Flask) -> None:
    from tracker.errors import register_error_pages

    register_error_pages(app)


def register_templating(app: Flask) -> None:
    from tracker.fragments import register_fragments
    from tracker.templating import register_template_helpers

    register_template_helpers(app)
    register_fragments(app)
