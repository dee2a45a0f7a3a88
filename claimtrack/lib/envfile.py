"""The local settings file: `.env` at the repository root, written by `make run` (git-ignored).

KEY=VALUE lines, as django-environ and docker read them: blank lines and # comments skipped,
one pair of surrounding quotes taken off. The real environment wins over the file, so the file
only fills in what a developer did not set; production sets its variables and has no file.
"""

import os
import re

LINE = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*")


def parse(text):
    """{name: value} of an env file's text; a line that is not KEY=VALUE is an error, named
    by its number (never by its content, which may be a secret)."""
    values = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = LINE.fullmatch(line)
        if match is None:
            raise ValueError(f"line {number} is not NAME=value")
        name, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def load(path, environ=os.environ):
    """Put the file's values into environ where it has none (or an empty one, which every
    setting reads as unset). No file, nothing to do."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    values = parse(text)
    for name, value in values.items():
        if not environ.get(name):
            environ[name] = value
    return values
