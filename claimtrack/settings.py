"""claimtrack settings: one module, configured by environment variables.

Locally, `make run` writes a git-ignored .env (DEBUG=1 and a random SECRET_KEY) that this
module reads, so `python manage.py ...` works with nothing exported; variables set in the
environment win over the file. Production sets its variables and has no .env.
ENV_FILE      another file to read instead of .env (the tests point it at none)

DATABASE_URL  database to use (default: an SQLite file in var/, the local demo)
SECRET_KEY    required unless DEBUG is on
DEBUG         "1"/"true" to turn on debug mode (default off; off, templates are compiled once
              per process: the cached template loader)
ALLOWED_HOSTS comma-separated host names (default: localhost only)
ADMINS        comma-separated addresses mailed the traceback of every server error (with the
              email settings below; default: nobody, the error is in the log only)

Serving (see "Deployment" in the README; gunicorn's own settings are in gunicorn.conf.py)
CONN_MAX_AGE     seconds a database connection is kept open for the next requests, 0 to close
                 it after each (default 60); a kept connection is checked before it is reused
PAGE_CACHE       "0" renders every public page afresh instead of serving anonymous readers
                 from the cache (default on; the benchmark's uncached rows turn it off)
CACHE_URL        redis://host:6379/0 (or rediss:// for TLS): the cache all app processes share,
                 Django's RedisCache. Empty (the default): local memory, one cache per process.
                 Either way a public page is never served stale (claimtrack.claims.pagecache)
STATIC_COLLECTED "1" when `manage.py collectstatic` has filled STATIC_ROOT (staticfiles/):
                 serve those files, compressed, under names with a hash of their content, which
                 browsers may keep for good (WhiteNoise's CompressedManifestStaticFilesStorage).
                 Off (the default): static/ is served as it is, no collectstatic needed (the demo,
                 the tests); `make serve` turns it on
CSRF_TRUSTED_ORIGINS comma-separated origins (https://claimtrack.example.org) that forms may be
                 posted from, when the load balancer in front changes the host or scheme

The scholarly services (claimtrack.scholarly: citation lookups by DOI or PMID)
CROSSREF_API_URL        Crossref REST API (default https://api.crossref.org)
NCBI_EUTILS_URL         NCBI E-utilities (default https://eutils.ncbi.nlm.nih.gov/entrez/eutils)
SCHOLARLY_CONTACT_EMAIL who the services may write to about our traffic
SCHOLARLY_PROJECT_URL   the project's public address, for the User-Agent (default: none)
SCHOLARLY_TIMEOUT       seconds to wait for one answer (default 5)

The evidence watch: reviews that come due (claimtrack.claims.review_schedule)
REVIEW_INTERVAL_MONTHS          months a verdict holds before it is due for review (default 24)
REVIEW_INTERVAL_MONTHS_BY_TOPIC per-topic exceptions, "topic=months" comma-separated
                                (default "safety=12": safety evidence moves fastest)

SITE_URL      the site's address as readers and staff reach it, for links in emails
              (default: http://localhost:8000). An https:// address means the site is served
              over HTTPS: plain-http requests are redirected, cookies are sent only over HTTPS,
              and browsers are told (HSTS) to use nothing else
HSTS_SECONDS  how long browsers hold to HTTPS (default 31536000, a year; "0" behind a proxy
              that sets Strict-Transport-Security itself)
TRUSTED_PROXIES how many proxies that append to X-Forwarded-For stand in front of the app
              (default 0: the connection's address is the client's): login throttling counts
              failures per client address
LOGIN_COOLOFF_MINUTES how long one username is refused from one address after five wrong
              passwords in a row (default 15)

The open data (claimtrack.api)
API_RATE_LIMIT     requests one client address may make to /api/ (default "600/min"; "n/s",
                   "n/min", "n/hour", "n/day"; empty: no limit). Past it: 429 with Retry-After
API_MAX_AGE        seconds a client or shared cache may reuse an API answer before it asks
                   again (default 60); it revalidates with the ETag for a 304
DATA_LICENSE_NAME, DATA_LICENSE_URL  the licence of the public data (default CC BY 4.0)

BENCH_FLOOR   "1" adds /bench/floor, a constant response through every middleware: the
              benchmark's floor (bench/serve_bench.py). Off by default: not part of the site.

Email (staff are told about flags; the default backend prints the messages to the console):
EMAIL_BACKEND       e.g. django.core.mail.backends.smtp.EmailBackend
                    (default: django.core.mail.backends.console.EmailBackend)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD
                    the SMTP server (default: localhost, 25, no login)
EMAIL_USE_TLS, EMAIL_USE_SSL   booleans, at most one of them (default: neither)
EMAIL_TIMEOUT       seconds (default 10)
DEFAULT_FROM_EMAIL  the sender (default: claimtrack <claimtrack@localhost>)
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from claimtrack.lib import envfile

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # git-ignored: the SQLite file, demo passwords
VAR_DIR.mkdir(exist_ok=True)
ENV_FILE = Path(os.environ.get("ENV_FILE") or BASE_DIR / ".env")
try:
    envfile.load(ENV_FILE)
except ValueError as error:
    raise ImproperlyConfigured(f"{ENV_FILE}: {error}") from None


def envbool(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envurl(name, default):
    """An http(s) address without a trailing slash (joined with paths such as "/works/…")."""
    value = os.environ.get(name, "") or default
    if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
        raise ImproperlyConfigured(f"{name} must be an http:// or https:// address, not {value!r}")
    return value.rstrip("/")


def envlist(name, default):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


def envseconds(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if not 0 < seconds <= 120:
        raise ImproperlyConfigured(f"{name} must be a number of seconds (0-120], not {value!r}")
    return seconds


def envmonths(name, default):
    """A whole number of months, 1 to 120."""
    months = envint(name, default)
    if not 1 <= months <= 120:
        raise ImproperlyConfigured(f"{name} must be 1 to 120 months, not {months}")
    return months


def envmonths_by_name(name, default):
    """{"safety": 12, ...} from "safety=12,efficacy=18" (empty: the default). Each name once,
    each value 1 to 120 months; the names are checked against the topics once the app is
    ready (review_schedule.check_topics)."""
    value = os.environ.get(name, "")
    if value == "":
        return default
    months = {}
    for item in value.split(","):
        key, equals, number = (part.strip() for part in item.partition("="))
        if not (equals and key and number.isdigit() and 1 <= int(number) <= 120):
            raise ImproperlyConfigured(
                f'{name} must read like "safety=12,efficacy=18" (1 to 120 months), not {value!r}'
            )
        if key in months:
            raise ImproperlyConfigured(f"{name} names {key!r} twice")
        months[key] = int(number)
    return months


def envcache(name):
    """A cache from a redis:// or rediss:// address (Django's RedisCache); empty, local memory."""
    value = os.environ.get(name, "")
    if value == "":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    if re.fullmatch(r"rediss?://[^\s/]+(/[^\s]*)?", value):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": value,
            "KEY_PREFIX": "claimtrack",
            # A Redis that does not answer costs a request two seconds at most, not a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    # Not the value itself in the message: a Redis address may carry a password.
    raise ImproperlyConfigured(
        f"{name} must be a redis:// or rediss:// address, or empty for a cache in local memory; "
        f"it starts with {value.split(':')[0][:10]!r}."
    )


