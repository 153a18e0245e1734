"""Variables and conditions: read with their line, checked against course.yaml's declarations,
given to the player, drawn by `graph`, and linted for conditions that can never (or always) hold."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
from support.coursekit import line_of, write
from support.people import PNG
from support.story import COURSE, SCENES, story_course

from scormbuild.commands.build import build
from scormbuild.commands.graph import scenario_graph
from scormbuild.content.conditions import parse_condition
from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors, Location
from scormbuild.lint import course_warnings
from scormbuild.player_data import course_data
from scormbuild.reference import json_schema
from scormbuild.scenario import reachable_scenes
from scormbuild.variables import evaluate, outcomes, ranges

HERE = Location(Path("scene.md"), 3)


@pytest.mark.parametrize("text, tree", [
    ("score >= 80", (">=", ("score",), ("lit", 80))),
    ("told", ("var", "told")),
    ("not told", ("not", ("var", "told"))),
    ("told and trust > 2 or passed", ("or", ("and", ("var", "told"), (">", ("var", "trust"), ("lit", 2))), ("passed",))),
    ("0 < trust < 3", ("and", ("<", ("lit", 0), ("var", "trust")), ("<", ("var", "trust"), ("lit", 3)))),
    ("trust == -1", ("==", ("var", "trust"), ("lit", -1))),
    ("told == false", ("==", ("var", "told"), ("lit", False))),
    ("told && trust != 1", ("and", ("var", "told"), ("!=", ("var", "trust"), ("lit", 1)))),
])
def test_conditions_compile_to_the_tree_the_player_evaluates(text, tree):
    assert parse_condition(text, HERE).tree == tree


@pytest.mark.parametrize("text, message, hint", [
    ("trust = 2", "is not a condition scormbuild can read", "compare with `==`"),
    ("trust >", "is not a condition scormbuild can read", "a comparison such as"),
    ("__import__('os').system('x')", "which is not a variable", "a comparison such as"),
    ("trust + 1 > 2", "which is not a variable", ""),
    ("sam.trust > 2", "which is not a variable", ""),
    ("name == 'Sam'", "which is not a variable", ""),
    ("trust in (1, 2)", "uses `In`", "compare with =="),
    ("trust > 1.5", "which is not a variable", ""),
    ("x" * 301, "is longer than 300 characters", "split it"),
    ("(" * 90 + "told" + ")" * 89, "is not a condition", ""),
])
def test_what_is_not_a_condition_is_said_at_its_line(text, message, hint):
    with pytest.raises(ContentError) as caught:
        parse_condition(text, HERE)
    assert message in caught.value.message and hint in caught.value.hint
    assert caught.value.location == HERE


def test_the_story_loads_with_its_variables_conditions_changes_and_branches(tmp_path):
    course = load_course(story_course(tmp_path / "c"))
    trust, told = course.variables["trust"], course.variables["told"]
    assert (trust.type, trust.initial, trust.low, trust.high, trust.label) == ("number", 0, 0, 3, "Trust built")
    assert (told.type, told.initial, told.label) == ("boolean", False, "")
    meet = course.scenes["meet"]
    assert [(c.op, c.name, c.value) for c in meet.choices[0].changes] == [("add", "trust", 2)]
    assert meet.choices[2].condition.text == "trust >= 2"
    tell = course.scenes["tell"]
    assert [c.follows_next for c in tell.choices] == [True, True] and tell.next == "other-end"
    assert [(b.condition.text, b.goto) for b in tell.branches] == [("told and trust >= 2", "good-end")]
    assert [line.condition.text if line.condition else None for line in course.scenes["talk"].lines] == [
        None, "trust >= 2", "trust < 2"]
    assert course_warnings(course) == []


def test_the_player_gets_the_variables_the_branches_and_the_buttons_conditions(tmp_path):
    folder = story_course(tmp_path / "c")
    data = course_data(load_course(folder))
    assert [(v["name"], v["type"], v["initial"], v["min"], v["max"]) for v in data["variables"]] == [
        ("trust", "number", 0, 0, 3), ("told", "boolean", False, None, None)]
    tell = next(s for s in data["scenes"] if s["id"] == "tell")
    assert tell["branches"] == [{"when": ["and", ["var", "told"], [">=", ["var", "trust"], ["lit", 2]]],
                                 "goto": "good-end"}]
    assert [c["goto"] for c in tell["choices"]] == [None, None]  # the player tries the branches
    meet = next(s for s in data["scenes"] if s["id"] == "meet")
    assert [c["goto"] for c in meet["choices"]] == ["talk", "regret", "talk"] and "branches" not in meet
    [package] = build(folder, ["scorm12"], tmp_path / "dist")
    with zipfile.ZipFile(package.path) as archive:
        page = archive.read("index.html").decode()
    letter = re.search(r'<button[^>]*data-choice="letter"[^>]*>', page).group(0)
    assert json.loads(html.unescape(re.search(r"data-sb-when='([^']*)'", letter).group(1))) == [
        ">=", ["var", "trust"], ["lit", 2]]
    listen = re.search(r'<button[^>]*data-choice="listen"[^>]*>', page).group(0)
    assert json.loads(html.unescape(re.search(r"data-sb-changes='([^']*)'", listen).group(1))) == [["trust", "add", 2]]
    apologise = re.search(r'<button[^>]*data-option="apologise"[^>]*>', page).group(0)
    assert "data-sb-when=" in apologise and "data-sb-changes=" in apologise
    # letter, apologise, two speech lines, and the author's own raw HTML
    assert page.count("data-sb-when=") == 5


def test_a_course_without_variables_keeps_its_fingerprint_and_saved_progress(tmp_path):
    folder = story_course(tmp_path / "c")
    before = course_data(load_course(folder))["fingerprint"]
    course_yaml = folder / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("told: false", "told: false\n  extra: 1"))
    assert course_data(load_course(folder))["fingerprint"] != before  # a variable more: S2 positions move


def _story_with(tmp_path: Path, replace: dict[str, tuple[str, str]], course: str = COURSE) -> Path:
    folder = tmp_path / "c"
    write(folder / "course.yaml", course)
    for name, text in SCENES.items():
        old, new = replace.get(name, ("", ""))
        text = textwrap.dedent(text)
        write(folder / "scenes" / name, text.replace(old, new) if old else text)
    (folder / "media").mkdir()
    (folder / "media" / "letter.png").write_bytes(PNG)
    return folder


# name: (scene file, the text replaced, its replacement, the line's marker, message, hint)
MISTAKES = {
    "unknown variable": ("01-meet.md", "if: trust >= 2", "if: trusts >= 2", "if: trusts", "reads `trusts`, which is "
                         "not a variable (did you mean `trust`?)", "declare it under `variables:`"),
    "a number as yes/no": ("01-meet.md", "if: trust >= 2", "if: trust", "if: trust", "is a number, not a yes or no",
                           "compare it"),
    "mixed types": ("01-meet.md", "if: trust >= 2", "if: told > 1", "if: told", "compares a number with a yes/no", ""),
    "order of yes/no": ("01-meet.md", "if: trust >= 2", "if: told < true", "if: told", "uses `<` with a yes/no", ""),
    "and of a number": ("01-meet.md", "if: trust >= 2", "if: told and trust", "if: told", "uses a number as yes or "
                        "no", "compare it"),
    "set a number to yes": ("01-meet.md", "add: {trust: 2}", "set: {trust: true}", "set: {trust", "gives true to a "
                            "number", "write a whole number"),
    "add to a yes/no": ("04-tell.md", "set: {told: true}", "add: {told: 1}", "add: {told", "adds to a yes/no",
                        "set: {told: true}"),
    "set an unknown": ("04-tell.md", "set: {told: true}", "set: {toldd: true}", "set: {toldd", "`set: toldd` is not "
                       "a variable (did you mean `told`?)", ""),
    "add a word": ("01-meet.md", "add: {trust: 2}", "add: {trust: lots}", "add: {trust", "`add.trust` is lots",
                   "negative to take away"),
    "branches beside options": ("02-regret.md", "options:", "branches:\n  - if: told\n    goto: talk\noptions:",
                                "goto: talk", "the `branches:` of `regret` are never followed: it has options, not "
                                "Continue", "remove them"),
    "branches no choice follows": ("01-meet.md", "choices:", "next: talk\nbranches:\n  - if: told\n    goto: tell\n"
                                   "choices:", "goto: tell", "the `branches:` of `meet` are never followed: every "
                                   "choice has its own `goto:`", "remove them"),
    "set beyond max": ("01-meet.md", "add: {trust: 2}", "set: {trust: 10}", "set: {trust", "`set: trust` gives 10, "
                       "outside its `min`/`max` (min 0, max 3)", "give a value within them"),
    "branch without if": ("04-tell.md", "  - if: told and trust >= 2\n", "  - ", "goto: good-end",
                          "a branch needs `if`", ""),
    "end with branches": ("05-good-end.md", "title: Sam trusts you", "title: Sam trusts you\nbranches:\n  - if: told\n"
                          "    goto: meet", "branches:", "an end scene cannot have `branches:`", ""),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_mistakes_with_variables_are_reported_at_their_line(tmp_path, name):
    file, old, new, marker, message, hint = MISTAKES[name]
    folder = _story_with(tmp_path, {file: (old, new)})
    with pytest.raises((ContentError, ContentErrors)) as caught:
        load_course(folder)
    problems = caught.value.errors if isinstance(caught.value, ContentErrors) else [caught.value]
    assert len(problems) == 1, [p.message for p in problems]
    [problem] = problems
    assert message in problem.message and hint in problem.hint
    assert problem.location.file.name == file
    assert problem.location.line == line_of(folder / "scenes" / file, marker)


@pytest.mark.parametrize("variables, message", [
    ("  score: 1\n", "`score` cannot be a variable's name"),
    ("  Told-Her: true\n", "`Told-Her` cannot be a variable's name"),
    ("  mood: happy\n", "`variables.mood` is happy"),
    ("  mood: 1.5\n", "`variables.mood` is 1.5"),
    ("  mood: {initial: 5, max: 3}\n", "`mood` starts at 5, outside its `min`/`max`"),
    ("  mood: {initial: true, min: 0}\n", "`mood` is a yes/no: it has no `min` or `max`"),
    ("  mood: {initial: 0, colour: red}\n", "unknown key `colour` in variable `mood`"),
    ("  mood: {initial: [1]}\n", "`initial` must be a whole number"),
    ("  mood: 10000000\n", "numbers go from -999,999 to 999,999"),
    ("  class: 1\n", "`class` cannot be a variable's name"),
    ("  mood: {initial: 0, min: 5, max: 1}\n", "`mood` has `min: 5` above `max: 1`"),
])
def test_bad_variable_declarations_are_reported_in_course_yaml(tmp_path, variables, message):
    folder = _story_with(tmp_path, {}, COURSE.replace("      told: false\n", "      told: false\n" + "      " +
                                                      variables.strip() + "\n"))
    with pytest.raises((ContentError, ContentErrors)) as caught:
        load_course(folder)
    problems = caught.value.errors if isinstance(caught.value, ContentErrors) else [caught.value]
    assert any(message in p.message and p.location.file.name == "course.yaml" for p in problems), \
        [p.message for p in problems]


def _warnings(tmp_path: Path, replace: dict[str, tuple[str, str]], course: str = COURSE) -> list[str]:
    return [w.message for w in course_warnings(load_course(_story_with(tmp_path, replace, course)))]


def test_lint_says_when_a_condition_can_never_hold_and_an_ending_cannot_be_reached(tmp_path):
    found = _warnings(tmp_path, {"04-tell.md": ("if: told and trust >= 2", "if: told and trust > 3")})
    assert "`if: told and trust > 3` can never hold: nothing in the course gives its variables such values" in found
    assert any("scene `good-end` can never be reached from `meet`: every way to it has an `if:` that can never "
               "hold" in w for w in found)


def test_lint_says_when_nothing_sets_a_yes_no_the_condition_reads(tmp_path):
    found = _warnings(tmp_path, {"04-tell.md": ("set: {told: true}", "")})
    assert any("`if: told and trust >= 2` can never hold" in w for w in found)


def test_lint_says_when_a_branch_always_holds_and_hides_those_after_it(tmp_path):
    found = _warnings(tmp_path, {"04-tell.md": ("  - if: told and trust >= 2\n    goto: good-end\n",
                                                "  - if: trust >= 0\n    goto: good-end\n"
                                                "  - if: told\n    goto: other-end\n")})
    assert "`if: trust >= 0` always holds, so the branches after it are never taken" in found


def test_lint_says_when_every_choice_may_be_hidden(tmp_path):
    both = {"01-meet.md": ("    goto: regret\n", "    goto: regret\n    if: trust < 3\n")}
    assert _warnings(tmp_path / "a", both) == []  # listen has no `if:`
    guarded = _story_with(tmp_path / "c", {})
    meet = guarded / "scenes" / "01-meet.md"
    meet.write_text(meet.read_text().replace("    goto: talk\n    add", "    if: not told\n    goto: talk\n    add")
                    .replace("    goto: regret\n", "    if: not told\n    goto: regret\n"))
    found = [w.message for w in course_warnings(load_course(guarded))]
    assert "every button of `meet` has an `if:`, and learners may reach it when none holds: they would be stuck" \
        in found


def test_lint_says_when_a_variable_is_never_used(tmp_path):
    found = _warnings(tmp_path, {}, COURSE.replace("told: false", "told: false\n      spare: 0"))
    assert "variable `spare` is neither read by a condition nor shown (`label:`)" in found


def test_the_possible_values_follow_the_sets_adds_and_bounds(tmp_path):
    known = ranges(load_course(story_course(tmp_path / "c")))
    assert (known["trust"].low, known["trust"].high) == (0, 3)  # add up and down, within min and max
    assert known["told"].booleans == {False, True}
    assert (known["score"].low, known["score"].high) == (0, 100) and known["passed"].booleans == {False, True}
    condition = parse_condition("trust > 1 and trust < 3", HERE)
    assert outcomes(condition, known) == {True, False}
    assert outcomes(parse_condition("trust > 3", HERE), known) == {False}
    assert outcomes(parse_condition("trust >= 0 or told", HERE), known) == {True}
    assert evaluate(condition.tree, {"trust": 2}) is True


def test_graph_draws_each_condition_on_its_arrow(tmp_path):
    source = scenario_graph(load_course(story_course(tmp_path / "c"))).source
    assert 'tell -> "good-end" [label="if told and trust >= 2"' in source
    assert 'tell -> "other-end" [label=otherwise' in source
    assert re.search(r'meet -> talk \[label="letter \(wrong\)\\nif trust >= 2"', source)
    assert re.search(r'regret -> talk \[label="Say sorry first\\nif trust == 0"', source)


def test_the_editor_schema_takes_variables_conditions_and_branches(tmp_path):
    import jsonschema
    import yaml

    folder = story_course(tmp_path / "c")
    jsonschema.validate(yaml.safe_load((folder / "course.yaml").read_text()), json_schema("course"))
    for name in SCENES:
        front = (folder / "scenes" / name).read_text().split("---")[1]
        jsonschema.validate(yaml.safe_load(front), json_schema("scene"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x", "title": "X", "variables": {"Bad-Name": 1}}, json_schema("course"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"kind": "page", "title": "P", "branches": [{"goto": "x"}]}, json_schema("scene"))


@pytest.mark.parametrize("text, message", [
    ("told # and trust > 3", "contains `#`"),
    ("trust > 0x10", "contains `0x10`, which is not a variable"),
    ("trust > 1_000", "contains `1_000`, which is not a variable"),
    ("trust > 0b1", "contains `0b1`, which is not a variable"),
    ("\U0001d552 > 1", "which is not a variable"),
    ("trust > 1000000", "compares with 1,000,000; numbers go from -999,999 to 999,999"),
    ("  trust > 1 && b + 1", "contains `b + 1`"),
])
def test_what_python_reads_but_a_condition_does_not_allow_is_refused(text, message):
    with pytest.raises(ContentError) as caught:
        parse_condition(text, HERE)
    assert message in caught.value.message


def test_yaml_true_and_false_are_conditions_that_always_and_never_hold(tmp_path):
    folder = _story_with(tmp_path, {"04-tell.md": ("if: told and trust >= 2", "if: false")})
    course = load_course(folder)
    assert course.scenes["tell"].branches[0].condition.tree == ("lit", False)
    assert any("`if: false` can never hold" in w.message for w in course_warnings(course))


def test_a_comparison_of_two_variables_is_never_judged_wrongly(tmp_path):
    """The analysis against brute force: whatever it says "never" or "always" of must be so for every
    pair of values the course can give (here a and b each grow without end)."""
    course = COURSE.replace("      told: false\n", "      told: false\n      a: 0\n      b: 0\n")
    folder = _story_with(tmp_path, {"01-meet.md": ("add: {trust: 2}", "add: {trust: 2, a: 1, b: 1}")}, course)
    known = ranges(load_course(folder))
    for text in ("a > 0 and b > a", "0 < a < b", "a > 5 and a < b", "not (a > 0 and b > a)", "a == b", "a != b + 0",
                 "a < 0", "a >= 0 or b > 3", "a > 2 and a < 4"):
        try:
            condition = parse_condition(text, HERE)
        except ContentError:
            continue
        possible = {bool(evaluate(condition.tree, {"a": x, "b": y})) for x in range(8) for y in range(8)}
        assert possible <= outcomes(condition, known), text
    assert outcomes(parse_condition("a < 0", HERE), known) == {False}


def test_a_dead_end_behind_a_condition_on_two_variables_is_still_an_error(tmp_path):
    course = COURSE.replace("      told: false\n", "      told: false\n      a: 0\n      b: 0\n")
    folder = _story_with(tmp_path, {"01-meet.md": ("add: {trust: 2}", "add: {trust: 2, a: 1, b: 1}"),
                                    "03-talk.md": ("raw_html: true", "raw_html: true\nbranches:\n  - if: b > a\n"
                                                   "    goto: regret-forever")}, course)
    write(folder / "scenes" / "07-regret-forever.md", "---\nkind: page\ntitle: Stuck\nnext: talk\n---\nHm.\n")
    assert "regret-forever" in reachable_scenes(load_course(folder))  # b > a can hold: a=1, b=2
    write(folder / "scenes" / "07-regret-forever.md", "---\nkind: page\ntitle: Stuck\nnext: regret-forever\n---\n")
    with pytest.raises((ContentError, ContentErrors)) as caught:
        load_course(folder)
    problems = caught.value.errors if isinstance(caught.value, ContentErrors) else [caught.value]
    assert any("`regret-forever` can never get to an end scene" in p.message for p in problems)


def test_lint_says_when_feedback_options_may_all_be_hidden(tmp_path):
    assert _warnings(tmp_path, {"02-regret.md": ("options:", "next: talk\noptions:")}) == []
    regret = _story_with(tmp_path / "b", {}) / "scenes" / "02-regret.md"
    regret.write_text(regret.read_text().replace("    goto: meet\n", "    goto: meet\n    if: told\n")
                      .replace("    goto: talk\n  - id: apologise", "    goto: talk\n    if: told\n  - id: apologise"))
    found = [w.message for w in course_warnings(load_course(regret.parent.parent))]
    assert any("every button of `regret` has an `if:`" in w for w in found)


def test_passed_without_a_pass_mark_is_said_so(tmp_path):
    found = _warnings(tmp_path, {"04-tell.md": ("if: told and trust >= 2", "if: passed")},
                      COURSE.replace("    pass_mark: 50\n", ""))
    assert any("reads `passed`, but the course has no `pass_mark`" in w for w in found)


def test_a_variable_whose_type_changes_is_saved_under_another_key(tmp_path):
    course = load_course(story_course(tmp_path / "c"))
    before = course_data(course)
    course.variables["told"] = dataclasses.replace(course.variables["told"], type="number", initial=0)
    after = course_data(course)
    key = {v["name"]: v["key"] for v in before["variables"]}
    assert key["told"] != {v["name"]: v["key"] for v in after["variables"]}["told"]
    assert before["fingerprint"] != after["fingerprint"]
    assert [(v["min"], v["max"]) for v in after["variables"]] == [(0, 3), (-999_999, 999_999)]
