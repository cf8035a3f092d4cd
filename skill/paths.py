"""Where the skill's files live once installed: a leaf module (pathlib only) that the
request path and the console can both import."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).parent


def interaction_model_dirs() -> tuple[Path, ...]:
    """The folders that may hold `interaction_models/<locale>.json`, in search order: inside
    the installed package (the wheel puts them there), then beside it (the repository and the
    Lambda bundle)."""
    return (_PACKAGE / "interaction_models", _PACKAGE.parent / "interaction_models")
