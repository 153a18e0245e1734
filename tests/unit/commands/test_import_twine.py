"""scormbuild import-twine: Twee 3 stories into content folders that build."""

from __future__ import annotations

from support.coursekit import run
from support.paths import DATA

from scormbuild.course import load_course
from scormbuild.kinds.decision import DecisionScene
from scormbuild.kinds.end import EndScene
from scormbuild.kinds.feedback import FeedbackScene
from scormbuild.kinds.page import PageScene

STORY = DATA / "friend-request.twee"


def test_a_twine_story_becomes_a_course_that_builds(tmp_path):
    target = tmp_path / "imported"
    result = run("import-twine", str(STORY), "-o", str(target))
    assert result.returncode == 0, result.stderr
    course = load_course(target)
    assert course.title == "Friend request sketch" and course.start == "the-request"
    request = course.scenes["the-request"]
    assert isinstance(request, DecisionScene)
    assert [(c.text, c.goto) for c in request.choices] == [
        ("Accept it", "accepted"), ("Ignore it and tell the care manager", "reported"),
        ("Reply privately", "reply-privately")]
    assert "[[" not in request.body_html and "friend request" in request.body_html
    accepted = course.scenes["accepted"]
    assert isinstance(accepted, FeedbackScene)
    assert [o.goto for o in accepted.options] == ["the-request", "wrap-up"]
    assert "(set:" not in accepted.body_html
    assert isinstance(course.scenes["reported"], PageScene) and course.scenes["reported"].next == "wrap-up"
    assert isinstance(course.scenes["wrap-up"], EndScene)
    built = run("build", str(target), "-o", str(tmp_path / "dist"))
    assert built.returncode == 0, built.stderr