DEBUG = envbool("DEBUG", False)
BENCH_FLOOR = envbool("BENCH_FLOOR", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
ADMINS = [("", address) for address in envlist("ADMINS", [])]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "django_filters",
    "simple_history",
    "axes",
    "claimtrack.claims",
    "claimtrack.desk",
    "claimtrack.watch",  # after claims: it builds on them, and its admin subclasses ClaimAdmin
    "claimtrack.api",
    "ninja",  # the API docs page's Swagger UI from our own static files, not a CDN
    "corsheaders",
]

MIDDLEWARE = [
    "claimtrack.lib.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the session, the admin's filters and anything else that reads the database.
    "claimtrack.lib.nul_bytes.RefuseNulBytesMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Open for GET on /api/ only (CORS_URLS_REGEX), preflights included: before CommonMiddleware.
    "corsheaders.middleware.CorsMiddleware",
    # An API revalidation's 304 before everything it does not need (claimtrack/api/http.py).
    "claimtrack.api.http.RevalidationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Lets the history name the logged-in editor behind an admin save.
    "simple_history.middleware.HistoryRequestMiddleware",
    "claimtrack.lib.database_down.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it answers a locked-out login itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "claimtrack.urls"
WSGI_APPLICATION = "claimtrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
if not DEBUG:
    # Compile each template once per process. (In debug mode Django reloads changed templates.)
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]

# Connections are kept between requests (each process, each thread its own), and checked with
# a cheap query before reuse, so a database restart costs a reconnect, not a failed request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'claimtrack.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: take the write lock when a transaction starts, so two editors
    # saving at once queue (up to the timeout) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # The tests' database is a file too: an in-memory one shared between threads answers
    # "database table is locked" at once instead of waiting, so the race tests need a file.
    # One per test process, so that two runs at once never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-claimtrack-{os.getpid()}.sqlite3")}

