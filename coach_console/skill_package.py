"""`comeback-coach skill-package`: the ASK CLI v2 project, written from `interaction_models/`.

`interaction_models/` stays the source; this writes, byte for byte the same from the same
source (keys sorted, two-space indent, UTF-8, one newline at the end):

    <out>/ask-resources.json
    <out>/skill-package/skill.json
    <out>/skill-package/interactionModels/custom/<locale>.json

so that `ask deploy --target skill-metadata` (run in `<out>`) publishes the manifest and the
models. The Lambda itself is deployed with serverless (`npm run deploy`, see the README), so
`ask-resources.json` names the skill package and where the Lambda's code lives, and has no
`skillInfrastructure`: the ASK CLI skips that step when it is absent, and never builds or
deploys a second copy of the function. The manifest's endpoint already names that function.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ASK_RESOURCES_VERSION = "2020-03-31"
ASK_RESOURCES = "ask-resources.json"
SKILL_PACKAGE = "skill-package"
MANIFEST = "skill.json"
CUSTOM_MODELS = Path("interactionModels") / "custom"


class PackageError(Exception):
    """The source cannot be packaged."""


def dumps(data: Any) -> str:
    """JSON as every file of the project is written: sorted, indented, UTF-8, final newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def project_files(source: Path, out: Path) -> dict[Path, str]:
    """The project's files (relative to `out`) and their text."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise PackageError(f"no {MANIFEST} in {source}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise PackageError(f"{manifest_path} is not JSON: {error}") from None
    locales = sorted(
        manifest.get("manifest", {}).get("publishingInformation", {}).get("locales", {})
    )
    files: dict[Path, str] = {Path(SKILL_PACKAGE) / MANIFEST: dumps(manifest)}
    for locale in locales:
        model_path = source / f"{locale}.json"
        if not model_path.is_file():
            raise PackageError(f"the manifest publishes {locale} but {model_path} is missing")
        try:
            model = json.loads(model_path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise PackageError(f"{model_path} is not JSON: {error}") from None
        files[Path(SKILL_PACKAGE) / CUSTOM_MODELS / f"{locale}.json"] = dumps(model)
    extra = sorted({path.stem for path in source.glob("*-*.json")} - set(locales))
    if extra:
        raise PackageError(f"models the manifest does not publish: {', '.join(extra)}")
    files[Path(ASK_RESOURCES)] = dumps(ask_resources(source, out))
    return files


def ask_resources(source: Path, out: Path) -> dict[str, Any]:
    """`ask-resources.json`: the skill package, and the Lambda's code (the repository root,
    where `lambda/handler.py` is), relative to the project folder."""
    code = Path(os.path.relpath(source.resolve().parent, out.resolve())).as_posix()
    return {
        "askcliResourcesVersion": ASK_RESOURCES_VERSION,
        "profiles": {
            "default": {
                "skillMetadata": {"src": f"./{SKILL_PACKAGE}"},
                "code": {"default": {"src": code if code.startswith(".") else f"./{code}"}},
            }
        },
    }


def write_project(source: Path, out: Path) -> list[Path]:
    """Write the project into `out`; files of an earlier run that are no longer part of it
    (a locale removed) are deleted. Returns the files written."""
    files = project_files(source, out)
    models = out / SKILL_PACKAGE / CUSTOM_MODELS
    if models.is_dir():
        for stale in models.glob("*.json"):
            if stale.relative_to(out) not in files:
                stale.unlink()
    for relative, text in sorted(files.items()):
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    return sorted(out / relative for relative in files)
