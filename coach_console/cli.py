"""Running the console's commands: `comeback-coach chat`, `say` and `converse`.

`skill.cli` parses the command line (with `coach_console.commands`) and hands these commands
to `run()`; importing this module is what brings in the console's offline understanding.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import date, datetime, time
from functools import partial
from pathlib import Path
from typing import IO, ClassVar

from skill.app import Skill
from skill.config import ConfigurationError, Settings

from .commands import CHAT_HELP
from .model import FALLBACK_INTENT, InteractionModel, ModelNotFoundError
from .session import (
    ConsoleClock,
    Conversation,
    SkillFailure,
    Turn,
    ZoneDirectory,
    local_zone_name,
    zone,
)

EXIT_OK = 0
EXIT_SKILL_ERROR = 1
EXIT_MISMATCH = 1
EXIT_USAGE = 2
EXIT_NOT_UNDERSTOOD = 3

# --------------------------------------------------------------------------- rendering


def render_turn(turn: Turn, *, debug: bool = False) -> list[str]:
    """A reply as console lines: speech first, then reprompt, card and dialog state."""
    lines: list[str] = []
    if debug and turn.resolution is not None:
        slots = ", ".join(
            f"{name}={fill.value!r}" + (f"->{fill.resolved_id()}" if fill.resolved_id() else "")
            for name, fill in turn.resolution.slots.items()
            if fill.value is not None
        )
        lines.append(f"  (heard as {turn.resolution.intent}{' ' + slots if slots else ''})")
    for sound in turn.sounds:
        lines.append(f"  [sound] {sound}")
    if turn.speech_text:
        lines.append(f"alexa> {turn.speech_text}")
    if turn.reprompt_text:
        lines.append(f"  [reprompt] {turn.reprompt_text}")
    if turn.card is not None:
        body = f"{turn.card.title}: {turn.card.text}" if turn.card.text else turn.card.title
        lines.append(f"  [card] {body}")
    for directive in turn.directives:
        if directive != "Dialog.ElicitSlot":
            lines.append(f"  [directive] {directive}")
    if turn.elicited_slot:
        lines.append(f"  [listening for {turn.elicited_slot}]")
    if turn.ended:
        lines.append("  [session ended]")
    return lines


class Speaker:
    """Speaks replies with espeak-ng."""

    VOICES: ClassVar[dict[str, str]] = {
        "en-US": "en-us",
        "en-GB": "en-gb",
        "es-MX": "es-419",
        "es-US": "es-419",
    }

    def __init__(self, executable: str, locale: str) -> None:
        self.executable = executable
        self.voice = self.VOICES.get(locale, locale.split("-")[0].lower())

    @classmethod
    def find(cls, locale: str) -> Speaker | None:
        """A speaker, or None when espeak-ng is not installed."""
        executable = shutil.which("espeak-ng")
        return cls(executable, locale) if executable else None

    def speak(self, text: str) -> None:
        """Say `text` (blocks until it has been said)."""
        if text:
            subprocess.run(
                [self.executable, "-v", self.voice],
                input=text,
                text=True,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )


# --------------------------------------------------------------------------- building


class UsageError(Exception):
    """Options that cannot be honoured (exit status 2)."""


SkillFactory = Callable[[Settings, ZoneDirectory], Skill]


def _build_skill(settings: Settings, zones: ZoneDirectory) -> Skill:
    from skill.app import build_skill

    try:
        return build_skill(settings, zone_lookup=zones)
    except ConfigurationError as error:  # a missing USER_ID_PEPPER, an unusable data folder
        raise UsageError(str(error)) from None


def _clock(args: argparse.Namespace) -> ConsoleClock:
    try:
        tz = zone(args.tz or local_zone_name())
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.date is None and args.time is None:
        return ConsoleClock(tz=tz)
    now = datetime.now(tz)
    day = args.date or now.date()
    moment = args.time or now.time().replace(second=0, microsecond=0)
    return ConsoleClock(datetime.combine(day, moment, tz))


def _conversation(
    args: argparse.Namespace, factory: SkillFactory, settings: Settings
) -> Conversation:
    clock = _clock(args)
    zone_name = str(getattr(clock.tz, "key", "UTC"))
    try:
        model = InteractionModel.load(args.locale)
    except ModelNotFoundError as error:
        raise UsageError(str(error)) from None
    zones = ZoneDirectory(default=zone_name)
    skill = factory(settings, zones)
    return Conversation.start(
        skill,
        locale=args.locale,
        user=args.user,
        clock=clock,
        skill_id=settings.skill_id,
        zones=zones,
        model=model,
    )


def _close(skill: Skill) -> None:
    close = getattr(skill, "close", None)
    if callable(close):
        close()


def _apology_text(locale: str) -> str | None:
    """The skill's spoken apology in `locale`, to tell an error from an answer."""
    try:
        from skill.i18n import Strings, resolve_locale

        return str(Strings(resolve_locale(locale)).raw("error"))
    except Exception:
        return None


