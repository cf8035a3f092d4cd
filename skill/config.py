"""Settings read from the environment once; nothing here touches the disk or the network."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

APP_NAME = "comeback-coach"


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


class Settings(NamedTuple):
    """Everything the skill needs to know about where it runs."""

    database_url: str
    data_dir: Path
    skill_id: str | None = None
    user_id_pepper: str | None = None
    auto_migrate: bool = True
    settings_api_timeout: float = 1.0

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
        )

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return self._replace(**changes)  # type: ignore[arg-type]
