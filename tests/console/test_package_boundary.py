"""The console is a package of its own: the skill never needs it, and `serve` never loads it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from skill.paths import interaction_model_dirs

REPO = Path(__file__).resolve().parents[2]


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_only_the_command_line_of_the_skill_imports_the_console() -> None:
    importers = sorted(
        str(path.relative_to(REPO))
        for path in [*(REPO / "skill").rglob("*.py"), REPO / "lambda" / "handler.py"]
        if any(name.split(".")[0] == "coach_console" for name in _imported_modules(path))
    )
    assert importers == ["skill/cli.py"]


def test_serve_and_db_upgrade_parse_without_loading_rapidfuzz_yaml_or_the_resolver() -> None:
    code = """
import sys
from skill import cli
parser = cli.build_parser()
parser.parse_args(["serve", "--dev"])
parser.parse_args(["db", "upgrade"])
loaded = sorted(
    name for name in ("rapidfuzz", "yaml", "coach_console.cli", "coach_console.nlu",
                      "coach_console.session", "coach_console.scripts")
    if name in sys.modules
)
print(",".join(loaded))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == ""


def test_the_console_finds_the_interaction_models_where_the_skill_does() -> None:
    assert (REPO / "interaction_models") in interaction_model_dirs()
    assert any((folder / "en-US.json").is_file() for folder in interaction_model_dirs())
