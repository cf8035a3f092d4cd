"""Render the skill's APL screens in Amazon's open-source APL engine, offline.

    python -m scripts.screens            # refresh the screenshots in docs/screens/
    python -m scripts.screens --all OUT  # every screen, every tested locale and device, in OUT

It uses the shared renderer (../shared/tools/apl-render, see its README), installed by
`.ci/run` into APL_RENDER_DIR (default ~/.cache/comeback-coach/apl-render):
`bash ../shared/tools/apl-render/setup.sh ~/.cache/comeback-coach/apl-render`.
The screens show sample users on 2026-02-01, the renderer's fixed date; their figures come
from the skill's own data sources (skill/alexa/screens.py), as a request would build them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from skill.alexa import screens
from skill.domain import rules
from skill.domain.model import Activity, Contact, DayEntry, Stage
from skill.domain.progress import summarize
from skill.i18n import Strings
from skill.services import History, ProgressResult, Status

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "screens"
RENDERER_ENV = "APL_RENDER_DIR"
DEFAULT_RENDERER = Path.home() / ".cache" / "comeback-coach" / "apl-render"
#: The renderer's clock is fixed at this day (its README), so the samples live on it too.
TODAY = date(2026, 2, 1)
DEVICES = ("show5", "show8", "show15", "spot", "firetv")
LOCALES = ("en-US", "de-DE", "ja-JP", "ar-SA", "hi-IN")
#: The screenshots kept in docs/screens/ and shown in the README.
DOC_SHOTS = (("streak", "progress"), ("show8", "spot"), ("en-US", "ar-SA"))


def renderer_dir() -> Path:
    """Where the shared renderer is installed (set APL_RENDER_DIR to use another copy)."""
    return Path(os.environ.get(RENDERER_ENV) or DEFAULT_RENDERER)


def renderer_installed() -> bool:
    """Whether render.mjs can run: the tool, its npm packages, node and Chromium."""
    folder = renderer_dir()
    return (
        (folder / "render.mjs").is_file()
        and (folder / "node_modules" / "puppeteer-core").is_dir()
        and shutil.which("node") is not None
        and Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")).exists()
    )


# -- sample users ---------------------------------------------------------------------------


def _log(ago: int, contact: Contact, activity: Activity, confidence: int) -> DayEntry:
    return DayEntry(TODAY - timedelta(days=ago), contact, activity, confidence)


#: Three weeks of a journey: mostly logged, one slip, one necessary call, a few days missed.
JOURNEY = (
    _log(20, Contact.NONE, Activity.FRIENDS, 4),
    _log(18, Contact.NONE, Activity.SELF_CARE, 4),
    _log(16, Contact.NONE, Activity.EXERCISE, 5),
    _log(15, Contact.NONE, Activity.FRIENDS, 5),
    _log(13, Contact.NONE, Activity.HOBBY, 5),
    _log(12, Contact.NECESSARY, Activity.NONE, 4),
    _log(11, Contact.NONE, Activity.EXERCISE, 6),
    _log(10, Contact.SOME, Activity.NONE, 3),
    _log(9, Contact.NONE, Activity.FRIENDS, 5),
    _log(8, Contact.NONE, Activity.SELF_CARE, 6),
    _log(6, Contact.NONE, Activity.EXERCISE, 6),
    _log(5, Contact.NONE, Activity.FRIENDS, 7),
    _log(4, Contact.NECESSARY, Activity.HOBBY, 6),
    _log(2, Contact.NONE, Activity.EXERCISE, 8),
    _log(1, Contact.NONE, Activity.FRIENDS, 7),
    _log(0, Contact.NONE, Activity.HOBBY, 8),
)


def journey_status(entries: Iterable[DayEntry] = JOURNEY, **changes: Any) -> Status:
    """A user three weeks in, at the confidence stage, as the services report them."""
    entries = tuple(entries)
    first = TODAY - timedelta(days=rules.SCREEN_HISTORY_DAYS - 1)
    days = tuple(e for e in entries if e.day >= first)
    logs = tuple(e for e in entries if e.is_log)[-rules.SCREEN_HISTORY_DAYS :]
    status = Status(
        is_new=False,
        stage=Stage.CONFIDENCE,
        today=TODAY,
        started=True,
        no_contact_days=10,
        best_streak=10,
        log_streak=3,
        logged_today=any(e.day == TODAY for e in entries),
        journey_days=21,
        contact_free_days=20,
        next_milestone=14,
        milestone=None,
        unsafe=False,
        log_days=len(logs),
        history=History(days, logs),
    )
    return status._replace(**changes)


def progress_result(status: Status, entries: Iterable[DayEntry] = JOURNEY) -> ProgressResult:
    """The week's figures of a sample user, from the domain's own summary."""
    return ProgressResult(status, summarize(tuple(entries), TODAY), urges=2)


@dataclass(frozen=True)
class Sample:
    """One screen of one sample user in one locale."""

    name: str  # e.g. "streak-en-US"
    screen: screens.Screen
    locale: str
    status: Status
    progress: ProgressResult | None = None

    def directive(self) -> dict[str, Any]:
        """The RenderDocument directive the skill would send."""
        strings = Strings(self.locale)
        return {
            "type": "Alexa.Presentation.APL.RenderDocument",
            "token": screens.TOKEN,
            "document": screens.document(self.screen, strings.locale),
            "datasources": screens.datasource(
                self.screen, strings, self.status, progress=self.progress
            ),
        }


def samples(locales: Iterable[str] = LOCALES) -> Iterator[Sample]:
    """Every screen for each locale, and the variants worth a look: a user on their third
    day, and one rebuilding after the meeting."""
    status = journey_status()
    for locale in locales:
        yield Sample(f"streak-{locale}", "streak", locale, status)
        yield Sample(f"progress-{locale}", "progress", locale, status, progress_result(status))
        yield Sample(f"day_log-{locale}", "day_log", locale, status)
    recent = [e for e in JOURNEY if e.day > TODAY - timedelta(days=3)]
    newcomer = journey_status(recent, journey_days=3, no_contact_days=2, best_streak=2)
    yield Sample("streak-new-en-US", "streak", "en-US", newcomer)
    yield Sample(
        "progress-new-ar-SA", "progress", "ar-SA", newcomer, progress_result(newcomer, recent)
    )
    rebuilding = status._replace(
        stage=Stage.REKINDLING, met=True, days_since_meeting=11, log_days=52
    )
    yield Sample("streak-rebuild-de-DE", "streak", "de-DE", rebuilding)


# -- rendering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A sample's renders: the renderer's report and its exit status."""

    sample: Sample
    folder: Path
    returncode: int
    report: dict[str, Any]
    output: str