def test_a_broken_link_in_the_story_is_reported_with_its_line(tmp_path):
    story = tmp_path / "s.twee"
    story.write_text(":: Start\nGo [[Nowhere]] or [[End]]\n\n:: End\nDone.\n", "utf-8")
    result = run("import-twine", str(story), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{story}:2:1: passage `Start` links to `Nowhere`, which is not a passage" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_without_passages(tmp_path):
    story = tmp_path / "empty.twee"
    story.write_text("just some text\n", "utf-8")
    result = run("import-twine", str(story), "-o", str(tmp_path / "out"))
    assert result.returncode == 1 and "no story passages" in result.stderr


# -- issue 17: a Twine import that keeps the story ------------------------------------------------

TWEE = DATA / "twee"


def imported(tmp_path, name: str, *options: str):
    """Import tests/data/twee/NAME into tmp_path/out: the loaded course and what was printed."""
    result = run("import-twine", str(TWEE / name), "-o", str(tmp_path / "out"), *options)
    assert result.returncode == 0, result.stderr
    return load_course(tmp_path / "out"), result.stdout


def choices(scene):
    """Each choice or option as (id, text, goto, if, {variable: (op, value)})."""
    buttons = scene.choices if isinstance(scene, DecisionScene) else scene.options
    return [(c.id, c.text, c.goto, c.condition.text if c.condition else None,
             {change.name: (change.op, change.value) for change in c.changes}) for c in buttons]


def text_of(course) -> str:
    return "\n".join(scene.body_html for scene in course.scenes.values())


def test_a_twine_2_html_archive_imports_with_its_start_and_escaped_text(tmp_path):
    course, report = imported(tmp_path, "ok-archive.html")
    assert "ok-archive.html:5: passage `UserScript`: this passage holds code" in report
    assert "ok-archive.html:5: passage `UserStylesheet`: this passage holds code" in report
    assert course.title == "Hand hygiene & you" and course.start == "sink"  # startnode="2"
    sink = course.scenes["sink"]
    assert "Do I need to wash?" in sink.body_html and "&amp;quot;" not in sink.body_html
    assert "<strong>Yes</strong>" in sink.body_html  # &lt;b&gt; in the archive, then <b> in the passage
    assert choices(sink) == [("wash-for-20-seconds", "Wash for 20 seconds", "wash", None, {"rubs": ("add", 1)}),
                             ("skip-it", "Skip it", "done", None, {})]
    assert isinstance(course.scenes["wash"], FeedbackScene)
    assert "window.x" not in text_of(course) and "font-size" not in text_of(course)


def test_an_archive_of_several_stories_needs_story(tmp_path):
    story = TWEE / "bad-archive-two-stories.html"
    refused = run("import-twine", str(story), "-o", str(tmp_path / "out"))
    assert refused.returncode == 1 and "this file holds 2 stories" in refused.stderr
    assert "--story NAME" in refused.stderr and "`One`, `Two`" in refused.stderr
    assert not (tmp_path / "out").exists()
    chosen = run("import-twine", str(story), "-o", str(tmp_path / "out"), "--story", "Two")
    assert chosen.returncode == 0, chosen.stderr
    assert list(load_course(tmp_path / "out").scenes) == ["b"]
    missing = run("import-twine", str(story), "-o", str(tmp_path / "other"), "--story", "Three")
    assert missing.returncode == 1 and "this file has no story named `Three`" in missing.stderr


def test_harlowe_links_conditions_and_variables(tmp_path):
    course, report = imported(tmp_path, "ok-harlowe-story.twee")
    assert {name: (v.type, v.initial) for name, v in course.variables.items()} == {
        "trust": ("number", 1), "checked": ("boolean", False)}  # from the startup passage and the start
    assert choices(course.scenes["trolley"]) == [
        # (link-goto:), and what Locked does when shown plus what its (link:)[(set:)(goto:)] does
        ("lock-it-now", "Lock it now", "locked", None, {"checked": ("set", True), "trust": ("add", 2)}),
        ("report-it", "Report it", "report", None, {"trust": ("add", 2)}),  # `$trust to $trust + 2`
        ("ignore-it", "Ignore it", "carry-on", None, {"trust": ("add", -1)}),  # [[Carry on<-Ignore it]]
        ("ask-the-senior-nurse", "Ask the senior nurse", "senior", "trust >= 2", {}),  # (if:)[[[…]]]
        ("look-for-the-key", "Look for the key", "key", "not (trust >= 2)", {}),  # (else:)[[[…]]]
    ]
    assert isinstance(course.scenes["locked"], PageScene) and course.scenes["locked"].next == "debrief"


def test_harlowe_markup_becomes_markdown_and_nothing_leaks(tmp_path):
    course, _ = imported(tmp_path, "ok-harlowe-story.twee")
    trolley = course.scenes["trolley"].body_html
    assert "<strong>Before the round</strong>" in trolley and "<em>unlocked</em>" in trolley
    assert "<li>check the chart</li>" in trolley and "<ol>" in trolley
    assert "Ade is on the phone" in trolley  # a variable only ever given one text is written as that text
    assert "Never leave it open." in trolley  # a styling changer's hook keeps its text
    for leaked in ("''", "//", "(if:", "(set:", "(print:", "(link", "$", "|tip", "earned", "hidden tip", "[[",
                   "]]", "{", "}", "^^", "~~"):
        assert leaked not in text_of(course), leaked


def test_sugarcube_setter_links_link_macros_and_conditions(tmp_path):
    course, _ = imported(tmp_path, "ok-sugarcube-story.twee")
    assert {name: (v.type, v.initial) for name, v in course.variables.items()} == {
        "alarms": ("number", 0), "called": ("boolean", False)}  # from StoryInit
    assert choices(course.scenes["corridor"]) == [
        ("go-in", "Go in", "room", None, {"alarms": ("add", 1)}),  # [[Go in|Room][$alarms to $alarms + 1]]
        ("call-the-nurse", "Call the nurse", "nurse", None, {"called": ("set", True), "alarms": ("add", 2)}),
        ("wait-a-minute", "Wait a minute", "wait", None, {"alarms": ("set", 3)}),  # <<link>><<set>><<goto>>
        ("hand-over", "Hand over", "handover", "called == true", {}),  # <<if $called is true>>[[…]]
        ("sit-down", "Sit down", "wait", "not (called == true) and alarms == 0", {}),  # <<elseif $alarms eq 0>>
    ]
    corridor = course.scenes["corridor"].body_html
    assert "<h1>Night checks</h1>" in corridor and "<strong>Room 4</strong>" in corridor
    assert "<em>light</em>" in corridor and "<ol>" in corridor
    for leaked in ("<<", ">>", "''", "//", "$", "Another alarm", "All quiet", "[["):
        assert leaked not in text_of(course), leaked


def test_chapbook_vars_sections_inserts_and_modifiers(tmp_path):
    course, _ = imported(tmp_path, "ok-chapbook-story.twee")
    assert {name: (v.type, v.initial) for name, v in course.variables.items()} == {
        "calm": ("number", 2), "warned": ("boolean", False)}
    assert choices(course.scenes["alarm"]) == [
        ("take-the-stairs", "Take the stairs", "exit", None, {"warned": ("set", True)}),  # {link to: …, label: …}
        ("use-the-lift", "Use the lift", "lift", None, {"calm": ("add", -1)}),  # `calm: calm - 1`
        ("help-a-resident", "Help a resident", "help", "calm >= 2", {}),  # under [if calm >= 2]
    ]
    text = text_of(course)
    assert "<em>Stay calm</em>" in text and "<li>Close the windows</li>" in text
    for leaked in ("{", "}", "[if", "[else]", "You freeze", "[note]", "evacuation chair", "[after", "--"):
        assert leaked not in text, leaked


def test_choice_ids_come_from_the_link_text_and_are_unique(tmp_path):
    story = tmp_path / "s.twee"
    story.write_text(":: Start\n[[Yes, now!->End]]\n[[Yes now->End]]\n[[!!!->End]]\n\n:: End\nDone.\n", "utf-8")
    assert run("import-twine", str(story), "-o", str(tmp_path / "out")).returncode == 0
    assert [c.id for c in load_course(tmp_path / "out").scenes["start"].choices] == ["yes-now", "yes-now-2", "choice"]


def test_the_report_lists_what_was_not_converted_with_passage_and_line(tmp_path):
    _, report = imported(tmp_path, "ok-harlowe-story.twee")
    story = TWEE / "ok-harlowe-story.twee"
    lines = story.read_text("utf-8").split("\n")
    expected = {
        "`(print: $trust)` was removed: a scene cannot show a variable's value": "(print: $trust)",
        "text under `(if: $trust > 2)` was removed": "(if: $trust > 2)",
        "the hidden hook `|tip)`": "|tip)",
        "`(text-colour: red)` was removed": "(text-colour: red)",
        "`^^superscript^^` has no Markdown equivalent": "^^Well^^",
    }
    for message, source in expected.items():
        line = next(number for number, text in enumerate(lines, start=1) if source in text)
        passage = "Locked" if source == "^^Well^^" else "Trolley"  # markup: the line of its first use
        assert f"ok-harlowe-story.twee:{line}: passage `{passage}`: {message}" in report, (message, report)
    assert "thing(s) in the story were converted differently or left out" in report


def test_a_condition_that_cannot_be_converted_is_reported_and_the_choice_kept(tmp_path):
    story = tmp_path / "s.twee"
    story.write_text(':: Start\n(set: $name to "Al")(set: $n to 1)\n(if: $name is "Al")[[[Hi->End]]]\n'
                     '(if: (history:) contains "X")[[[Odd->End]]]\n[[Bye->End]]\n\n:: End\nDone.\n', "utf-8")
    result = run("import-twine", str(story), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    start = load_course(tmp_path / "out").scenes["start"]
    assert [(c.id, c.condition) for c in start.choices] == [("hi", None), ("odd", None), ("bye", None)]
    assert "s.twee:3: passage `Start`: `(if: $name is \"Al\")`: it compares text" in result.stdout
    assert "s.twee:3: passage `Start`: the link to `End` is shown only under a condition" in result.stdout
    assert "s.twee:4: passage `Start`: `(if: (history:) contains \"X\")`" in result.stdout


def test_every_passage_level_change_is_made_by_the_choices_that_lead_there(tmp_path):
    """A Twine passage changes variables when it is shown: each choice leading to it makes its changes,
    and so does the start (initial values); a page's changes move back to the choices leading to it."""
    story = tmp_path / "s.twee"
    story.write_text(":: Init [startup]\n(set: $lives to 3)\n\n"
                     ":: Start\n(set: $visits to it + 1)\n[[Risk->Page]]\n[[Safe->End]]\n\n"
                     ":: Page\n(set: $lives to it - 1)\nOuch. [[Again->Start]]\n\n"
                     ":: End\n(set: $lives to 0)\n(if: $lives is 0)[Out.]Done.\n", "utf-8")
    result = run("import-twine", str(story), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    course = load_course(tmp_path / "out")
    assert {name: v.initial for name, v in course.variables.items()} == {"lives": 3, "visits": 1}
    assert [c[4] for c in choices(course.scenes["start"])] == [
        {"lives": ("add", -1), "visits": ("add", 1)},  # Risk -> the page Page (lives - 1) -> Start (visits + 1)
        {"lives": ("set", 0)},  # Safe -> End
    ]
