"""One broken bank per problem class; each message names the file, line and what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hiring.bank import check_bank, load_bank
from hiring.errors import BankError
from tests.conftest import invoke

TEAMWORK = Path("competencies/teamwork.yaml")
ARGUMENTS = Path("competencies/avoiding-arguments.yaml")
ROLE = Path("roles/inbound-agent.yaml")


def problems_of(bank: Path) -> list[str]:
    loaded, problems = check_bank([bank])
    assert loaded is None, "expected the bank to be invalid"
    return [str(p) for p in problems]


def edit(bank: Path, relative: Path, old: str, new: str) -> Path:
    path = bank / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


def test_small_bank_is_valid(small_bank: Path) -> None:
    bank, problems = check_bank([small_bank])
    assert problems == []
    assert bank is not None
    assert sorted(bank.competencies) == ["avoiding-arguments", "teamwork"]
    assert re.fullmatch(r"[0-9a-f]{12}", bank.version)


def test_yaml_syntax_error(small_bank: Path) -> None:
    path = edit(small_bank, TEAMWORK, "  kind: strength\n", "  kind: [strength\n")
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:")
    assert "YAML syntax error" in message


def test_wrong_type_names_key_path_and_line(small_bank: Path) -> None:
    path = edit(small_bank, ROLE, "      minutes: 20", "      minutes: twenty")
    message = only(problems_of(small_bank))
    line = line_of(path, "minutes: twenty")
    assert message.startswith(f"{path}:{line}:")
    assert "role.rounds[0].minutes" in message
    assert "'twenty'" in message


def test_unknown_key_suggests_the_right_one(small_bank: Path) -> None:
    path = edit(small_bank, TEAMWORK, "  definition:", "  definiton:")
    problems = problems_of(small_bank)
    unknown = [p for p in problems if "unknown key 'definiton'" in p]
    assert len(unknown) == 1
    assert unknown[0].startswith(f"{path}:{line_of(path, 'definiton:')}:3:")
    assert "did you mean 'definition'?" in unknown[0]
    # and the real key is now missing
    assert any("missing required key 'definition'" in p for p in problems)


def test_duplicate_key_in_a_mapping(small_bank: Path) -> None:
    path = edit(small_bank, TEAMWORK, "  kind: strength\n", "  kind: strength\n  kind: weakness\n")
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:4:3:")
    assert "duplicate key 'kind' in competency (first at line 3)" in message


def test_duplicate_question_id_across_files(small_bank: Path) -> None:
    # Files are read in sorted order, so the second definition is the one in teamwork.yaml.
    first = edit(small_bank, ARGUMENTS, "- id: avoiding-arguments-01", "- id: teamwork-01")
    second = small_bank / TEAMWORK
    message = only(problems_of(small_bank))
    assert message.startswith(f"{second}:{line_of(second, 'id: teamwork-01')}:7:")
    assert "duplicate question id 'teamwork-01'" in message
    assert f"already defined at {first}:{line_of(first, 'id: teamwork-01')})" in message


def test_duplicate_competency_id_across_files(small_bank: Path) -> None:
    copy = small_bank / "competencies" / "teamwork-copy.yaml"
    text = (small_bank / TEAMWORK).read_text(encoding="utf-8")
    copy.write_text(re.sub(r"teamwork-0(\d)", r"teamwork-copy-0\1", text), encoding="utf-8")
    message = only(problems_of(small_bank))
    # "teamwork-copy.yaml" sorts before "teamwork.yaml", so the original is the second one read.
    assert message.startswith(f"{small_bank / TEAMWORK}:2:3: duplicate competency id 'teamwork'")
    assert message.endswith(f"already defined at {copy}:2)")


def test_missing_language_the_role_offers(small_bank: Path) -> None:
    path = edit(
        small_bank,
        TEAMWORK,
        "      probes:\n        - {en: What did you say to them?, "
        "da: Hvad sagde du til kollegaen?}",
        "      probes:\n        - {en: What did you say to them?}",
    )
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:{line_of(path, 'What did you say to them?')}:")
    assert "missing language da" in message
    assert "competency.questions[0].probes[0]" in message
    assert "role 'inbound-agent' is offered in en, da" in message


def test_role_naming_unknown_competency(small_bank: Path) -> None:
    path = edit(small_bank, ROLE, "- {id: teamwork, weight: 1.0}", "- {id: teamwrok, weight: 1.0}")
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:{line_of(path, 'teamwrok')}:")
    assert "unknown competency 'teamwrok'" in message
    assert "did you mean 'teamwork'?" in message


def test_missing_anchor_on_an_anchored_point(small_bank: Path) -> None:
    # zero-to-three anchors 0, 2 and 3; point 1 needs none.
    path = edit(small_bank, ARGUMENTS, "    2: {en: Explains", "    1: {en: Explains")
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:{line_of(path, '  anchors:')}:")
    assert "missing anchor for point 2" in message
    assert "needs anchors on 0, 2, 3" in message


def test_anchor_outside_the_scale(small_bank: Path) -> None:
    path = edit(small_bank, ARGUMENTS, "    3: {en: Acknowledges", "    3: {en: Acknowledges")
    text = path.read_text(encoding="utf-8").replace(
        "  listen_for:", "    4: {en: Too high., da: For højt.}\n  listen_for:", 1
    )
    path.write_text(text, encoding="utf-8")
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:{line_of(path, '4: {en: Too high.')}:5:")
    assert "anchor for point 4, outside the scale 'zero-to-three' 0-3" in message


def test_non_utf8_file(small_bank: Path) -> None:
    path = small_bank / TEAMWORK
    raw = path.read_bytes().replace(b"Samarbejde", "Samarbejde \xe6".encode("latin-1"), 1)
    path.write_bytes(raw)
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:5:")
    assert "not valid UTF-8" in message


def test_empty_file(small_bank: Path) -> None:
    path = small_bank / "competencies" / "empty.yaml"
    path.write_text("# nothing yet\n\n", encoding="utf-8")
    message = only(problems_of(small_bank))
    assert message == (
        f"{path}:1:1: file is empty (expected one of scales:, competency:, role:, glossary:, "
        "decision_reasons:)"
    )


def test_file_over_the_size_cap(small_bank: Path) -> None:
    path = small_bank / "competencies" / "huge.yaml"
    path.write_text("# " + "x" * 1_100_000 + "\n", encoding="utf-8")
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:1:1: file is 1,100,003 bytes, over the 1,000,000-byte cap")


def test_billion_laughs_is_refused_before_expansion(small_bank: Path) -> None:
    path = small_bank / "bomb.yaml"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev, cur = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:1:4: anchor &a is not allowed")


def test_alias_is_refused(small_bank: Path) -> None:
    path = edit(
        small_bank,
        TEAMWORK,
        "      probes:\n",
        "      probes: *shared\n      x:\n",
    )
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:")
    assert "alias *shared is not allowed" in message or "YAML syntax error" in message


def test_yaml11_boolean_language_code_is_refused(small_bank: Path) -> None:
    # Norwegian 'no' would silently become False under YAML 1.1.
    path = edit(small_bank, ROLE, "languages: [en, da]", "languages: [en, da, no]")
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:{line_of(path, 'languages:')}:")
    assert "'no' is read by YAML as a boolean; quote it" in message


def test_yaml11_sexagesimal_is_refused(small_bank: Path) -> None:
    path = edit(small_bank, ROLE, "      minutes: 20", "      minutes: 1:30")
    message = only(problems_of(small_bank))
    assert message.startswith(f"{path}:{line_of(path, 'minutes: 1:30')}:16:")
    assert "base-60" in message


def test_every_problem_is_reported_not_just_the_first(small_bank: Path) -> None:
    edit(small_bank, TEAMWORK, "  kind: strength", "  kind: strong")
    edit(small_bank, ROLE, "      minutes: 20", "      minutes: -5")
    (small_bank / "competencies" / "empty.yaml").write_text("", encoding="utf-8")
    problems = problems_of(small_bank)
    assert len(problems) >= 3
    assert any("competency.kind" in p for p in problems)
    assert any("role.rounds[0].minutes" in p for p in problems)
    assert any("empty.yaml:1:1: file is empty" in p for p in problems)


def test_load_bank_raises_bank_error_with_all_problems(small_bank: Path) -> None:
    edit(small_bank, TEAMWORK, "  kind: strength", "  kind: strong")
    with pytest.raises(BankError) as caught:
        load_bank([small_bank])
    assert str(caught.value).startswith("invalid question bank: ")
    assert len(caught.value.problems) == 1


def test_validate_command_exit_codes_and_lines(small_bank: Path, runner) -> None:  # type: ignore[no-untyped-def]
    ok = invoke(runner, "bank", "validate", str(small_bank))
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith("ok: 2 competencies, 5 questions, 1 roles")

    path = edit(small_bank, ROLE, "      minutes: 20", "      minutes: twenty")
    bad = invoke(runner, "bank", "validate", str(small_bank))
    assert bad.exit_code == 1
    lines = bad.stderr.strip().splitlines()
    assert lines[0].startswith(f"{path}:{line_of(path, 'minutes: twenty')}:")
    assert lines[-1] == "1 problem(s) found"
    assert "Traceback" not in bad.output
