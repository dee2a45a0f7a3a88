"""Check a draft for spin before it is published, as a linter checks code.

A writer or an editor runs it on a draft (a file, or "-" for standard input) and sees each hint
of the text rules (claimtrack.watch.spin.TEXT_RULES: a draft has no evidence yet, so the rules
that read evidence do not run) with its rule, the words it matched, their character offsets and
why it matters. Like a linter it exits 1 when it found hints and 0 when it found none, so a
script or a pre-publication hook can stop on it; 2 when the text could not be read.
"""

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from claimtrack.watch import spin

UNREADABLE = 2


class Command(BaseCommand):
    help = (
        "Print the spin hints in a draft (FILE, or - for standard input): rule, matched words, "
        "character offsets and explanation, or JSON lines with --format json. Exits 1 when it "
        "found hints, 0 when none, 2 when the text cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help='a UTF-8 text file, or "-" for stdin')
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text (one hint a paragraph) or json (one object a line: rule, start, end, "
            "text, explanation)",
        )

    def handle(self, *args, file, format, **options):
        text = self.read(file)
        hints = spin.lint(text)
        try:
            for hint in hints:
                self.stdout.write(self.line(hint, format))
            self.stdout.flush()
        except BrokenPipeError:
            # Read by a pipe that closed early (| head): the hints were found all the same.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None
        if options["verbosity"] > 0 and format == "text":
            found = f"{len(hints)} hint{'s' if len(hints) != 1 else ''}" if hints else "No hints"
            self.stderr.write(f"{found} in {'standard input' if file == '-' else file}.")
        if hints:
            raise SystemExit(1)

    def line(self, hint, format):
        if format == "json":
            return json.dumps(hint.as_json(), ensure_ascii=False)
        return (
            f"{hint.start}-{hint.end} {hint.rule.id}: “{hint.text}” ({hint.rule.name})\n"
            f"    {hint.explanation}"
        )

    def read(self, file):
        try:
            if file == "-":
                return sys.stdin.read()
            with open(file, encoding="utf-8") as source:
                return source.read()
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text.", returncode=UNREADABLE) from None
        except OSError as error:
            reason = error.strerror or str(error)
            raise CommandError(f"Cannot read {file}: {reason}.", returncode=UNREADABLE) from None
