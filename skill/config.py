"""Settings read from the environment once; nothing here touches the disk or the network."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, NamedTuple
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

APP_NAME = "comeback-coach"
#: Where Alexa's own APIs live (PRODUCT.md §6): a request naming any other `apiEndpoint`
#: gets no API call, so no caller can point the skill, and its bearer token, elsewhere.
ALEXA_API_ENDPOINTS = (
    "https://api.amazonalexa.com",
    "https://api.eu.amazonalexa.com",
    "https://api.fe.amazonalexa.com",
)


def flag(value: object, default: bool) -> bool:
    """An on/off setting: unset or blank is `default`; 0, false, no and off are off."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return default
    return text not in {"0", "false", "no", "off"}


def default_data_dir() -> Path:
    """The per-user data folder where the embedded SQLite database lives."""
    import platformdirs  # only a local install without COACH_DATA_DIR needs it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class ConfigurationError(Exception):
    """The skill cannot run as configured. The message names the setting or the folder at
    fault (never a secret), so it is fit for a log line and a refusal to start."""


#: Why a shared deployment needs USER_ID_PEPPER (PRODUCT §6).
PEPPER_REQUIRED = (
    "USER_ID_PEPPER is not set: it is required with a PostgreSQL DATABASE_URL and on AWS "
    "Lambda, where every process must hash user ids with the same key"
)


class Settings(NamedTuple):
    """Everything the skill needs to know about where it runs."""

    database_url: str
    data_dir: Path
    skill_id: str | None = None
    user_id_pepper: str | None = None
    auto_migrate: bool = True
    settings_api_timeout: float = 1.0
    on_lambda: bool = False  # AWS_LAMBDA_FUNCTION_NAME is set
    api_endpoints: tuple[str, ...] = ALEXA_API_ENDPOINTS

    @property
    def shared(self) -> bool:
        """Whether more than one process or machine shares the data (PostgreSQL, or Lambda):
        then only USER_ID_PEPPER may key the user ids, never a key made on the spot."""
        scheme = self.database_url.partition("://")[0].split("+", 1)[0].lower()
        return self.on_lambda or scheme in ("postgresql", "postgres")

    def check(self) -> None:
        """Raise `ConfigurationError` when a required setting is missing."""
        if self.shared and not self.user_id_pepper:
            raise ConfigurationError(PEPPER_REQUIRED)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from `env` (the process environment by default)."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("COACH_DATA_DIR") or default_data_dir())
        url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'coach.db'}"
        return cls(
            database_url=url,
            data_dir=data_dir,
            skill_id=env.get("ALEXA_SKILL_ID") or None,
            user_id_pepper=env.get("USER_ID_PEPPER") or None,
            auto_migrate=flag(env.get("AUTO_MIGRATE"), True),
            on_lambda=bool(env.get("AWS_LAMBDA_FUNCTION_NAME")),
            api_endpoints=api_endpoints(env.get("ALEXA_API_ENDPOINTS")),
        )

    def allows_api_endpoint(self, endpoint: str) -> bool:
        """Whether `endpoint` (a request's `apiEndpoint`) is one of the allowed base URLs."""
        return base_url(endpoint) in self.api_endpoints

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return self._replace(**changes)  # type: ignore[arg-type]


def base_url(url: str) -> str:
    """A base URL as compared: without surrounding blanks or a trailing slash, lower case."""
    return url.strip().rstrip("/").lower()


def api_endpoints(value: str | None) -> tuple[str, ...]:
    """ALEXA_API_ENDPOINTS (comma-separated base URLs), or Amazon's own hosts when unset."""
    if value is None or not value.strip():
        return ALEXA_API_ENDPOINTS
    return tuple(base_url(url) for url in value.split(",") if url.strip())


# -- DATABASE_URL ----------------------------------------------------------------------

Dialect = Literal["sqlite", "postgresql"]


class BadDatabaseUrl(ValueError):
    """DATABASE_URL names a database this skill cannot use."""


class Target(NamedTuple):
    """Where a DATABASE_URL points: a SQLite file (None: in memory), or a libpq URI and the
    server options the URL gave."""

    dialect: Dialect
    path: str | None = None
    conninfo: str | None = None
    options: str = ""


#: Query options of a PostgreSQL URL that are the skill's, not libpq's. `prepare_threshold`
#: (psycopg 3's, for poolers) is accepted and ignored: nothing is prepared any more.
SKILL_QUERY_OPTIONS = ("options", "prepare_threshold")
#: PostgreSQL URLs name a driver; every one of these is served with psycopg2, the one shipped.
POSTGRES_SCHEMES = ("postgres", "postgresql", "postgresql+psycopg2", "postgresql+psycopg")


def normalize_url(url: str) -> str:
    """A PostgreSQL URL in SQLAlchemy's spelling for psycopg2, the driver we ship (for
    `postgres://`, `postgresql://` and URLs written for psycopg 3); others as given."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in POSTGRES_SCHEMES:
        return "postgresql+psycopg2://" + rest
    return url


def parse_url(url: str) -> Target:
    """Read a SQLAlchemy database URL (sqlite:///file, postgresql://...)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise BadDatabaseUrl("DATABASE_URL has no scheme")
    backend = scheme.split("+", 1)[0].lower()
    if backend == "sqlite":
        # sqlite:///relative, sqlite:////absolute, sqlite:// (in memory)
        path = unquote(rest.split("?", 1)[0])
        if path.startswith("/"):
            path = path[1:]
        return Target("sqlite", path=None if path in ("", ":memory:") else path)
    if backend in ("postgresql", "postgres"):
        if scheme.lower() not in POSTGRES_SCHEMES:
            raise BadDatabaseUrl(f"unsupported PostgreSQL driver: {scheme} (use postgresql://)")
        parts = urlsplit("postgresql://" + rest)
        query = parse_qsl(parts.query, keep_blank_values=True)
        options = " ".join(v for k, v in query if k == "options")
        kept = urlencode([(k, v) for k, v in query if k not in SKILL_QUERY_OPTIONS])
        conninfo = urlunsplit(("postgresql", parts.netloc, parts.path, kept, ""))
        return Target("postgresql", conninfo=conninfo, options=options)
    raise BadDatabaseUrl(f"unsupported database: {backend}")
