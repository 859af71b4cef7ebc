"""The ``cfn-doctor`` command.

``cfn-doctor convert|check|fix|impact|rules ...`` run headless; ``cfn-doctor [FILE]`` opens the
desktop editor, whose modules (and Qt) are imported only then.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
from collections.abc import Callable, Sequence

from app import impact_report, report
from app.analysis import analyse, analyse_all
from app.core.diffs import unified_diff
from app.core.document import Document
from app.core.errors import TemplateError
from app.core.findings import Finding, Severity
from app.core.loading import Format, decode, format_for_name
from app.fixing import fix_all
from app.impact import impact
from app.rule_docs import markdown
from rules import profiles
from rules.registry import BY_ID, RULE_IDS, RULES

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2

STDOUT = STDIN = "-"
STDIN_NAME = "<stdin>"

Command = Callable[[argparse.Namespace], int]


def _output_format(out: str, document: Document) -> Format:
    return format_for_name(out) or document.format


def run_convert(args: argparse.Namespace) -> int:
    document = Document.open(args.input)
    _write(document, args.output, _output_format(args.output, document))
    return EXIT_OK


def _read_stdin() -> Document:
    text, _ = decode(sys.stdin.buffer.read(), STDIN_NAME)
    return Document.from_text(text, STDIN_NAME)


def _write(document: Document, out: str, format: Format) -> None:
    """Save to ``out``, or print the text when ``out`` is ``-``."""
    if out == STDOUT:
        sys.stdout.write(document.render(format))
    else:
        document.save(out, format)


def _print_diff(path: str, before: str, after: str, *, bom: bool) -> None:
    """A patch that turns the file at ``path`` into ``after`` (``before`` is its text),
    named by its path from the current folder so that ``git apply``/``patch -p1`` run
    here find it; a file outside it goes by its base name."""
    relative = os.path.relpath(path)
    label = os.path.basename(path) if relative.startswith(os.pardir) else relative
    mark = "\ufeff" if bom else ""
    sys.stdout.write(unified_diff(mark + before, mark + after, f"a/{label}", f"b/{label}"))


def _add_convert(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "convert",
        help="write a template in another format (or re-write it in its own)",
        description="Write IN to OUT in the format OUT's extension names (.json, .yaml, .yml; "
        "any other extension keeps IN's format). Same format and no edits: byte-identical.",
    )
    parser.add_argument("input", metavar="IN")
    parser.add_argument("-o", "--output", metavar="OUT", required=True, help="output file, or - for stdout")
    parser.set_defaults(command=run_convert)


def run_check(args: argparse.Namespace) -> int:
    threshold = Severity.parse(args.min_severity)
    results: list[report.FileResult] = []
    unreadable = False
    for given in args.files:
        path = STDIN_NAME if given == STDIN else given
        try:
            document = _read_stdin() if given == STDIN else Document.open(path)
            profile = profiles.for_template(args.profile, path, RULE_IDS)
            findings = analyse_all(document, profile, cfn_lint=not args.no_cfn_lint)
        except TemplateError as error:
            unreadable = True
            print(error, file=sys.stderr)
            results.append(report.FileResult(path, error=str(error)))
            continue
        results.append(report.FileResult(path, [f for f in findings if f.severity >= threshold]))
    sys.stdout.write(report.FORMATS[args.format](results))
    if unreadable:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if any(result.findings for result in results) else EXIT_OK


def run_fix(args: argparse.Namespace) -> int:
    unknown = sorted(set(args.rule or []) - RULE_IDS)
    if unknown:
        print(f"cfn-doctor: unknown rule {unknown[0]} (see `cfn-doctor rules`)", file=sys.stderr)
        return EXIT_BAD_INPUT
    document = Document.open(args.file)
    if args.diff and args.format not in (None, document.format):
        print(f"cfn-doctor: --diff patches {args.file} in its own format ({document.format}); "
              f"convert it first to diff as {args.format}", file=sys.stderr)
        return EXIT_BAD_INPUT
    profile = profiles.for_template(args.profile, args.file, RULE_IDS)
    original = document.text
    fixed = fix_all(document, profile, analyse, rules=set(args.rule) if args.rule else None,
                    unsafe=args.unsafe_fixes)
    target_format: Format = (args.format or (format_for_name(args.output) if args.output else None)
                             or document.format)
    remaining = analyse(document, profile)
    for warning in document.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.diff:
        _print_diff(args.file, original, document.text, bom=document.bom)
    else:
        _write(document, args.file if args.in_place else args.output or STDOUT, target_format)
    print(_fix_summary(len(fixed.applied), remaining, unsafe_requested=args.unsafe_fixes), file=sys.stderr)
    return EXIT_OK


def _fix_summary(applied: int, remaining: Sequence[Finding], *, unsafe_requested: bool) -> str:
    summary = (f"cfn-doctor: applied {applied} fix{'es' if applied != 1 else ''}; "
               f"{len(remaining)} finding{'s' if len(remaining) != 1 else ''} remain")
    unsafe_left = sum(1 for finding in remaining if finding.fix and finding.fix.safety == "unsafe")
    if unsafe_left and not unsafe_requested:
        summary += f" ({unsafe_left} with an unsafe fix: --unsafe-fixes)"
    return summary


def run_impact(args: argparse.Namespace) -> int:
    expected = 1 if args.git else 2
    if len(args.files) != expected:
        given = "--git REV FILE" if args.git else "OLD NEW"
        print(f"cfn-doctor: impact takes {given} ({len(args.files)} file{'s' if len(args.files) != 1 else ''} given)",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    new_path = args.files[-1]
    new = Document.open(new_path)
    if args.git:
        try:
            old = _committed(args.git, new_path)
        except GitError as error:
            print(f"cfn-doctor: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    else:
        old = Document.open(args.files[0])
    profile = profiles.for_template(args.profile, new_path, RULE_IDS)
    found = impact(old, new, profile)
    sys.stdout.write(impact_report.FORMATS[args.format](found))
    return EXIT_FINDINGS if found.loses_data else EXIT_OK


class GitError(Exception):
    """A file that git cannot give as it was at a revision (the message says why)."""


def _committed(revision: str, path: str) -> Document:
    """The template at ``path`` as committed at ``revision``, named ``REV:path``."""
    folder = os.path.dirname(os.path.abspath(path))
    prefix = _git(folder, "rev-parse", "--show-prefix",
                  failure=f"{path} is not in a git repository (--git reads OLD from its history)").strip()
    _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", failure=f"unknown revision {revision}")
    spec = f"{revision}:{prefix}{os.path.basename(path)}"
    raw = _git_bytes(folder, "show", spec, failure=f"{path} is not in {revision}")
    text, _ = decode(raw, spec)
    return Document.from_text(text, spec, format_for_name(path))


def _git(folder: str, *arguments: str, failure: str) -> str:
    return _git_bytes(folder, *arguments, failure=failure).decode("utf-8", "replace")


def _git_bytes(folder: str, *arguments: str, failure: str) -> bytes:
    """What ``git ARGUMENTS`` run in ``folder`` prints; GitError with ``failure`` and git's
    own first line when it fails."""
    try:
        done = subprocess.run(["git", *arguments], cwd=folder, capture_output=True, check=False)
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        said = next((line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()), "")
        raise GitError(f"{failure} (git: {said})" if said else failure)
    return done.stdout


def run_rules(args: argparse.Namespace) -> int:
    if args.markdown:
        sys.stdout.write(markdown())
        return EXIT_OK
    if args.id:
        rule = BY_ID.get(args.id.upper())
        if rule is None:
            print(f"cfn-doctor: unknown rule {args.id} (see `cfn-doctor rules`)", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"{rule.id}  {rule.title}  [{rule.severity.label}]\n")
        print(rule.documentation())
        print(f"\nDocs: {rule.docs_url}")
        return EXIT_OK
    for rule in RULES:
        fix = "fix" if rule.can_fix() else "   "
        print(f"{rule.id}  {rule.severity.label:<8}  {fix}  {rule.title}")
    return EXIT_OK


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "check",
        help="report findings",
        description="Report CFN Doctor's and cfn-lint's findings. "
        "Exit 0: nothing at or above --min-severity; 1: findings; 2: a file could not be read.",
    )
    parser.add_argument("files", metavar="FILE", nargs="+", help="template file, or - for standard input")
    parser.add_argument("--profile", metavar="P", help="built-in profile name or profile file "
                        "(default: .cfn-doctor.yaml beside the template, else 'default')")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument("--no-cfn-lint", action="store_true", help="run CFN Doctor's rules only")
    parser.add_argument("--min-severity", metavar="S", default="low", choices=[s.label for s in Severity],
                        help="lowest severity reported and counted (default: low)")
    parser.set_defaults(command=run_check)


def _add_fix(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "fix",
        help="apply safe fixes",
        description="Apply every safe fix (or the named rules'), then write "
        "OUT, the file itself (--in-place), or the template to stdout.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--profile", metavar="P")
    parser.add_argument("--rule", metavar="ID", action="append", type=str.upper,
                        help="only this rule's fixes (repeatable)")
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="also apply fixes that replace a resource or lose data")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT", help="output file, or - for stdout (the default)")
    where.add_argument("--in-place", action="store_true")
    where.add_argument("--diff", action="store_true",
                       help="print a patch of FILE (in its own format) instead of the template")
    parser.add_argument("--format", choices=("json", "yaml"))
    parser.set_defaults(command=run_fix)


def _add_impact(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "impact",
        help="what deploying a new version of a template does to a stack's resources and data",
        description="Predict, offline, what deploying NEW over a stack deployed from OLD does: which resources "
        "are added, modified, replaced or removed, and whether their data is lost, kept or snapshotted. "
        "With --git REV, OLD is FILE as committed at REV (HEAD, origin/main...). "
        "Exit 0: no data is lost; 1: data is lost (or may be); 2: a template or the revision cannot be read.",
    )
    parser.add_argument("files", metavar="FILE", nargs="+", help="OLD NEW, or FILE with --git")
    parser.add_argument("--git", metavar="REV", help="compare FILE with FILE as committed at REV")
    parser.add_argument("--format", choices=tuple(impact_report.FORMATS), default="text")
    parser.add_argument("--profile", metavar="P", help="built-in profile name or profile file, for stateful types "
                        "(default: .cfn-doctor.yaml beside NEW, else 'default')")
    parser.set_defaults(command=run_impact)


def _add_rules(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("rules", help="list the rules, or explain one",
                                 description="List the rules, or print one rule's documentation.")
    parser.add_argument("id", metavar="ID", nargs="?")
    parser.add_argument("--markdown", action="store_true", help="print the rule reference as Markdown")
    parser.set_defaults(command=run_rules)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cfn-doctor",
        description="Find and fix what endangers a CloudFormation stack's data.",
    )
    commands = parser.add_subparsers(metavar="COMMAND")
    _add_check(commands)
    _add_fix(commands)
    _add_impact(commands)
    _add_rules(commands)
    _add_convert(commands)
    return parser


COMMANDS = ("check", "fix", "impact", "rules", "convert")


def build_editor_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cfn-doctor",
        usage="cfn-doctor [FILE] [--profile P] [--screenshot OUT.png [--select LOGICAL_ID] [--tab T]]\n"
        f"       cfn-doctor {{{','.join(COMMANDS)}}} ...",
        description="Open the CFN Doctor editor. Headless commands: cfn-doctor check|fix|impact|rules|convert --help",
    )
    # Any number is accepted here so that a mistyped command gets its own message.
    parser.add_argument("files", metavar="FILE", nargs="*", help="template to open")
    parser.add_argument("--profile", metavar="P", help="profile name or file for this session")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="render the window at 1400x900 after loading and cfn-lint, save, exit")
    parser.add_argument("--select", metavar="LOGICAL_ID", help="with --screenshot: select this resource first")
    parser.add_argument("--tab", choices=("properties", "source"), default="properties",
                        help="with --screenshot: the centre tab shown")
    return parser


def _editor_usage_error(files: Sequence[str]) -> str | None:
    """Why the positional arguments cannot be the editor's; None when they can."""
    if not files:
        return None
    first = files[0]
    if not os.path.lexists(first) and os.sep not in first and "." not in first:
        close = difflib.get_close_matches(first.lower(), COMMANDS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"commands: {', '.join(COMMANDS)}"
        return f"unknown command '{first}' ({hint})"
    if len(files) > 1:
        return f"the editor opens one FILE, not {len(files)} (cfn-doctor check FILE... reads several)"
    return None


def run_editor(arguments: Sequence[str]) -> int:
    parser = build_editor_parser()
    args = parser.parse_intermixed_args(arguments)
    problem = _editor_usage_error(args.files)
    if problem:
        parser.print_usage(sys.stderr)
        print(f"cfn-doctor: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    args.file = args.files[0] if args.files else None
    from widgets.app import main as gui  # noqa: PLC0415 - Qt only for the editor

    try:
        return gui(args)
    except TemplateError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0] not in COMMANDS and arguments[0] not in ("-h", "--help")):
        return run_editor(arguments)
    parser = build_parser()
    args = parser.parse_args(arguments)
    command: Command | None = getattr(args, "command", None)
    if command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return command(args)
    except TemplateError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error of ours, and nothing left to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
