"""Configuration classes, read from environment variables."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style and libpq-style URLs both mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


#: The development key everyone can read in this repository: never accepted in production.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
#: Every key written in this repository (code, tests, docs); production refuses each of them.
KNOWN_KEYS = frozenset(
    {
        DEVELOPMENT_SECRET_KEY,
        "test-secret",
        "a-different-key-than-the-ballots-were-sealed-with",
        "changeme",
        "secret",
    }
)
#: The shortest key production accepts (characters); `secrets.token_hex(32)` gives 64.
MIN_KEY_LENGTH = 32
#: Mail backends for development only: they keep mail on this machine instead of sending it.
DEVELOPMENT_MAIL_BACKENDS = frozenset({"outbox", "console"})
#: The embedded development database, used when DATABASE_URL is not set.
DEFAULT_DATABASE_URI = f"sqlite:///{BASE_DIR / 'instance' / 'buurtbegroting.db'}"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    #: Key for the keyed hashes of voting and cheque codes (falls back to SECRET_KEY).
    CODE_HASH_KEY = os.environ.get("CODE_HASH_KEY")
    #: Key the rounds' ballot-sealing key pairs are derived from (docs/security.md).
    BALLOT_KEY = os.environ.get("BALLOT_KEY")
    #: Seconds a live count (rounds that show results during voting) is reused.
    LIVE_RESULTS_SECONDS = int(os.environ.get("LIVE_RESULTS_SECONDS", "300"))
    SQLALCHEMY_DATABASE_URI = _database_url(DEFAULT_DATABASE_URI)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: A pooled connection idle longer than this is pinged before use (buurtbegroting/dbpool.py;
    #: 0 pings at every use, as SQLAlchemy's pool_pre_ping does).
    DB_PING_AFTER_IDLE_SECONDS = float(os.environ.get("DB_PING_AFTER_IDLE_SECONDS", "5"))
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    #: The languages of the site, in the order of the language switch (one catalogue each).
    LANGUAGES = ("nl", "en", "tr", "ar")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    #: Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted
    #: (Werkzeug's ProxyFix); 0 trusts none, so a forged header counts for nothing.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))

    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    #: Wrong passwords for one account from one client (its address): then it waits for the window.
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute;50 per hour")
    #: Wrong passwords from one client, any account, before each further one slows it down.
    RATELIMIT_LOGIN_CLIENT = os.environ.get("RATELIMIT_LOGIN_CLIENT", "30 per hour")
    #: The slow-down: the first wait (seconds), doubled with every further failure, at most the last.
    RATELIMIT_SLOWDOWN_FIRST = int(os.environ.get("RATELIMIT_SLOWDOWN_FIRST", "5"))
    RATELIMIT_SLOWDOWN_MAX = int(os.environ.get("RATELIMIT_SLOWDOWN_MAX", "60"))
    RATELIMIT_RESET = os.environ.get("RATELIMIT_RESET", "5 per minute;20 per hour")
    #: Wrong voting codes one client may try per round before each further one slows it down
    #: (a QR link does not name its round: links share one count).
    RATELIMIT_CODES = os.environ.get("RATELIMIT_CODES", "20 per 10 minutes")
    #: Unknown cheque codes one client may try before each further one slows it down.
    CHEQUE_FAIL_LIMIT = os.environ.get("CHEQUE_FAIL_LIMIT", "30 per 10 minutes")
    #: The most cheques one job started from the browser makes (the command makes more).
    CHEQUE_WEB_MAX = int(os.environ.get("CHEQUE_WEB_MAX", "200000"))
    RATELIMIT_ENABLED = True
    #: True only under ProductionConfig: demo data and other conveniences refuse to run.
    IS_PRODUCTION = False
    LANG_COOKIE_SECURE = False
    HSTS_MAX_AGE = 0

    #: Every e-mail is queued in the outbox table. "outbox" (development) then writes it to
    #: the log as soon as it is committed; "smtp" leaves it to the worker (`flask mail work`).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Buurtbegroting <noreply@buurtbegroting.local>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))  # seconds per SMTP command
    #: The delivery worker (`flask mail work`): messages per minute across all workers (as
    #: the municipality's mail relay allows), per batch, attempts, and the back-off.
    MAIL_PER_MINUTE = int(os.environ.get("MAIL_PER_MINUTE", "60"))
    MAIL_BATCH = int(os.environ.get("MAIL_BATCH", "100"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    #: Wait before the second attempt; doubled for every further one, up to the maximum.
    MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "60"))
    MAIL_RETRY_MAX_SECONDS = int(os.environ.get("MAIL_RETRY_MAX_SECONDS", str(6 * 3600)))
    #: How long a worker's claim on a batch lasts; after that another worker takes it.
    MAIL_CLAIM_SECONDS = int(os.environ.get("MAIL_CLAIM_SECONDS", "600"))
    #: Key that encrypts the text of secret messages until delivery (falls back to SECRET_KEY).
    MAIL_KEY = os.environ.get("MAIL_KEY")

    PASSWORD_RESET_MAX_AGE = 60 * 60  # seconds
    #: How long the link in an address-verification e-mail works (seconds).
    EMAIL_VERIFY_MAX_AGE = 7 * 24 * 60 * 60
    #: Verification e-mails one account may ask for again.
    RATELIMIT_VERIFY = os.environ.get("RATELIMIT_VERIFY", "3 per hour;10 per day")
    #: Co-organiser invitations one account may send (each is an e-mail to a stranger).
    RATELIMIT_INVITES = os.environ.get("RATELIMIT_INVITES", "5 per hour;10 per day")
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    MUNICIPALITY_NAME = os.environ.get("MUNICIPALITY_NAME", "Oss")
    #: Where the site lives: every absolute link (e-mails, QR codes, letters, cheques,
    #: /.well-known) is built on it, never on the request's Host header.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    #: /.well-known/security.txt (RFC 9116): where to report a vulnerability (mailto: or
    #: https: URL) and the disclosure policy; without a contact the file is not served.
    SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT")
    SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL")
    #: Days until the security.txt's Expires date (RFC 9116 advises less than a year).
    SECURITY_TXT_DAYS = int(os.environ.get("SECURITY_TXT_DAYS", "180"))
    #: The municipality's logo on printed letters and cheques (PNG or JPEG); the demo's by default.
    MUNICIPALITY_LOGO = os.environ.get("MUNICIPALITY_LOGO", str(BASE_DIR / "demo" / "logo.png"))
    #: Letters (or cheques) per PDF file in a print ZIP.
    PRINT_PART_SIZE = int(os.environ.get("PRINT_PART_SIZE", "5000"))

    #: Photos of ideas (and later progress updates and receipts) are stored here.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "instance" / "uploads"))
    PHOTO_MAX_BYTES = 10 * 1024 * 1024
    PHOTO_MAX_COUNT = 5
    #: What the photos of one request may cost to decode, read from their headers first:
    #: pixels really decoded (a JPEG at its reduced ``draft`` size) plus, for WebP, pixels
    #: for the file's bytes (images.decode_cost). Five phone photos (12 or 50 MP JPEG) or
    #: five 3 MP screenshots fit; more is refused with "add them in two goes"
    #: (docs/security.md). bench/uploads.py shows the cost at the limit.
    PHOTO_REQUEST_DECODE_BUDGET = 30_000_000
    #: Forms with photos may be larger than other requests: five photos and some text.
    UPLOAD_FORM_MAX_CONTENT_LENGTH = PHOTO_MAX_COUNT * PHOTO_MAX_BYTES + 1024 * 1024
    #: The expense form: one receipt of at most 10 MB and some text.
    RECEIPT_FORM_MAX_CONTENT_LENGTH = 11 * 1024 * 1024
    #: Fields and files in one upload form (Werkzeug's default is 1,000).
    UPLOAD_FORM_MAX_PARTS = 100
    IDEAS_PER_PAGE = 20
    ARGUMENTS_PER_PAGE = 10
    #: Arguments and replies one account may post per hour; reports per day.
    ARGUMENTS_PER_HOUR = int(os.environ.get("ARGUMENTS_PER_HOUR", "10"))
    REPORTS_PER_DAY = int(os.environ.get("REPORTS_PER_DAY", "20"))
    #: Rules an idea must meet at submission, per destination (amounts in cents).
    IDEA_RULES = {
        "budget_round": {"min_cents": 300_000, "max_cents": None, "min_supports": 0},
        "cheques": {"min_cents": 0, "max_cents": 500_000, "min_supports": 0},
    }
    #: Only residents of the idea's district may support it.
    SUPPORT_OWN_DISTRICT_ONLY = os.environ.get("SUPPORT_OWN_DISTRICT_ONLY", "0") == "1"
    CHEQUE_MAX_TARGET_CENTS = int(
        os.environ.get("CHEQUE_MAX_TARGET_CENTS", "500000")
    )  # cheque initiatives: highest target
    ACCOUNTABILITY_REPORT_WEEKS = 4  # final report due this many weeks after the planned end
    #: Retention (`flask privacy retention`, daily; see docs/privacy.md).
    OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "30"))
    NETWORK_SIGNAL_RETENTION_DAYS = int(os.environ.get("NETWORK_SIGNAL_RETENTION_DAYS", "90"))
    #: Days after an initiative is decided before its co-organisers' contact data goes.
    COORGANISER_RETENTION_DAYS = int(os.environ.get("COORGANISER_RETENTION_DAYS", "30"))
    AUDIT_RETENTION_YEARS = int(os.environ.get("AUDIT_RETENTION_YEARS", "7"))
    #: Older audit entries are moved here as JSON lines (one file per run).
    AUDIT_ARCHIVE_FOLDER = os.environ.get(
        "AUDIT_ARCHIVE_FOLDER", str(BASE_DIR / "instance" / "audit-archive")
    )
    #: The job queue (huey): Redis when HUEY_REDIS_URL or REDIS_URL is set (production,
    #: workers on several machines), else a SQLite file under instance/ (`make run`).
    HUEY_REDIS_URL = os.environ.get("HUEY_REDIS_URL") or REDIS_URL
    HUEY_SQLITE_PATH = os.environ.get("HUEY_SQLITE_PATH", str(BASE_DIR / "instance" / "huey.db"))
    HUEY_NAME = os.environ.get("HUEY_NAME", "buurtbegroting")
    #: Run jobs in the request instead of a worker (unit tests only).
    HUEY_IMMEDIATE = os.environ.get("HUEY_IMMEDIATE", "0") == "1"
    #: Result files of jobs (ZIPs with codes until downloaded) and their work files.
    JOB_RESULT_FOLDER = os.environ.get(
        "JOB_RESULT_FOLDER", str(BASE_DIR / "instance" / "job-results")
    )
    #: Days a job's result file is kept (a file with codes goes at its download).
    JOB_RESULT_DAYS = int(os.environ.get("JOB_RESULT_DAYS", "7"))
    #: A running job silent this long (its worker died) is picked up by another worker.
    JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "300"))
    #: Codes or cheques a job makes and commits in one step.
    JOB_CHUNK_SIZE = int(os.environ.get("JOB_CHUNK_SIZE", "5000"))
    ROUND_SIGNAL_THRESHOLD = int(
        os.environ.get("ROUND_SIGNAL_THRESHOLD", "20")
    )  # ballots a day from one network before it is shown

    #: Background map tiles for the zoomable map ({z}/{x}/{y}); empty: boundaries only.
    #: Its host is added to the CSP's img-src.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "Kaartgegevens © Kadaster")
    MAP_TILE_MAX_ZOOM = int(os.environ.get("MAP_TILE_MAX_ZOOM", "19"))


class DevelopmentConfig(Config):
    """Local development on the embedded SQLite database."""

    DEBUG = True


class TestConfig(Config):
    """The test suite: a database given by the test fixtures, no real mail."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_BACKEND = "outbox"
    #: Tests spread sends over a millisecond, not a second.
    MAIL_PER_MINUTE = 60_000
    MAIL_TIMEOUT = 5
    WTF_CSRF_ENABLED = False
    #: Tests count live results afresh on every page.
    LIVE_RESULTS_SECONDS = 0
    #: Unit tests run jobs in the request; the queue tests start real consumers.
    HUEY_IMMEDIATE = os.environ.get("HUEY_IMMEDIATE", "1") == "1"
    HUEY_REDIS_URL = None
    #: The test client's own host, so that links in mails lead back to it.
    BASE_URL = "http://localhost"


