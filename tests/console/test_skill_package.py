"""`comeback-coach skill-package`: the ASK CLI v2 project written from interaction_models/,
reproducibly, and validated against the ASK CLI layout and Amazon's ask-smapi-model classes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

from coach_console.skill_package_check import validate
from skill.cli import main

from .conftest import REPO

MODELS = REPO / "interaction_models"


def build(out: Path, models: Path = MODELS) -> Path:
    stdout = io.StringIO()
    assert (
        main(["skill-package", "--out", str(out), "--models-dir", str(models)], stdout=stdout) == 0
    )
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_project_has_the_ask_cli_layout_and_the_models_unchanged(tmp_path: Path) -> None:
    out = build(tmp_path / "ask")
    locales = sorted(path.stem for path in MODELS.glob("*-*.json"))
    assert sorted(files(out)) == sorted(
        [
            "ask-resources.json",
            "skill-package/skill.json",
            *(f"skill-package/interactionModels/custom/{locale}.json" for locale in locales),
        ]
    )
    for locale in locales:
        written = json.loads(
            (out / f"skill-package/interactionModels/custom/{locale}.json").read_text()
        )
        assert written == json.loads((MODELS / f"{locale}.json").read_text(encoding="utf-8"))
    resources = json.loads((out / "ask-resources.json").read_text())
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    profile = resources["profiles"]["default"]
    assert profile["skillMetadata"] == {"src": "./skill-package"}
    assert (out / profile["code"]["default"]["src"] / "lambda" / "handler.py").is_file()
    assert "skillInfrastructure" not in profile  # serverless deploys the Lambda
    assert validate(out) == []


def test_two_builds_from_the_same_source_are_byte_for_byte_the_same(tmp_path: Path) -> None:
    first = files(build(tmp_path / "a" / "ask"))
    second = files(build(tmp_path / "b" / "ask"))
    assert first == second
    text = first["skill-package/skill.json"].decode("utf-8")
    assert text.endswith("}\n") and "\\u" not in text  # UTF-8, not escapes


def test_a_locale_removed_from_the_source_is_removed_from_the_project(tmp_path: Path) -> None:
    models = tmp_path / "repository" / "interaction_models"
    shutil.copytree(MODELS, models)
    (models.parent / "lambda").symlink_to(REPO / "lambda")
    out = build(tmp_path / "ask", models)
    (models / "it-IT.json").unlink()
    manifest = json.loads((models / "skill.json").read_text(encoding="utf-8"))
    del manifest["manifest"]["publishingInformation"]["locales"]["it-IT"]
    (models / "skill.json").write_text(json.dumps(manifest), encoding="utf-8")
    build(out, models)
    assert not (out / "skill-package/interactionModels/custom/it-IT.json").exists()
    assert validate(out) == []


def test_a_model_the_manifest_does_not_publish_is_a_usage_error(tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(MODELS, models)
    shutil.copy(models / "en-US.json", models / "en-NZ.json")
    err = io.StringIO()
    argv = ["skill-package", "--out", str(tmp_path / "ask"), "--models-dir", str(models)]
    assert main(argv, stdout=io.StringIO(), stderr=err) == 2
    assert "models the manifest does not publish: en-NZ" in err.getvalue()


def test_validation_finds_unknown_and_missing_fields_and_a_broken_layout(tmp_path: Path) -> None:
    out = build(tmp_path / "ask")
    model_path = out / "skill-package/interactionModels/custom/en-US.json"
    model = json.loads(model_path.read_text())
    model["interactionModel"]["languageModel"]["invocationNmae"] = "typo"
    del model["interactionModel"]["languageModel"]["invocationName"]
    model_path.write_text(json.dumps(model))
    (out / "skill-package/notes.txt").write_text("stray")
    (out / "skill-package/interactionModels/custom/de-DE.json").unlink()
    resources = json.loads((out / "ask-resources.json").read_text())
    resources["askcliResourcesVersion"] = "2019-01-01"
    (out / "ask-resources.json").write_text(json.dumps(resources))
    problems = validate(out)
    assert any("askcliResourcesVersion must be 2020-03-31" in p for p in problems)
    assert any(
        "languageModel.invocationNmae: not a field of Amazon's schema" in p for p in problems
    )
    assert any("languageModel.invocationName is required" in p for p in problems)
    assert any("notes.txt: not part of the skill package layout" in p for p in problems)
    assert any("de-DE.json: missing" in p for p in problems)


def test_the_ci_check_builds_compares_and_validates() -> None:
    result = subprocess.run(
        ["bash", str(REPO / ".ci" / "skill-package-check")],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "a valid ASK CLI v2 project" in result.stdout
