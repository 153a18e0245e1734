"""Characters, dialogue scenes, speech in decisions, background pictures, pictures in choices and figures."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree
from support.coursekit import line_of, run, write
from support.people import COURSE, DECISION, DIALOGUE, people_course

from scormbuild.commands.build import build
from scormbuild.commands.graph import scenario_graph
from scormbuild.commands.validate_package import validate_package
from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors
from scormbuild.lint import course_warnings
from scormbuild.reference import json_schema


def test_characters_dialogue_and_speech_load_with_their_pictures(tmp_path):
    course = load_course(people_course(tmp_path / "c"))
    sam = course.characters["sam"]
    assert (sam.name, sam.role, sam.colour, sam.portrait.alt) == ("Sam", "Support worker", "#1d6b3a",
                                                                  "Sam, smiling, with a lanyard")
    assert (sam.portrait.width, sam.portrait.height) == (64, 64)
    talk, answer = course.scenes["talk"], course.scenes["answer"]
    assert [(line.speaker, line.html) for line in talk.lines] == [
        (None, "It is Friday evening."), ("jenny", "Hi Sam, can we be <em>friends</em> now?"),
        ("sam", "I’m glad you got in touch.")]
    assert talk.next == "answer"  # a dialogue leads on like a page
    assert talk.background.alt == "" and answer.background.alt == "A quiet street at dusk"
    image = answer.choices[0].image
    assert (image.alt, image.width, image.height) == ("A thumbs-up", 40, 30)
    assert (answer.choices[0].image_size, answer.choices[0].image_position) == ("small", "beside")
    assert (answer.choices[1].image, answer.choices[1].image_size) == (None, "medium")
    assert {a.package_path for a in course.assets} == {"content/media/sam.svg", "content/media/street.png",
                                                       "content/media/accept.png"}
    assert course_warnings(course) == []


def test_the_markup_names_each_speaker_and_loads_pictures_lazily(tmp_path):
    packages = build(people_course(tmp_path / "c"), ["scorm12"], tmp_path / "dist")
    with zipfile.ZipFile(packages[0].path) as archive:
        html = archive.read("index.html").decode()
    speech = html[html.index('id="scene-talk"'):html.index('id="scene-answer"')]
    assert "<li class=\"narration\">It is Friday evening.</li>" in speech
    assert re.search(r'<figcaption><b>Sam</b><span class="role">, Support worker</span></figcaption>\s*'
                     r'<img class="portrait" src="content/media/sam.svg" alt="Sam, smiling, with a lanyard" '
                     r'width="64" height="64" loading="lazy">\s*<blockquote>I’m glad you got in touch.</blockquote>',
                     speech)
    assert 'style="--who: #1d6b3a"' in speech
    assert '<img class="backdrop" src="content/media/street.png" alt="" width="40" height="30" loading="lazy">' in speech
    answer = html[html.index('id="scene-answer"'):]
    assert ('<button type="button" class="choice with-image image-small image-beside" data-choice="accept">'
            '<img class="choice-image" src="content/media/accept.png" alt="A thumbs-up" width="40" height="30" '
            'loading="lazy"><span>Accept it.</span></button>') in answer
    assert '<figure><img src="content/media/sam.svg" alt="A phone with a friend request" loading="lazy" ' \
           'width="64" height="64" /><figcaption>The request on Sam\'s phone</figcaption></figure>' in answer
    # the decision's speech comes after its body and before its choices
    assert answer.index("<figure><img") < answer.index('class="speech"') < answer.index('class="choices"')


def test_every_format_packages_and_lists_the_pictures_and_validates(tmp_path):
    packages = build(people_course(tmp_path / "c"), ["scorm12", "scorm2004", "xapi", "cmi5"], tmp_path / "dist")
    assert [validate_package(p.path).key for p in packages] == ["scorm12", "scorm2004", "xapi", "cmi5"]
    pictures = {"content/media/sam.svg", "content/media/street.png", "content/media/accept.png"}
    for package in packages:
        with zipfile.ZipFile(package.path) as archive:
            assert pictures <= set(archive.namelist())
            if "imsmanifest.xml" in archive.namelist():
                manifest = etree.fromstring(archive.read("imsmanifest.xml"))
                assert pictures <= {f.get("href") for f in manifest.iter("{*}file")}


def test_a_dialogue_has_its_graph_style_and_schema_and_records_no_interaction(tmp_path):
    course = load_course(people_course(tmp_path / "c"))
    assert re.search(r'\ttalk \[.*shape=cds\]', scenario_graph(course).source)
    assert any(v["properties"]["kind"].get("const") == "dialogue" for v in json_schema("scene")["oneOf"])
    characters = json_schema("course")["properties"]["characters"]
    assert set(characters["items"]["properties"]) >= {"id", "name", "role", "portrait", "portrait_alt", "colour"}
    from scormbuild.xapi_activities import player_xapi_data
    assert not any("talk" in key for key in player_xapi_data(course)["interactions"])


BAD_COURSE = """
id: people
title: People
characters:
  - id: sam
    name: Sam
    portrait: media/sam.svg
    colour: green
  - id: sam
    name: Sam again
  - name: Nobody