def render(sample: Sample, out: Path, devices: Iterable[str] = DEVICES) -> Rendered:
    """Render one sample on the devices with render.mjs, into out/<sample name>/."""
    folder = out / sample.name
    folder.mkdir(parents=True, exist_ok=True)
    directive = folder / "directive.json"
    directive.write_text(json.dumps(sample.directive(), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [
            *("node", str(renderer_dir() / "render.mjs"), "--directive", str(directive)),
            *("--device", ",".join(devices), "--out", str(folder)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report_file = folder / "report.json"
    report = json.loads(report_file.read_text(encoding="utf-8")) if report_file.exists() else {}
    return Rendered(sample, folder, run.returncode, report, run.stdout + run.stderr)


def render_all(
    items: Iterable[Sample], out: Path, devices: Iterable[str] = DEVICES, jobs: int = 0
) -> list[Rendered]:
    """Render many samples, several renderer processes at once (each starts its own
    Chromium; the engine's start-up, not the layout, is most of a render's time)."""
    devices = tuple(devices)
    workers = jobs or max(2, (os.cpu_count() or 2) + 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda s: render(s, out, devices), items))


def problems(rendered: Rendered) -> list[str]:
    """Render failures, errors, and components bigger than their parent, per device."""
    found = []
    if rendered.returncode != 0 or not rendered.report.get("ok"):
        found.append(f"render failed ({rendered.returncode}): {rendered.output[-500:]}")
    for device, result in rendered.report.get("devices", {}).items():
        found += [f"{device}: {e}" for e in result.get("errors", [])]
        found += [f"{device}: {e}" for e in result.get("runtimeErrors", [])]
        found += [
            f"{device}: {w}"
            for w in result.get("warnings", [])
            if "bigger than parent" in w or "PEGTL" in w
        ]
    return found


def validate(sample: Sample, out: Path) -> list[dict[str, Any]]:
    """apl-suggester's findings on a sample's document and data source."""
    folder = out / sample.name
    folder.mkdir(parents=True, exist_ok=True)
    directive = folder / "directive.json"
    directive.write_text(json.dumps(sample.directive(), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        ["node", str(renderer_dir() / "validate.mjs"), str(directive)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if run.returncode not in (0, 1):
        return [{"message": f"validate.mjs failed ({run.returncode}): {run.stderr[-500:]}"}]
    findings: list[dict[str, Any]] = json.loads(run.stdout)["findings"]
    return findings


def write_docs() -> list[str]:
    """Render the README's screenshots into docs/screens/ (<screen>-<device>-<locale>.png)."""
    names, devices, locales = DOC_SHOTS
    wanted = [s for s in samples(locales) if s.screen in names and s.name.count("-") == 2]
    DOCS.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for rendered in render_all(wanted, Path(tmp), devices):
            if problems(rendered):
                raise SystemExit(f"{rendered.sample.name}: {problems(rendered)}")
            for device in devices:
                target = DOCS / f"{rendered.sample.screen}-{device}-{rendered.sample.locale}.png"
                shutil.copyfile(rendered.folder / f"{device}.png", target)
                written.append(str(target.relative_to(ROOT)))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--all", metavar="OUT", help="render every sample into OUT")
    args = parser.parse_args(argv)
    if not renderer_installed():
        print(f"the APL renderer is not installed in {renderer_dir()} (see --help)")
        return 2
    if args.all:
        failed = 0
        for rendered in render_all(samples(), Path(args.all)):
            found = problems(rendered)
            failed += bool(found)
            print(f"{rendered.sample.name}: {'; '.join(found) if found else 'ok'}")
        return 1 if failed else 0
    for path in write_docs():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
