"""Settings, read from the environment: one class per profile (development, test, production)."""

import os
import re
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production by check()
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


class Config:
    """Development profile, and the base every other profile starts from."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'tracker.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, so a long form never expires
    # Signed-in sessions live in the database (docs/security.md): each ends when its person
    # signs out or changes their password, after this many idle hours, and at the latest this
    # many hours after signing in. "Keep me signed in" stretches them to days.
    SESSION_IDLE_HOURS = _env_int("SESSION_IDLE_HOURS", 8)
    SESSION_LIFETIME_HOURS = _env_int("SESSION_LIFETIME_HOURS", 12)
    SESSION_REMEMBER_IDLE_DAYS = _env_int("SESSION_REMEMBER_IDLE_DAYS", 7)
    SESSION_REMEMBER_DAYS = _env_int("SESSION_REMEMBER_DAYS", 30)
    # How stale "last seen" may get before a request records it: not a write on every request.
    SESSION_TOUCH_SECONDS = _env_int("SESSION_TOUCH_SECONDS", 300)
    REMEMBER_COOKIE_DURATION = timedelta(days=SESSION_REMEMBER_DAYS)
    # Strict-Transport-Security: browsers then refuse plain HTTP for the site (production only).
    HSTS_SECONDS = 0
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto/-Host (0: none).
    TRUST_PROXY_HOPS = _env_int("TRUST_PROXY_HOPS", 0)

    # Sign-in attempts. Only failed attempts count; counts are shared between workers through
    # Redis in production (memory:// keeps them per process, enough for one development server).
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    SIGN_IN_LIMIT_PER_ACCOUNT = os.environ.get("SIGN_IN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    SIGN_IN_LIMIT_PER_ADDRESS = os.environ.get("SIGN_IN_LIMIT_PER_ADDRESS", "30 per 15 minutes")
    PASSWORD_RESET_LIMIT = os.environ.get("PASSWORD_RESET_LIMIT", "5 per hour")
    # "Forgot password" answers no sooner than this, so that its timing does not tell whether
    # the address has an account (the work for a known address takes a few milliseconds).
    FORGOT_PASSWORD_ANSWER_SECONDS = float(os.environ.get("FORGOT_PASSWORD_ANSWER_SECONDS", "0.25"))
    MAX_UPLOAD_MB = _env_int("MAX_UPLOAD_MB", 20)
    # A request may carry a little more than the file itself (the form's other fields).
    MAX_CONTENT_LENGTH = (MAX_UPLOAD_MB + 1) * 1024 * 1024

    BOOTSTRAP_SERVE_LOCAL = True
    # The interface's languages (tracker/translations holds a catalogue for each but English),
    # and the one for people whose own choice and browser name none of them.
    LANGUAGES = ("en", "fr", "de")
    DEFAULT_LANGUAGE = os.environ.get("DEFAULT_LANGUAGE", "en").strip().lower()
    BABEL_DEFAULT_LOCALE = DEFAULT_LANGUAGE
    BABEL_DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "Europe/Brussels")

    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))
    # Where uploaded files are kept: "local" (UPLOAD_DIR, one web server) or "database" (shared
    # by every web server that uses the database).
    STORAGE = os.environ.get("STORAGE", "local")
    VISIT_REPORT_OVERDUE_DAYS = _env_int("VISIT_REPORT_OVERDUE_DAYS", 5)
    SET_PASSWORD_HOURS = _env_int("SET_PASSWORD_HOURS", 72)  # how long a set-password link works
    # Deleted objects stay in the bin, restorable by a coordinator, for this many days.
    BIN_DAYS = _env_int("BIN_DAYS", 30)
    # A progress update can be deleted by its author this long after posting; later it is
    # withdrawn with a reason instead (progress history is a record).
    PROGRESS_DELETE_HOURS = _env_int("PROGRESS_DELETE_HOURS", 24)

    # Email: without MAIL_SERVER, mail is kept in the outbox that coordinators read in the app.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Mentoring tracker <tracker@localhost>"
    )
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 20)
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 6)
    # The sender claims this many emails at a time and sends them over one SMTP connection.
    MAIL_BATCH_SIZE = _env_int("MAIL_BATCH_SIZE", 50)
    # A claim not renewed for this long was left by a sender that stopped: another one takes
    # it over. The sender renews its claim before each message, so this only has to outlast
    # one SMTP exchange (check() asks for four times MAIL_TIMEOUT at least).
    MAIL_CLAIM_TIMEOUT_SECONDS = _env_int("MAIL_CLAIM_TIMEOUT_SECONDS", 600)

    # Reminder thresholds, in days.
    REMINDERS = {
        "visit_soon_days": (7, 1),
        "report_missing_escalate_days": 14,
        "plan_stale_days": 30,
        "action_due_days": 7,
        "follow_up_due_days": 7,
        "deliverable_due_days": 14,
        "review_waiting_days": 10,
        "action_untouched_days": 60,
        "endorsement_pending_days": 30,
        "endorsement_repeat_days": 14,
        "no_visit_days": 90,
        # A reminder fires when its moment comes; a run catches up on moments it missed within
        # this many days (after downtime), not on everything overdue since the beginning.
        "catch_up_days": 30,
        # After a check-in is asked for, one reminder this many days later if still unanswered.
        "check_in_reminder_days": 14,
    }
    # After the programme: the implementing city is asked for a check-in this many months after
    # its pair completed (comma-separated, e.g. "6,12").
    CHECK_IN_MONTHS = os.environ.get("CHECK_IN_MONTHS", "6,12")
    # Personal data kept no longer than needed (0 = keep): notifications and the emails sent
    # for them; audit entries are the network's record of who did what, kept unless it decides
    # otherwise (docs/security.md).
    RETENTION = {
        "notification_days": _env_int("NOTIFICATION_RETENTION_DAYS", 365),
        "audit_days": _env_int("AUDIT_RETENTION_DAYS", 0),
    }
    SCHEDULER_TIMEZONE = os.environ.get("SCHEDULER_TIMEZONE", "Europe/Brussels")
    OUTBOX_INTERVAL_SECONDS = _env_int("OUTBOX_INTERVAL_SECONDS", 60)
    # A running job stamps its run this often; a run silent for four of these stopped without
    # finishing (killed, out of memory, machine gone) and shows as failed.
    JOB_HEARTBEAT_SECONDS = _env_int("JOB_HEARTBEAT_SECONDS", 30)
    # The network's colours on generated infographics (#rrggbb): headings and key figures,
    # the latest self-assessment level and progress, and the thin highlights.
    INFOGRAPHIC_PRIMARY = os.environ.get("INFOGRAPHIC_PRIMARY", "#1d4e89")
    INFOGRAPHIC_ACCENT = os.environ.get("INFOGRAPHIC_ACCENT", "#0f766e")
    INFOGRAPHIC_HIGHLIGHT = os.environ.get("INFOGRAPHIC_HIGHLIGHT", "#e0a526")

    @classmethod
    def check(cls) -> None:
        """Refuse settings that are unsafe or malformed for this profile."""
        for name in ("INFOGRAPHIC_PRIMARY", "INFOGRAPHIC_ACCENT", "INFOGRAPHIC_HIGHLIGHT"):
            if not HEX_COLOUR.fullmatch(getattr(cls, name)):
                raise RuntimeError(f"{name} must be a colour written #rrggbb, for example #1d4e89.")
        if cls.DEFAULT_LANGUAGE not in cls.LANGUAGES:
            raise RuntimeError(
                f"DEFAULT_LANGUAGE must be one of {', '.join(cls.LANGUAGES)}, "
                f"not {cls.DEFAULT_LANGUAGE!r}."
            )
        if cls.STORAGE not in ("local", "database"):
            raise RuntimeError(f"STORAGE must be local or database, not {cls.STORAGE!r}.")
        if cls.MAIL_CLAIM_TIMEOUT_SECONDS < 4 * cls.MAIL_TIMEOUT:
            # A claim that expires during one slow SMTP exchange is taken over while its
            # sender is still sending: the message would go out twice.
            raise RuntimeError(
                "MAIL_CLAIM_TIMEOUT_SECONDS must be at least four times MAIL_TIMEOUT "
                f"({4 * cls.MAIL_TIMEOUT} s with MAIL_TIMEOUT={cls.MAIL_TIMEOUT})."
            )
        if not re.fullmatch(r"\s*[1-9]\d?\s*(,\s*[1-9]\d?\s*)*", cls.CHECK_IN_MONTHS):
            raise RuntimeError(
                "CHECK_IN_MONTHS must be whole numbers of months separated by commas, e.g. 6,12."
            )


class TestConfig(Config):
    """Settings for the test suite; the database URL is given by the fixtures."""

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    FORGOT_PASSWORD_ANSWER_SECONDS = 0.0  # its own test sets it
    MAIL_SERVER = None
    PUBLIC_BASE_URL = "http://tracker.test"


class ProductionConfig(Config):
    """Production: PostgreSQL, secure cookies, and a real secret key."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"
    HSTS_SECONDS = _env_int("HSTS_SECONDS", 365 * 24 * 3600)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")

    @classmethod
    def check(cls) -> None:
        super().check()
        if cls.SECRET_KEY in ("", DEFAULT_SECRET_KEY) or len(cls.SECRET_KEY) < 32:
            raise RuntimeError(
                "Refusing to start in production without a SECRET_KEY of at least 32 characters "
                "(set the SECRET_KEY environment variable)."
            )
        if "DATABASE_URL" not in os.environ:
            raise RuntimeError(
                "Refusing to start in production without DATABASE_URL "
                "(for example postgresql+psycopg://user@host/tracker)."
            )


PROFILES: dict[str, type[Config]] = {
    "development": Config,
    "test": TestConfig,
    "production": ProductionConfig,
}


def profile_from_environment() -> type[Config]:
    """Return the settings class named by TRACKER_ENV (development when unset)."""
    name = os.environ.get("TRACKER_ENV", "development")
    try:
        return PROFILES[name]
    except KeyError:
        choices = ", ".join(PROFILES)
        raise RuntimeError(f"TRACKER_ENV must be one of {choices}, not {name!r}") from None