"""
BAD_DIALOGUE = """
---
kind: dialogue
title: Talk
background: media/street.png
lines:
  - speaker: jeny
    text: Hi
  - speaker: sam
    txt: Hello
---
![](media/sam.svg)

![(decorative)](media/sam.svg)

![](media/street.png)
"""
BAD_DECISION = """
---
kind: decision
title: Choose
next: end
speech:
  - speaker: samm
    text: Well?
choices:
  - text: One
    image: media/accept.png
    image_size: huge
    image_position: below
  - text: Two
    image: media/notes.txt
    alt: Notes
---
"""


def test_every_mistake_is_reported_at_its_line_in_one_run(tmp_path):
    folder = people_course(tmp_path / "c", BAD_COURSE, BAD_DIALOGUE, BAD_DECISION)
    (folder / "media" / "notes.txt").write_text("notes", "utf-8")
    with pytest.raises(ContentErrors) as info:
        load_course(folder)
    found = {(e.location.file.name, e.location.line, e.message) for e in info.value.errors}
    course, talk, answer = folder / "course.yaml", folder / "scenes" / "01-talk.md", folder / "scenes" / "02-answer.md"
    expected = {
        ("course.yaml", line_of(course, "portrait: media"), "`portrait` needs `portrait_alt`"),
        ("course.yaml", line_of(course, "colour: green"), "`colour` is `green`, which is not a colour"),
        ("course.yaml", line_of(course, "id: sam") + 4, "two characters have the id `sam`"),
        ("course.yaml", line_of(course, "name: Nobody"), "a character needs `id`"),
        ("01-talk.md", line_of(talk, "background:"), "`background` needs `background_alt`"),
        ("01-talk.md", line_of(talk, "txt: Hello"), "unknown key `txt` in a line (did you mean `text`?)"),
        ("01-talk.md", line_of(talk, "![](media/sam.svg)"), "image `media/sam.svg` has no alt text"),
        ("01-talk.md", line_of(talk, "![](media/street.png)"), "image `media/street.png` has no alt text"),
        ("02-answer.md", line_of(answer, "image: media/accept"), "`image` needs `alt`"),
        ("02-answer.md", line_of(answer, "image_size: huge"), "`image_size` is `huge`"),
        ("02-answer.md", line_of(answer, "image_position: below"), "`image_position` is `below`"),
        ("02-answer.md", line_of(answer, "media/notes.txt"), "`image` must be an image (.svg, .png, .jpg, .jpeg, "
                                                             ".webp, .gif)"),
    }
    assert expected <= found, sorted(found - expected)
    assert ("01-talk.md", line_of(talk, "![(decorative)]"), "image `media/sam.svg` has no alt text") not in found


def test_unknown_speakers_are_errors_at_their_line_with_a_suggestion(tmp_path):
    """Reported with course.yaml's mistakes; a scene with other mistakes has its speakers checked once it loads."""
    folder = people_course(tmp_path / "c", COURSE.replace("colour:", "color:"),
                           dialogue=DIALOGUE.replace("speaker: jenny", "speaker: jeny"),
                           decision=DECISION.replace("speaker: jenny", "speaker: sm"))
    result = run("validate", str(folder))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    talk, answer = folder / "scenes" / "01-talk.md", folder / "scenes" / "02-answer.md"
    assert f"01-talk.md:{line_of(talk, 'speaker: jeny')}" in result.stderr
    assert "there is no character `jeny` (did you mean `jenny`?)" in result.stderr
    assert f"02-answer.md:{line_of(answer, 'speaker: sm')}" in result.stderr
    assert "there is no character `sm`" in result.stderr
    assert "unknown key `color` in a character (did you mean `colour`?)" in result.stderr


