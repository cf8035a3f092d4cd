"""AWS Lambda entry point: build the skill once per container, answer each event."""

from __future__ import annotations

import logging
from typing import Any

from skill.app import CoachSkill, apology, build_failure, build_skill

log = logging.getLogger("skill.lambda")
_skill: CoachSkill | None = None
_refused: str | None = None  # why the last build failed, as logged (once, not per request)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda's handler: `lambda/handler.handler`."""
    global _skill, _refused
    if _skill is None:
        try:
            _skill = build_skill()
        except Exception as exc:  # configuration or disk trouble: apologise, retry next time
            reason = build_failure(exc)
            if reason != _refused:
                log.error("skill could not be built: %s", reason)
                _refused = reason
            request = event.get("request") if isinstance(event, dict) else None
            return apology(request.get("locale") if isinstance(request, dict) else None)
    return _skill.invoke(event, context)
