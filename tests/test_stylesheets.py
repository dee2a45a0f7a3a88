"""The stylesheets parse: one unbalanced brace (a merge is enough) silently drops every rule
after it, which no other test would notice until a page looked wrong."""

import re

import pytest
from django.conf import settings

STYLESHEETS = sorted((settings.BASE_DIR / "static").rglob("*.css"))


def unbalanced_at(css):
    """The line where a closing brace has no opening one, or the depth left at the end."""
    depth = 0
    css = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), css, flags=re.S)
    for number, line in enumerate(css.splitlines(), start=1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                return f"line {number}: a }} closes nothing"
    return f"{depth} block(s) left open at the end" if depth else None


def test_the_check_finds_a_rule_left_open():
    assert unbalanced_at(".a {\n  color: red;\n\n.b { color: blue; }\n") == (
        "1 block(s) left open at the end"
    )
    assert unbalanced_at(".a { }\n}\n") == "line 2: a } closes nothing"
    assert unbalanced_at("/* { */ .a { }\n") is None


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_every_stylesheet_has_balanced_braces(path):
    assert unbalanced_at(path.read_text()) is None