def test_a_character_colour_with_low_contrast_is_a_warning(tmp_path):
    course = load_course(people_course(tmp_path / "c", COURSE.replace("#1d6b3a", "#9fd3aa")))
    warnings = course_warnings(course)
    assert [w.message for w in warnings] == [
        "character `sam`'s colour #9fd3aa has a contrast of 1.70:1 with white; WCAG 2.1 AA needs 4.5:1"]
    assert warnings[0].severity == "warning"


def test_only_a_captioned_image_alone_in_its_paragraph_becomes_a_figure(tmp_path):
    from scormbuild.content.markdown import MarkdownRenderer

    render = MarkdownRenderer(tmp_path).render
    html = render('![A](https://example.org/a.png "Cap")\n\n- ![B](https://example.org/b.png "In a list")\n\n'
                  'Text ![C](https://example.org/c.png "Inline") more.\n\n![(decorative)](https://example.org/d.png)\n',
                  tmp_path / "s.md", 1).html
    assert '<figure><img src="https://example.org/a.png" alt="A" loading="lazy" /><figcaption>Cap</figcaption>' \
           '</figure>' in html
    assert '<li><img src="https://example.org/b.png" alt="B" title="In a list" loading="lazy" /></li>' in html
    assert 'title="Inline"' in html and html.count("<figure>") == 1
    assert '<img src="https://example.org/d.png" alt="" loading="lazy" />' in html


def test_alt_text_without_its_picture_is_an_error_not_ignored(tmp_path):
    """An author who wrote `alt:` or `background_decorative:` meant a picture: say it is missing."""
    decision = DECISION.replace("background: media/street.png\nbackground_alt: A quiet street at dusk\n",
                                "background_decorative: true\n")
    decision = decision.replace("    text: Decline kindly.\n", "    text: Decline kindly.\n    alt: A phone\n")
    folder = people_course(tmp_path / "c", COURSE, DIALOGUE, decision)
    with pytest.raises(ContentErrors) as info:
        load_course(folder)
    answer = folder / "scenes" / "02-answer.md"
    found = {(e.location.line, e.message) for e in info.value.errors}
    assert (line_of(answer, "background_decorative: true"), "`background_decorative` without `background`") in found
    assert (line_of(answer, "alt: A phone"), "`alt` without `image`") in found


FEEDBACK_WITH_PICTURES = """
    ---
    id: think
    kind: feedback
    title: Think again
    options:
      - id: again
        text: Try again.
        goto: answer
        image: media/accept.png
        alt: A curved arrow
        image_size: small
        image_position: beside
      - id: on
        text: Go on.
        goto: end
    ---
    """


def test_a_feedback_option_shows_its_picture_like_a_choice(tmp_path):
    folder = people_course(tmp_path / "c")
    write(folder / "scenes" / "02b-think.md", FEEDBACK_WITH_PICTURES.replace("id: on", "id: go-on"))
    course = load_course(folder)
    again = course.scenes["think"].options[0]
    assert (again.image.alt, again.image_size, again.image_position) == ("A curved arrow", "small", "beside")
    [package] = build(folder, ["scorm12"], tmp_path / "dist")
    with zipfile.ZipFile(package.path) as archive:
        html = archive.read("index.html").decode()
    assert ('<button type="button" class="choice with-image image-small image-beside" data-goto="answer" '
            'data-option="again"><img class="choice-image" src="content/media/accept.png" alt="A curved arrow" '
            'width="40" height="30" loading="lazy"><span>Try again.</span></button>') in html
    assert '<button type="button" class="choice" data-goto="end" data-option="go-on">Go on.</button>' in html


def test_a_feedback_option_picture_needs_its_alt_text(tmp_path):
    folder = people_course(tmp_path / "c")
    scene = write(folder / "scenes" / "02b-think.md",
                  FEEDBACK_WITH_PICTURES.replace("id: on", "id: go-on").replace("        alt: A curved arrow\n", ""))
    with pytest.raises((ContentError, ContentErrors)) as caught:
        load_course(folder)
    problems = caught.value.errors if isinstance(caught.value, ContentErrors) else [caught.value]
    assert [(p.message, p.location.line) for p in problems] == [("`image` needs `alt`", line_of(scene, "image:"))]
