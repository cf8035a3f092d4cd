"""The options of the console's commands: `comeback-coach chat | say | converse`.

Only argparse and the standard library, so that `skill.cli` can list these commands next to
`serve` and `db upgrade` without importing the console itself (rapidfuzz, PyYAML, the
interaction models); `coach_console.cli` runs them.
"""

from __future__ import annotations

import argparse
from datetime import date, time
from pathlib import Path

NAMES = ("chat", "say", "converse", "models", "skill-package")

SAY_EPILOG = """\
exit status:
  0  the skill answered
  1  the skill failed: it raised, returned no response, or spoke its error apology
  2  usage error: bad option, unknown locale or time zone, no interaction model
  3  not understood: the utterance went to AMAZON.FallbackIntent (the skill still answered)
"""

CONVERSE_EPILOG = """\
exit status:
  0  every script met its expectations
  1  a script did not (the difference is shown)
  2  a script could not be read, or bad options
"""

MODELS_CHECK_EPILOG = """\
exit status:
  0  no findings
  1  findings (each printed with its locale, rule, intent and sample)
  2  usage error: unknown locale, unreadable folder
"""

MODELS_EVALUATE_EPILOG = """\
exit status:
  0  every locale meets its thresholds
  1  a locale scores below its thresholds, or has no evaluation set
  2  usage error: unknown locale, unreadable folder
"""

CHAT_HELP = """\
Type what you would say to Alexa, e.g. "log my day", "what's my streak", "give me a tip".
"open comeback coach" starts a new session; when no session is open, anything you type is
sent as "Alexa, ask comeback coach to ...".
Commands:
  :next-day [N]   let the session time out and move on N days (default 1)
  :date YYYY-MM-DD, :time HH:MM   jump to another local day or time
  :now            show the console's date, time and time zone
  :silence        say nothing (Alexa repeats the question, then gives up)
  :end            walk away (ends the session)
  :launch         open the skill again
  :debug          show how each utterance was understood (toggle)
  :help           this text
  :quit           leave (Ctrl-D works too)"""


# --------------------------------------------------------------------------- shared options


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2025-03-03") from None


def _clock_time(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a time like 21:30") from None


def _talk_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locale", default="en-US", help="Alexa locale (default en-US)")
    parser.add_argument(
        "--date", type=_iso_date, help="start on this local day (YYYY-MM-DD); the clock is fixed"
    )
    parser.add_argument(
        "--time", type=_clock_time, help="start at this local time (HH:MM); the clock is fixed"
    )
    parser.add_argument(
        "--tz", help="IANA time zone of the user (default: this machine's, else UTC)"
    )
    parser.add_argument(
        "--user", default="me", help="who is talking; each name is a separate Alexa user"
    )


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add chat, say and converse to the top-level command line's subcommands."""
    chat = commands.add_parser(
        "chat",
        help="talk to the skill: type what you would say, read what Alexa answers",
        description=CHAT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _talk_options(chat)
    chat.add_argument("--speak", action="store_true", help="say replies aloud with espeak-ng")
    chat.add_argument(
        "--no-launch", action="store_true", help="do not open the skill when the console starts"
    )
    chat.add_argument("--debug", action="store_true", help="show how utterances are understood")

    say = commands.add_parser(
        "say",
        help="one turn: send an utterance, print the answer",
        epilog=SAY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    say.add_argument("utterance", help='what you would say, e.g. "log my day"')
    _talk_options(say)
    say.add_argument("--json", action="store_true", help="print the response envelope as JSON")

    converse = commands.add_parser(
        "converse",
        help="replay YAML conversation scripts and check the answers",
        epilog=CONVERSE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    converse.add_argument("files", nargs="+", type=Path, metavar="FILE.yaml")
    converse.add_argument(
        "--use-database",
        action="store_true",
        help="run against the configured database instead of a fresh temporary one",
    )
    converse.add_argument(
        "-v", "--verbose", action="store_true", help="show the conversation of passing scripts"
    )


def add_model_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add `models check`, `models evaluate` and `skill-package` to the subcommands."""
    models = commands.add_parser("models", help="check and evaluate the interaction models")
    actions = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="find ambiguities and rule breaks in the interaction models",
        epilog=MODELS_CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate = actions.add_parser(
        "evaluate",
        help="score the console's understanding on the evaluation sets",
        epilog=MODELS_EVALUATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for action in (check, evaluate):
        action.add_argument(
            "--locale",
            action="append",
            dest="locales",
            metavar="LOCALE",
            help="only this locale (repeatable; default: every model)",
        )
        action.add_argument(
            "--models-dir",
            type=Path,
            help="the folder of <locale>.json and skill.json (default: interaction_models/)",
        )
    check.add_argument(
        "--summary", action="store_true", help="only the count of findings per locale and rule"
    )
    evaluate.add_argument(
        "--markdown", action="store_true", help="print the scores as a Markdown table"
    )
    evaluate.add_argument(
        "-v", "--verbose", action="store_true", help="list every annotation that was missed"
    )

    package = commands.add_parser(
        "skill-package",
        help="write the ASK CLI v2 project (skill-package/, ask-resources.json)",
    )
    package.add_argument(
        "--out",
        type=Path,
        default=Path("build/ask"),
        help="the project folder to write (default build/ask)",
    )
    package.add_argument(
        "--models-dir",
        type=Path,
        help="the folder of <locale>.json and skill.json (default: interaction_models/)",
    )