def _is_apology(turn: Turn, locale: str) -> bool:
    apology = _apology_text(locale)
    return apology is not None and " ".join(apology.split()) in turn.speech_text


# --------------------------------------------------------------------------- commands


class ChatConsole:
    """The interactive loop of `comeback-coach chat`."""

    def __init__(
        self,
        conversation: Conversation,
        *,
        stdin: IO[str],
        stdout: IO[str],
        speaker: Speaker | None = None,
        debug: bool = False,
    ) -> None:
        self.conversation = conversation
        self.stdin = stdin
        self.stdout = stdout
        self.speaker = speaker
        self.debug = debug
        self.interactive = stdin.isatty()

    def out(self, *lines: str) -> None:
        """Print lines at once."""
        for line in lines:
            print(line, file=self.stdout)
        self.stdout.flush()

    def talk(self, action: Callable[[], Turn | None]) -> None:
        """Do something that may bring a reply, and show (and speak) the reply."""
        try:
            turn = action()
        except SkillFailure as failure:
            self.out(f"  [skill error] {failure}")
            return
        if turn is None:
            return
        self.out(*render_turn(turn, debug=self.debug))
        if self.speaker is not None:
            self.speaker.speak(turn.speech_text)

    def read(self) -> str | None:
        """The next line typed, or None at the end of input."""
        if self.interactive and self.stdin is sys.stdin and self.stdout is sys.stdout:
            try:
                return input("you> ")
            except (EOFError, KeyboardInterrupt):
                return None
        self.stdout.write("you> ")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            return None
        line = line.rstrip("\n")
        if not self.interactive:
            self.out(line)  # echo piped input so the transcript reads as a conversation
        return line

    def run(self, *, launch: bool = True) -> None:
        """Open the skill, then answer each line until :quit or the end of input."""
        clock = self.conversation.clock
        self.out(
            f"Comeback Coach console - {self.conversation.locale}, "
            f"user {self.conversation.user_name!r}, {clock.local():%A %d %B %Y %H:%M} {clock.tz}",
            "Type what you would say to Alexa; :help lists the commands, :quit leaves.",
        )
        if launch:
            self.talk(self.conversation.launch)
        while (line := self.read()) is not None:
            text = line.strip()
            if text.startswith(":"):
                if not self.command(text):
                    break
            elif text:
                self.talk(partial(self.conversation.say, text))
        else:  # the input ran out (Ctrl-D): end the prompt's line
            self.out("")
        with contextlib.suppress(SkillFailure):
            self.conversation.end()

    def _now(self) -> None:
        self.out(f"  [it is now {self.conversation.clock.local():%A %d %B %Y %H:%M}]")

    def command(self, text: str) -> bool:
        """Run a `:command`; False to leave the console."""
        conversation = self.conversation
        name, _, argument = text.partition(" ")
        argument = argument.strip()
        if name in (":quit", ":q", ":exit"):
            return False
        if name in (":help", ":h", ":?"):
            self.out(CHAT_HELP)
        elif name in (":next-day", ":next", ":nextday"):
            if argument and not argument.isdigit():
                self.out("  :next-day takes a number of days")
                return True
            self.talk(partial(conversation.next_day, int(argument or 1)))
            self._now()
        elif name == ":date":
            try:
                day = date.fromisoformat(argument)
            except ValueError:
                self.out("  :date takes a date like 2025-03-03")
                return True
            self.talk(partial(conversation.set_date, day))
            self._now()
        elif name == ":time":
            try:
                moment = time.fromisoformat(argument)
            except ValueError:
                self.out("  :time takes a time like 21:30")
                return True
            self.talk(partial(conversation.set_time, moment))
            self._now()
        elif name == ":now":
            clock = conversation.clock
            self.out(f"  [{clock.local():%A %d %B %Y %H:%M} {clock.tz}]")
        elif name == ":silence":
            self.talk(conversation.silence)
        elif name == ":end":
            if conversation.in_session:
                self.talk(conversation.end)
            else:
                self.out("  [no session is open]")
        elif name == ":launch":
            self.talk(conversation.launch)
        elif name == ":debug":
            self.debug = not self.debug
            self.out(f"  debug {'on' if self.debug else 'off'}")
        else:
            self.out(f"  unknown command {name}; :help lists them")
        return True


