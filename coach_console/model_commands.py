"""Running the model tools: `comeback-coach models check`, `models evaluate` and
`skill-package` (their options are in `commands.add_model_commands`)."""

from __future__ import annotations

import argparse
from typing import IO

from .checker import Source, check, summary

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _source(args: argparse.Namespace) -> Source:
    return Source(args.models_dir) if args.models_dir else Source.default()


def _locales(args: argparse.Namespace, source: Source, stderr: IO[str]) -> list[str] | None:
    known = source.locales()
    if not known:
        print(f"no interaction models in {source.directory}", file=stderr)
        return None
    wanted = args.locales or known
    unknown = [locale for locale in wanted if locale not in known]
    if unknown:
        print(
            f"no interaction model for {', '.join(unknown)} (available: {', '.join(known)})",
            file=stderr,
        )
        return None
    return list(wanted)


def run_check(args: argparse.Namespace, *, stdout: IO[str], stderr: IO[str]) -> int:
    """`models check`."""
    source = _source(args)
    locales = _locales(args, source, stderr)
    if locales is None:
        return EXIT_USAGE
    try:
        results = check(source, locales)
    except (OSError, ValueError) as error:  # a model or the manifest is not readable JSON
        print(f"models check: {error}", file=stderr)
        return EXIT_USAGE
    total = sum(len(findings) for findings in results.values())
    if not args.summary:
        for findings in results.values():
            for finding in findings:
                print(finding.render(), file=stdout)
        if total:
            print("", file=stdout)
    for line in summary(results):
        print(line, file=stdout)
    print(
        f"{total} finding{'s' if total != 1 else ''} in {len(locales)} "
        f"model{'s' if len(locales) != 1 else ''}",
        file=stdout,
    )
    return EXIT_FINDINGS if total else EXIT_OK


def run_evaluate(args: argparse.Namespace, *, stdout: IO[str], stderr: IO[str]) -> int:
    """`models evaluate`."""
    from .evaluation import (
        AnnotationError,
        Evaluator,
        evaluation_path,
        read_annotations,
        score_table,
    )
    from .model import InteractionModel

    source = _source(args)
    locales = _locales(args, source, stderr)
    if locales is None:
        return EXIT_USAGE
    scores = []
    failed = False
    for locale in locales:
        path = evaluation_path(source.directory, locale)
        if not path.is_file():
            print(f"{locale}: no evaluation set ({path})", file=stderr)
            failed = True
            continue
        try:
            annotations = read_annotations(path)
        except AnnotationError as error:
            print(f"{locale}: {path}: {error}", file=stderr)
            failed = True
            continue
        try:
            model = InteractionModel.load(locale, [source.directory])
        except (OSError, ValueError, KeyError) as error:
            print(f"{locale}: the model cannot be read: {error!r}", file=stderr)
            return EXIT_USAGE
        score = Evaluator(model).score(locale, annotations)
        scores.append(score)
        failed = failed or bool(score.shortfalls())
        if args.verbose:
            for miss in score.misses():
                print(f"{locale}  missed {miss.describe()}", file=stdout)
            for intent, (right, total) in score.by_intent().items():
                if right < total:
                    print(f"{locale}  {intent}: {right} of {total} understood", file=stdout)
    for line in score_table(scores, markdown=args.markdown):
        print(line, file=stdout)
    for score in scores:
        for problem in score.shortfalls():
            print(f"{score.locale}: {problem}", file=stderr)
    return EXIT_FINDINGS if failed else EXIT_OK


def run_skill_package(args: argparse.Namespace, *, stdout: IO[str], stderr: IO[str]) -> int:
    """`skill-package`."""
    from .skill_package import PackageError, write_project

    source = _source(args)
    try:
        written = write_project(source.directory, args.out)
    except PackageError as error:
        print(f"skill-package: {error}", file=stderr)
        return EXIT_USAGE
    print(f"wrote {len(written)} files to {args.out}", file=stdout)
    return EXIT_OK


def run_model_command(args: argparse.Namespace, *, stdout: IO[str], stderr: IO[str]) -> int:
    """Run `models check | evaluate` or `skill-package`; returns the exit status."""
    if args.command == "skill-package":
        return run_skill_package(args, stdout=stdout, stderr=stderr)
    if args.models_command == "check":
        return run_check(args, stdout=stdout, stderr=stderr)
    return run_evaluate(args, stdout=stdout, stderr=stderr)