def _key_problem(name: str, value: str | None) -> str | None:
    if not value:
        return f"{name} is not set"
    if value in KNOWN_KEYS:
        return f"{name} is a key published in the source code; generate a new one"
    if len(value) < MIN_KEY_LENGTH:
        return f"{name} is shorter than {MIN_KEY_LENGTH} characters"
    return None


def production_problems(settings) -> list[str]:
    """Return why these settings are not fit for production (empty when they are).

    ``settings`` is any object with the configuration as attributes (a config class).
    """
    problems = []
    keys = {
        name: getattr(settings, name, None)
        for name in ("SECRET_KEY", "CODE_HASH_KEY", "BALLOT_KEY")
    }
    for name, value in keys.items():
        problem = _key_problem(name, value)
        if problem:
            problems.append(problem)
    if keys["CODE_HASH_KEY"] and keys["CODE_HASH_KEY"] == keys["SECRET_KEY"]:
        problems.append("CODE_HASH_KEY must differ from SECRET_KEY")
    if keys["BALLOT_KEY"] and keys["BALLOT_KEY"] in (keys["SECRET_KEY"], keys["CODE_HASH_KEY"]):
        problems.append("BALLOT_KEY must differ from SECRET_KEY and CODE_HASH_KEY")
    if settings.SQLALCHEMY_DATABASE_URI == DEFAULT_DATABASE_URI:
        problems.append("DATABASE_URL is not set")
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set (rate limits must be shared by all processes)")
    base = settings.BASE_URL or ""
    if not base.startswith("https://") or len(base) <= len("https://"):
        problems.append("BASE_URL must be the site's https:// address")
    if settings.MAIL_BACKEND in DEVELOPMENT_MAIL_BACKENDS:
        problems.append(f"MAIL_BACKEND={settings.MAIL_BACKEND} is for development; use smtp")
    return problems


class ProductionConfig(Config):
    """Production: refuses to start with settings it cannot trust (see production_problems)."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    #: The language cookie (set by the app itself) follows the session cookie's flags.
    LANG_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    #: Strict-Transport-Security sent with every response (seconds; 0 sends none).
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE", str(365 * 24 * 3600)))
    IS_PRODUCTION = True
    #: The Dutch government's base map (PDOK BRT-Achtergrondkaart), in Web Mercator tiles.
    MAP_TILE_URL = os.environ.get(
        "MAP_TILE_URL",
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
    )

    @classmethod
    def check(cls) -> None:
        """Refuse to run with settings production cannot trust, naming each of them."""
        problems = production_problems(cls)
        if problems:
            raise RuntimeError(
                "Production refuses to start (BUURTBEGROTING_ENV=production):\n- "
                + "\n- ".join(problems)
                + "\nSee the README, section Production."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env():
    """Pick the configuration class named by BUURTBEGROTING_ENV (default development)."""
    return CONFIGS[os.environ.get("BUURTBEGROTING_ENV", "development")]