def run_chat(
    args: argparse.Namespace,
    *,
    factory: SkillFactory,
    settings: Settings,
    stdin: IO[str],
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """The interactive console."""
    conversation = _conversation(args, factory, settings)
    speaker: Speaker | None = None
    if args.speak:
        speaker = Speaker.find(args.locale)
        if speaker is None:
            print(
                "--speak: espeak-ng is not installed, so replies are shown but not spoken "
                "(install it, e.g. `apt install espeak-ng`).",
                file=stderr,
            )
    if stdin.isatty() and stdin is sys.stdin:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
    console = ChatConsole(
        conversation, stdin=stdin, stdout=stdout, speaker=speaker, debug=args.debug
    )
    try:
        console.run(launch=not args.no_launch)
    finally:
        _close(conversation.skill)
    return EXIT_OK


def run_say(
    args: argparse.Namespace,
    *,
    factory: SkillFactory,
    settings: Settings,
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """One turn."""
    import json

    conversation = _conversation(args, factory, settings)
    try:
        turn = conversation.say(args.utterance)
    except SkillFailure as failure:
        print(f"skill error: {failure}", file=stderr)
        return EXIT_SKILL_ERROR
    finally:
        _close(conversation.skill)
    if args.json:
        print(json.dumps(turn.raw, indent=2, ensure_ascii=False), file=stdout)
    else:
        for line in render_turn(turn):
            print(line, file=stdout)
    if not turn.speech_text or _is_apology(turn, args.locale):
        return EXIT_SKILL_ERROR
    if turn.intent == FALLBACK_INTENT:
        return EXIT_NOT_UNDERSTOOD
    return EXIT_OK


def run_converse(
    args: argparse.Namespace,
    *,
    factory: SkillFactory,
    settings: Settings,
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """Replay scripts."""
    from .expectations import ScriptError
    from .scripts import Script, run_script, transcript

    try:
        scripts = [Script.load(path) for path in args.files]
    except (OSError, ScriptError) as error:
        print(f"converse: {error}", file=stderr)
        return EXIT_USAGE
    with contextlib.ExitStack() as stack:
        suffix = ""
        if args.use_database:
            suffix = f"-{uuid.uuid4().hex[:8]}"  # a fresh user each run, in a shared database
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="coach-")))
            settings = settings.with_(
                database_url=f"sqlite:///{folder / 'coach.db'}",
                data_dir=folder,
                auto_migrate=True,
            )
        zones = ZoneDirectory()
        skill = factory(settings, zones)
        stack.callback(_close, skill)
        failures = 0
        for script in scripts:
            try:
                result = run_script(
                    script, skill, zones=zones, user_suffix=suffix, skill_id=settings.skill_id
                )
            except ModelNotFoundError as error:
                print(f"converse: {script.path}: {error}", file=stderr)
                return EXIT_USAGE
            print(result.report(), file=stdout)
            if result.passed and args.verbose:
                for line in transcript(result.outcomes):
                    print(f"    {line}", file=stdout)
            failures += not result.passed
    total = len(scripts)
    print(f"{total - failures} passed, {failures} failed", file=stdout)
    return EXIT_MISMATCH if failures else EXIT_OK


def run(
    args: argparse.Namespace,
    *,
    factory: SkillFactory | None = None,
    settings: Settings,
    stdin: IO[str],
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """Run the console command `args.command` (chat, say or converse); returns the exit status."""
    factory = factory or _build_skill
    try:
        if args.command == "chat":
            return run_chat(
                args, factory=factory, settings=settings, stdin=stdin, stdout=stdout, stderr=stderr
            )
        if args.command == "say":
            return run_say(args, factory=factory, settings=settings, stdout=stdout, stderr=stderr)
        return run_converse(args, factory=factory, settings=settings, stdout=stdout, stderr=stderr)
    except UsageError as error:
        print(f"comeback-coach {args.command}: {error}", file=stderr)
        return EXIT_USAGE
