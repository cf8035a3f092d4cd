"""`comeback-coach`: the command line. Serve the skill, migrate its database, and hand the
console's commands (chat, say, converse) and the model tools (models check | evaluate,
skill-package) to the `coach_console` package.

The console is imported only when one of its commands runs, so `serve` and `db upgrade` never
load rapidfuzz, PyYAML or the offline understanding; the Lambda bundle carries none of them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from skill.config import Settings

if TYPE_CHECKING:
    from coach_console.cli import SkillFactory

EXIT_OK = 0
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    # argparse only: no rapidfuzz, no YAML
    from coach_console.commands import add_commands, add_model_commands

    parser = argparse.ArgumentParser(
        prog="comeback-coach",
        description="Comeback Coach, the Alexa skill, without an Echo. "
        "DATABASE_URL picks the database (default: an SQLite file in your data folder).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_commands(commands)
    add_model_commands(commands)

    serve = commands.add_parser("serve", help="serve the Alexa HTTPS endpoint (POST /)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    serve.add_argument(
        "--dev", action="store_true", help="Flask's development server instead of gunicorn"
    )

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="migrate the database to the newest schema")
    return parser


def run_serve(args: argparse.Namespace) -> int:
    """Serve the web endpoint."""
    from skill.web import run_server

    run_server(args.host, args.port, args.workers, dev=args.dev)
    return EXIT_OK


def run_db_upgrade(settings: Settings, stdout: IO[str]) -> int:
    """Migrate the configured database."""
    from skill.db.migrate import upgrade_head

    upgrade_head(settings)
    print("The database is at the newest schema.", file=stdout)
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    *,
    factory: SkillFactory | None = None,
    env: dict[str, str] | None = None,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the command line; returns the exit status. `factory` builds the skill the console
    talks to (tests pass a fake)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    settings = Settings.from_env(env if env is not None else os.environ)
    if args.command == "serve":
        return run_serve(args)
    if args.command == "db":
        return run_db_upgrade(settings, stdout)
    if args.command in ("models", "skill-package"):
        from coach_console.model_commands import run_model_command

        return run_model_command(args, stdout=stdout, stderr=stderr)
    from coach_console.cli import run

    return run(args, factory=factory, settings=settings, stdin=stdin, stdout=stdout, stderr=stderr)


if __name__ == "__main__":
    raise SystemExit(main())
