"""AWS Lambda entry point: build the skill once per container, answer each event."""

from __future__ import annotations

from typing import Any

from skill.app import CoachSkill, build_skill

_skill: CoachSkill | None = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda's handler: `lambda/handler.handler`."""
    global _skill
    if _skill is None:
        _skill = build_skill()
    return _skill.invoke(event, context)