# Logins are throttled (django-axes): five wrong passwords for one username from one address,
# and that pair waits out a cool-off. Counted per pair, so an attacker elsewhere cannot lock a
# user out; a success clears the count. Locked out, the login page says why and for how long.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "claimtrack.lib.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "claimtrack.lib.client_ip.client_ip"
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_COLLECTED = envbool("STATIC_COLLECTED", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production (make serve): the collected files, each under a name with its content's
        # hash, so WhiteNoise lets browsers keep them for good. Otherwise static/ as it is, so
        # that the tests and a fresh checkout need no collectstatic step.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

# Without collected files, serve static/ straight from the finders.
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED

# The cache: shared by every app process when CACHE_URL names a Redis server (the page cache,
# the scholarly lookups). Local memory otherwise: nothing to install, one cache per process.
CACHES = {"default": envcache("CACHE_URL")}
PAGE_CACHE = envbool("PAGE_CACHE", True)

CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The record: django-simple-history keeps every version of every editorial row. Reverting from
# the admin is off: it would write around the rules in claimtrack.claims.models.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Email: who is told what is decided in claimtrack.claims (notifications.py and the rules).
SITE_URL = envurl("SITE_URL", "http://localhost:8000")

# The licence the public data is published under: the API, the exports and the bulk dumps say
# so, and so does every page's footer. A site that publishes under another names it here.
DATA_LICENSE_NAME = os.environ.get("DATA_LICENSE_NAME", "CC BY 4.0")
# As the licence writes its own address (Creative Commons' end with a slash).
DATA_LICENSE_URL = envurl("DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/") + "/"

# The open data API (claimtrack.api): anyone may read it, from any site's scripts, a page of at
# most 100 at a time, at most API_RATE_LIMIT requests per client address.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/min").strip() or None
if API_RATE_LIMIT and not re.fullmatch(r"[1-9]\d*/(s|sec|m|min|h|hour|d|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f'API_RATE_LIMIT must look like "600/min" (or /s, /hour, /day), not {API_RATE_LIMIT!r}'
    )
API_MAX_AGE = envint("API_MAX_AGE", 60)
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True  # no cookies are read or sent: credentials stay off
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# A browser revalidating with the ETag sends If-None-Match, which needs a preflight.
CORS_ALLOW_HEADERS = ["accept", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400

# Security headers. Served over HTTPS (an https:// SITE_URL): plain http is redirected, the
# session and CSRF cookies travel only over HTTPS, and HSTS tells browsers to use nothing else
# (gunicorn knows a request came over HTTPS from the proxy's X-Forwarded-Proto: see
# FORWARDED_ALLOW_IPS in gunicorn.conf.py). Locally (http://localhost) none of that applies.
HTTPS = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = True
if HTTPS and not SECURE_HSTS_SECONDS:
    # HSTS_SECONDS=0: the TLS-terminating proxy sends Strict-Transport-Security itself.
    SILENCED_SYSTEM_CHECKS = ["security.W004"]
# No script on the site reads the CSRF cookie (forms carry the token), so scripts may not.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Nothing on the site uses the browser's devices or sensors.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# Content-Security-Policy (django-csp 4), on every response, the admin's included: scripts and
# styles from this site's own files only, never inline (the JSON-LD blocks are data, not run).
# One exception, for styles: django-simple-history's history page has one inline style
# attribute, allowed by its hash alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if not re.fullmatch(r"[A-Za-z_][\w.]*\.\w+", EMAIL_BACKEND):
    raise ImproperlyConfigured(f"EMAIL_BACKEND must be a dotted path, not {EMAIL_BACKEND!r}")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "claimtrack <claimtrack@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Reviews that come due: a verdict is due for review this many months after it was given
# (claimtrack.claims.review_schedule), as Cochrane re-checks its reviews.
REVIEW_INTERVAL_MONTHS = envmonths("REVIEW_INTERVAL_MONTHS", 24)
REVIEW_INTERVAL_MONTHS_BY_TOPIC = envmonths_by_name(
    "REVIEW_INTERVAL_MONTHS_BY_TOPIC", {"safety": 12}
)

# The desk's article intake (claimtrack.desk.intake) fetches the page an editor names. Seconds
# for each step of the request (connect, each read), and the whole fetch at most twice that.
INTAKE_TIMEOUT = 10
INTAKE_USER_AGENT = "claimtrack/0.1 (fact-checking desk; fetches one page an editor asked for)"
# Crossref and NCBI ask clients to say who they are (a contact address in the User-Agent and in
# the mailto/email parameters): polite clients are served first and written to, not blocked.
CROSSREF_API_URL = envurl("CROSSREF_API_URL", "https://api.crossref.org")
NCBI_EUTILS_URL = envurl("NCBI_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
SCHOLARLY_CONTACT_EMAIL = os.environ.get("SCHOLARLY_CONTACT_EMAIL", "editors@claimtrack.invalid")
SCHOLARLY_PROJECT_URL = os.environ.get("SCHOLARLY_PROJECT_URL", "")
SCHOLARLY_TIMEOUT = envseconds("SCHOLARLY_TIMEOUT", 5.0)

# Logging: JSON lines on stderr, one per request (claimtrack.lib.request_log) and one per error
# with its traceback, every line with the request's id. Server errors are also mailed to
# ADMINS when there are any (Django's AdminEmailHandler, through the email settings above).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "claimtrack.lib.request_log.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {"json": {"()": "claimtrack.lib.request_log.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # 4xx are the client's business (a warning each); 5xx are ours, and mailed.
        "django.request": {
            "handlers": ["stderr", "mail_admins"],
            "level": "WARNING",
            "propagate": False,
        },
        "claimtrack": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
