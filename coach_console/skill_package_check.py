"""Validate an ASK CLI v2 project written by `comeback-coach skill-package` (CI:
`.ci/skill-package-check`): `python -m coach_console.skill_package_check DIR`.

- the layout the ASK CLI documents: `ask-resources.json` (askcliResourcesVersion 2020-03-31,
  `profiles.default.skillMetadata.src` naming the skill package folder, `code.default.src`
  naming the folder of the Lambda's `lambda/handler.py`), and a skill package of `skill.json`
  and `interactionModels/custom/<locale>.json`, one per published locale and nothing else;
- every file read with Amazon's own classes from `ask-smapi-model` (`SkillManifestEnvelope`,
  `InteractionModelData`), written back and compared, so a field those classes do not know
  (misspelt, misplaced) is an error, and the fields the schema requires are present.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .skill_package import (
    ASK_RESOURCES,
    ASK_RESOURCES_VERSION,
    CUSTOM_MODELS,
    MANIFEST,
)

_LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")

#: Fields the ASK schemas require (a path per field; `*` is every item or key).
MODEL_REQUIRED = (
    ("interactionModel", "languageModel", "invocationName"),
    ("interactionModel", "languageModel", "intents"),
    ("interactionModel", "languageModel", "intents", "*", "name"),
    ("interactionModel", "languageModel", "intents", "*", "slots", "*", "name"),
    ("interactionModel", "languageModel", "intents", "*", "slots", "*", "type"),
    ("interactionModel", "languageModel", "types", "*", "name"),
    ("interactionModel", "languageModel", "types", "*", "values", "*", "name", "value"),
    ("interactionModel", "dialog", "intents", "*", "name"),
    ("interactionModel", "dialog", "intents", "*", "slots", "*", "name"),
    ("interactionModel", "dialog", "intents", "*", "slots", "*", "type"),
    ("interactionModel", "prompts", "*", "id"),
    ("interactionModel", "prompts", "*", "variations"),
    ("interactionModel", "prompts", "*", "variations", "*", "type"),
    ("interactionModel", "prompts", "*", "variations", "*", "value"),
)
MANIFEST_REQUIRED = (
    ("manifest", "manifestVersion"),
    ("manifest", "publishingInformation", "locales"),
    ("manifest", "publishingInformation", "locales", "*", "name"),
    ("manifest", "publishingInformation", "locales", "*", "examplePhrases"),
    ("manifest", "apis", "custom", "endpoint", "uri"),
)


def _missing(data: Any, path: Sequence[str], where: str = "") -> list[str]:
    """The places where the field at `path` is missing (a missing optional parent is fine
    for `*` levels: there is nothing to check inside it)."""
    if not path:
        return []
    head, rest = path[0], path[1:]
    if head == "*":
        items = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
        keys = list(data) if isinstance(data, dict) else range(len(items))
        return [
            problem
            for key, item in zip(keys, items, strict=True)
            for problem in _missing(item, rest, f"{where}[{key}]")
        ]
    if not isinstance(data, dict) or head not in data:
        optional_parent = bool(where) and any(part == "*" for part in path)
        return [] if optional_parent and rest else [f"{where}.{head}".lstrip(".")]
    return _missing(data[head], rest, f"{where}.{head}")


def _differences(original: Any, written: Any, where: str = "") -> list[str]:
    """Where `written` (read and written back by Amazon's classes) differs from `original`."""
    if isinstance(original, dict) and isinstance(written, dict):
        found = []
        for key in sorted(set(original) | set(written)):
            here = f"{where}.{key}".lstrip(".")
            if key not in written:
                found.append(f"{here}: not a field of Amazon's schema")
            elif key not in original:
                found.append(f"{here}: added by Amazon's classes")
            else:
                found += _differences(original[key], written[key], here)
        return found
    if isinstance(original, list) and isinstance(written, list):
        if len(original) != len(written):
            return [f"{where}: {len(original)} items became {len(written)}"]
        return [
            problem
            for index, (a, b) in enumerate(zip(original, written, strict=True))
            for problem in _differences(a, b, f"{where}[{index}]")
        ]
    if original != written:
        return [f"{where}: {original!r} is read as {written!r}"]
    return []


def strict_read(path: Path, kind: type, required: Sequence[Sequence[str]]) -> list[str]:
    """Problems reading `path` as Amazon's class `kind`: unknown fields, missing fields."""
    from ask_sdk_core.serialize import DefaultSerializer

    try:
        text = path.read_text(encoding="utf-8")
        original = json.loads(text)
    except (OSError, ValueError) as error:
        return [f"{path}: cannot be read: {error}"]
    serializer = DefaultSerializer()
    try:
        written = serializer.serialize(serializer.deserialize(text, kind))
    except Exception as error:  # the SDK raises its own and plain errors alike
        return [f"{path}: not a {kind.__name__}: {error}"]
    problems = [f"{path}: {problem}" for problem in _differences(original, written)]
    for field_path in required:
        problems += [f"{path}: {where} is required" for where in _missing(original, field_path)]
    return problems


def validate(project: Path) -> list[str]:
    """Every problem with the ASK CLI project in `project` (nothing when it is valid)."""
    from ask_smapi_model.v1.skill.interaction_model.interaction_model_data import (
        InteractionModelData,
    )
    from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import (
        SkillManifestEnvelope,
    )

    resources_path = project / ASK_RESOURCES
    try:
        resources = json.loads(resources_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"{resources_path}: cannot be read: {error}"]
    problems: list[str] = []
    if resources.get("askcliResourcesVersion") != ASK_RESOURCES_VERSION:
        problems.append(f"{resources_path}: askcliResourcesVersion must be {ASK_RESOURCES_VERSION}")
    unknown = sorted(set(resources) - {"askcliResourcesVersion", "profiles"})
    if unknown:
        problems.append(f"{resources_path}: unknown fields {unknown}")
    profile = (resources.get("profiles") or {}).get("default") or {}
    unknown = sorted(set(profile) - {"skillId", "skillMetadata", "code", "skillInfrastructure"})
    if unknown:
        problems.append(f"{resources_path}: unknown profile fields {unknown}")
    metadata_src = (profile.get("skillMetadata") or {}).get("src")
    if not isinstance(metadata_src, str):
        return [*problems, f"{resources_path}: profiles.default.skillMetadata.src is required"]
    code_src = ((profile.get("code") or {}).get("default") or {}).get("src")
    if (
        not isinstance(code_src, str)
        or not (project / code_src / "lambda" / "handler.py").is_file()
    ):
        problems.append(
            f"{resources_path}: profiles.default.code.default.src must name the folder of "
            "lambda/handler.py, the Lambda the README deploys"
        )
    package = project / metadata_src
    manifest_path = package / MANIFEST
    if not manifest_path.is_file():
        return [*problems, f"{manifest_path}: the skill package has no {MANIFEST}"]
    problems += strict_read(manifest_path, SkillManifestEnvelope, MANIFEST_REQUIRED)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    locales = set(manifest.get("manifest", {}).get("publishingInformation", {}).get("locales", {}))
    expected = {Path(MANIFEST)} | {CUSTOM_MODELS / f"{locale}.json" for locale in locales}
    present = {path.relative_to(package) for path in package.rglob("*") if path.is_file()}
    for extra in sorted(present - expected):
        problems.append(f"{package / extra}: not part of the skill package layout")
    for absent in sorted(expected - present):
        problems.append(f"{package / absent}: missing (the manifest publishes its locale)")
    for locale in sorted(locales):
        if not _LOCALE.match(locale):
            problems.append(f"{manifest_path}: {locale!r} is not a locale")
        model_path = package / CUSTOM_MODELS / f"{locale}.json"
        if model_path.is_file():
            problems += strict_read(model_path, InteractionModelData, MODEL_REQUIRED)
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Validate the project folder given; print the problems; 0 when there are none."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m coach_console.skill_package_check PROJECT_DIR", file=sys.stderr)
        return 2
    problems = validate(Path(args[0]))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{args[0]}: a valid ASK CLI v2 project")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
