"""lint_text: a draft checked for spin before publication, like a linter (exit 1 on hints)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claimtrack.watch import spin

DRAFT = "Ketamine is a breakthrough: depression lifts within hours, 50% fewer relapses.\n"


def lint(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("lint_text", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def test_it_prints_each_hint_with_rule_words_offsets_and_explanation_and_exits_1(draft):
    code, out, err = lint(str(draft))
    assert code == 1
    start = DRAFT.index("breakthrough")
    assert out.splitlines()[:2] == [
        f"{start}-{start + 12} hype: “breakthrough” (Hype word)",
        f"    {spin.HYPE.explanation}",
    ]
    assert "within hours” (Promise of time to effect)" in out
    assert "50% fewer” (Relative effect without absolute numbers)" in out
    assert err.strip() == f"3 hints in {draft}."


def test_json_lines_have_exactly_the_five_fields_and_exact_offsets(draft):
    code, out, _ = lint(str(draft), "--format", "json")
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["rule"] for row in rows] == ["hype", "time-to-effect", "relative-without-absolute"]
    for row in rows:
        assert list(row) == ["rule", "start", "end", "text", "explanation"]
        assert DRAFT[row["start"] : row["end"]] == row["text"]
        assert row["explanation"] == spin.RULES_BY_ID[row["rule"]].explanation


def test_a_draft_without_hints_exits_0(tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text("In a trial of 73 patients, about half responded to ketamine.", "utf-8")
    assert lint(str(path)) == (0, "", f"No hints in {path}.\n")
    assert lint(str(path), "--format", "json") == (0, "", "")


def test_the_evidence_rules_do_not_run_on_a_draft(tmp_path):
    path = tmp_path / "advice.txt"
    path.write_text("You should ask your doctor about ketamine; it prevents relapse.", "utf-8")
    assert lint(str(path))[0] == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "Cannot read {path}: No such file or directory."),
        (b"\xff\xfe caf\xe9", "{path} is not UTF-8 text."),
    ],
)
def test_an_unreadable_file_is_one_clear_line(tmp_path, content, message):
    path = tmp_path / "draft.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        lint(str(path))
    assert str(refused.value) == message.format(path=path)
    assert refused.value.returncode == 2


def test_from_standard_input_as_a_process():
    """The way a hook runs it: text on stdin, JSON lines out, the exit status."""
    command = [sys.executable, "manage.py", "lint_text", "-", "--format", "json"]
    env = {"SECRET_KEY": "x", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    ran = subprocess.run(
        command, input=DRAFT, capture_output=True, text=True, cwd=settings.BASE_DIR, env=env
    )
    assert ran.returncode == 1, ran.stderr
    assert [json.loads(line)["text"] for line in ran.stdout.splitlines()] == [
        "breakthrough",
        "within hours",
        "50% fewer",
    ]
    missing = subprocess.run(
        [sys.executable, "manage.py", "lint_text", "/no/such/draft.txt"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        "CommandError: Cannot read /no/such/draft.txt: No such file or directory."
    ]
