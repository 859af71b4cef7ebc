"""The ``cfn-doctor`` command.

``cfn-doctor convert|check|fix|rules ...`` run headless; ``cfn-doctor [FILE]`` opens the
desktop editor, whose modules (and Qt) are imported only then.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from app.document import Document
from app.errors import TemplateError
from app.loading import Format, format_for_name

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2

Command = Callable[[argparse.Namespace], int]


def _output_format(out: str, document: Document, explicit: str | None = None) -> Format:
    if explicit in ("json", "yaml"):
        return explicit  # type: ignore[return-value]
    return format_for_name(out) or document.format


def run_convert(args: argparse.Namespace) -> int:
    document = Document.open(args.input)
    document.save(args.output, _output_format(args.output, document))
    return EXIT_OK


def _add_convert(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "convert",
        help="write a template in another format (or re-write it in its own)",
        description="Write IN to OUT in the format OUT's extension names (.json, .yaml, .yml; "
        "any other extension keeps IN's format). Same format and no edits: byte-identical.",
    )
    parser.add_argument("input", metavar="IN")
    parser.add_argument("-o", "--output", metavar="OUT", required=True)
    parser.set_defaults(command=run_convert)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cfn-doctor",
        description="Find and fix what endangers a CloudFormation stack's data.",
    )
    commands = parser.add_subparsers(metavar="COMMAND")
    _add_convert(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
