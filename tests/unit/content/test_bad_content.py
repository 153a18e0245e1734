"""A corpus of malformed and hostile content: each gets one clear message at the right place.

And a property test: whatever text is thrown at the loader, it either loads or
raises scormbuild's own error type, never anything else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors, ScormbuildError

COURSE = "id: corpus\ntitle: Corpus\npass_mark: 50\n"
START = "---\nkind: page\ntitle: Start\nnext: end\n---\nHello.\n"
END = "---\nkind: end\ntitle: End\n---\nBye.\n"


def scene(front: str, body: str = "Body.\n") -> str:
    return f"---\n{front.strip()}\n---\n{body}"


DECISION = "kind: decision\ntitle: D\nchoices:\n  - text: a\n    goto: end\n    correct: true\n  - text: b\n    goto: end"
# 584 bytes that expand to 9**10 strings wherever something formats the value (security review #5).
ALIAS_BOMB = ("[&a [lol,lol,lol,lol,lol,lol,lol,lol,lol]" + "".join(
    f", &{name} [{', '.join([f'*{previous}'] * 9)}]" for previous, name in zip("abcdefghi", "bcdefghij", strict=True)) + "]")

# name: (files to write over the base course {path: text or bytes or None to delete}, file, line, message)
CASES: dict[str, tuple[dict[str, str | bytes | None], str, int, str]] = {
    "course.yaml missing": ({"course.yaml": None}, "course.yaml", 1, "course.yaml is missing"),
    "course.yaml empty": ({"course.yaml": ""}, "course.yaml", 1, "must be a set of `key: value` lines, not nothing"),
    "course.yaml a list": ({"course.yaml": "- id: x\n"}, "course.yaml", 1, "not list"),
    "course.yaml tab indent": ({"course.yaml": "id: x\ntitle:\n\t- T\n"}, "course.yaml", 3, "YAML syntax error"),
    "course.yaml unknown key": ({"course.yaml": COURSE + "titel: X\n"}, "course.yaml", 4, "did you mean `title`"),
    "course id with spaces": ({"course.yaml": "id: My Course\ntitle: T\n"}, "course.yaml", 1, "not a valid identifier"),
    "course title missing": ({"course.yaml": "id: x\n"}, "course.yaml", 1, "needs `title`"),
    "pass mark too high": ({"course.yaml": COURSE.replace("50", "150")}, "course.yaml", 3, "from 0 to 100"),
    "pass mark a word": ({"course.yaml": COURSE.replace("50", "seventy")}, "course.yaml", 3, "whole number"),
    "language not a tag": ({"course.yaml": COURSE + "language: english!\n"}, "course.yaml", 4, "not a language tag"),
    "version with a space": ({"course.yaml": COURSE + "version: 1 0\n"}, "course.yaml", 4, "can't be used in a file name"),
    "iri not an iri": ({"course.yaml": COURSE + "iri: not an iri\n"}, "course.yaml", 4, "not an IRI"),
    "start scene missing": ({"course.yaml": COURSE + "start: nowhere\n"}, "course.yaml", 4, "start scene `nowhere` does not exist"),
    "duplicate key in course.yaml": ({"course.yaml": COURSE + "title: again\n"}, "course.yaml", 4, "`title` is given twice"),
    "no front matter": ({"scenes/02-x.md": "Just text\n"}, "scenes/02-x.md", 1, "must start with a `---` line"),
    "front matter never closed": ({"scenes/02-x.md": "---\nkind: page\ntitle: X\n"}, "scenes/02-x.md", 1, "never closed"),
    "front matter a list": ({"scenes/02-x.md": "---\n- kind: page\n---\n"}, "scenes/02-x.md", 2, "not list"),
    "front matter YAML error": ({"scenes/02-x.md": "---\nkind: page\ntitle: [x\n---\n"}, "scenes/02-x.md", 3, "YAML syntax error"),
    "kind missing": ({"scenes/02-x.md": scene("title: X")}, "scenes/02-x.md", 2, "has no `kind:`"),
    "unknown kind": ({"scenes/02-x.md": scene("kind: quizz\ntitle: X")}, "scenes/02-x.md", 2, "did you mean `quiz`"),
    "duplicate key in scene": ({"scenes/02-x.md": scene("kind: page\ntitle: X\nkind: end")}, "scenes/02-x.md", 4, "given twice"),
    "unknown key in scene": ({"scenes/02-x.md": scene("kind: page\ntitle: X\nnxet: end")}, "scenes/02-x.md", 4, "did you mean `next`"),
    "title missing": ({"scenes/02-x.md": scene("kind: page\nnext: end")}, "scenes/02-x.md", 2, "needs `title`"),
    "title a list": ({"scenes/02-x.md": scene("kind: page\ntitle:\n  - a\nnext: end")}, "scenes/02-x.md", 3, "must be text"),
    "scene id invalid": ({"scenes/02-x.md": scene("kind: page\nid: Bad_Id\ntitle: X")}, "scenes/02-x.md", 3, "not a valid identifier"),
    "duplicate scene id": ({"scenes/02-x.md": scene("kind: page\nid: start\ntitle: X\nnext: end")}, "scenes/02-x.md", 2, "used twice"),
    "next to a missing scene": ({"scenes/01-start.md": START.replace("next: end", "next: ned")}, "scenes/01-start.md", 2, "did you mean `end`"),
    "raw_html not a boolean": ({"scenes/02-x.md": scene("kind: page\ntitle: X\nraw_html: sometimes")}, "scenes/02-x.md", 4, "`true` or `false`"),
    "decision without choices": ({"scenes/02-x.md": scene("kind: decision\ntitle: D")}, "scenes/02-x.md", 2, "needs `choices`"),
    "decision with one choice": ({"scenes/02-x.md": scene("kind: decision\ntitle: D\nchoices:\n  - text: a\n    goto: end")}, "scenes/02-x.md", 4, "at least two choices"),
    "choices not a list": ({"scenes/02-x.md": scene("kind: decision\ntitle: D\nchoices: yes please")}, "scenes/02-x.md", 4, "must be a list"),
    "choice is plain text": ({"scenes/02-x.md": scene("kind: decision\ntitle: D\nchoices:\n  - a\n  - b")}, "scenes/02-x.md", 4, "each item of `choices`"),
    "choice without text": ({"scenes/02-x.md": scene(DECISION.replace("  - text: b\n", "  - id: b\n"))}, "scenes/02-x.md", 8, "needs `text`"),
    "choice to a missing scene": ({"scenes/02-x.md": scene(DECISION.replace("goto: end\n    correct", "goto: nowhere\n    correct"))}, "scenes/02-x.md", 6, "`nowhere` does not exist"),
    "negative score": ({"scenes/02-x.md": scene(DECISION + "\n    score: -5")}, "scenes/02-x.md", 10, "from 0 to 1000"),
    "correct is not a boolean": ({"scenes/02-x.md": scene(DECISION.replace("correct: true", "correct: maybe"))}, "scenes/02-x.md", 7, "`true` or `false`"),
    "duplicate choice ids": ({"scenes/02-x.md": scene("kind: decision\ntitle: D\nchoices:\n  - id: a\n    text: a\n    goto: end\n  - id: a\n    text: b\n    goto: end")}, "scenes/02-x.md", 10, "two choices have the id `a`"),
    "too many choices": ({"scenes/02-x.md": scene("kind: decision\ntitle: D\nchoices:\n" + "".join(
        f"  - text: c{i}\n    goto: end\n" for i in range(36)).rstrip())}, "scenes/02-x.md", 4, "at most 35 choices"),
    "choice leads nowhere": ({"scenes/02-x.md": scene("kind: decision\ntitle: D\nchoices:\n  - text: a\n  - text: b")}, "scenes/02-x.md", 5, "leads nowhere"),
    "feedback with no way on": ({"scenes/02-x.md": scene("kind: feedback\ntitle: F")}, "scenes/02-x.md", 2, "needs `options:` or `next:`"),
    "feedback option without goto": ({"scenes/02-x.md": scene("kind: feedback\ntitle: F\noptions:\n  - text: Again")}, "scenes/02-x.md", 5, "needs `goto`"),
    "feedback reflection is a page": ({"scenes/02-x.md": scene("kind: feedback\ntitle: F\nnext: end\nreflection: start")}, "scenes/02-x.md", 2, "is not a reflection scene"),
    "points not a list": ({"scenes/02-x.md": scene("kind: feedback\ntitle: F\nnext: end\npoints: {a: b}")}, "scenes/02-x.md", 5, "must be a list of texts"),
    "reflection min_length zero": ({"scenes/02-x.md": scene("kind: reflection\ntitle: R\nnext: end\nmin_length: 0")}, "scenes/02-x.md", 5, "from 1 to 4000"),
    "quiz without questions": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions: []")}, "scenes/02-x.md", 5, "at least one question"),
    "question kind unknown": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: essay\n    text: T")}, "scenes/02-x.md", 6, "unknown question kind `essay`"),
    "single with two right": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - text: T\n    options:\n      - text: a\n        correct: true\n      - text: b\n        correct: true")}, "scenes/02-x.md", 7, "exactly one option"),
    "multiple with none right": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: multiple\n    text: T\n    options:\n      - text: a\n      - text: b")}, "scenes/02-x.md", 8, "at least one option"),
    "true-false without answer": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: true-false\n    text: T")}, "scenes/02-x.md", 6, "needs `answer: true`"),
    "true-false with options": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: true-false\n    text: T\n    options: []")}, "scenes/02-x.md", 8, "not options"),
    "answer on a single question": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - text: T\n    answer: true")}, "scenes/02-x.md", 7, "only for true-false"),
    "question with one option": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - text: T\n    options:\n      - text: a\n        correct: true")}, "scenes/02-x.md", 7, "at least two options"),
    "matching with a repeated prompt": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: matching\n    text: T\n    pairs:\n      - prompt: Gifts\n        answer: x\n      - prompt: gifts\n        answer: y")}, "scenes/02-x.md", 11, "two pairs have the prompt `gifts`"),
    "matching with a repeated answer": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: matching\n    text: T\n    pairs:\n      - prompt: A\n        answer: x\n      - prompt: B\n        answer: x")}, "scenes/02-x.md", 12, "two pairs have the answer `x`"),
    "matching with options": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: matching\n    text: T\n    options: []\n    pairs:\n      - prompt: A\n        answer: x\n      - prompt: B\n        answer: y")}, "scenes/02-x.md", 8, "`options:` is only for single and multiple questions"),
    "matching pair without answer": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: matching\n    text: T\n    pairs:\n      - prompt: A\n      - prompt: B\n        answer: y")}, "scenes/02-x.md", 9, "needs `answer`"),
    "ordering with one item": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: ordering\n    text: T\n    items:\n      - text: Listen")}, "scenes/02-x.md", 8, "at least two items"),
    "ordering without items": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: ordering\n    text: T")}, "scenes/02-x.md", 6, "needs `items`"),
    "ordering with a repeated item": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: ordering\n    text: T\n    items:\n      - text: Listen\n      - text: Listen")}, "scenes/02-x.md", 10, "two items have the text `Listen`"),
    "ordering with ids too long for SCORM 1.2": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: ordering\n    text: T\n    items:\n" + "".join(f"      - id: {'x' * 60}{i}\n        text: Item {i}\n" for i in range(5)))}, "scenes/02-x.md", 8, "longer than SCORM 1.2's 255 characters"),
    "fill-in without accepted answers": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: fill-in\n    text: T")}, "scenes/02-x.md", 6, "needs `accepted:` answers"),
    "fill-in with an empty list": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: fill-in\n    text: T\n    accepted: []")}, "scenes/02-x.md", 8, "at least one accepted answer"),
    "fill-in with an answer twice": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: fill-in\n    text: T\n    accepted: [DSL, dsl]")}, "scenes/02-x.md", 8, "`dsl` is given twice"),
    "fill-in with a long answer": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - kind: fill-in\n    text: T\n    accepted: [" + "y" * 251 + "]")}, "scenes/02-x.md", 8, "longer than 250 characters"),
    "case_sensitive on a choice": ({"scenes/02-x.md": scene("kind: quiz\ntitle: Q\nnext: end\nquestions:\n  - text: T\n    case_sensitive: true\n    options:\n      - text: a\n        correct: true\n      - text: b")}, "scenes/02-x.md", 7, "`case_sensitive:` is only for fill-in questions"),
    "end scene with next": ({"scenes/99-end.md": END.replace("kind: end", "kind: end\nnext: start")}, "scenes/99-end.md", 3, "cannot have `next:`"),
    "last page without next": ({"scenes/99-end.md": None, "scenes/98-end.md": END, "scenes/99-z.md": scene("kind: page\ntitle: Z")}, "scenes/99-z.md", 2, "last file and has no `next:`"),
    "no end scene": ({"scenes/99-end.md": scene("kind: page\nid: end\ntitle: E\nnext: start")}, "course.yaml", 1, "no end scene"),
    "loop with no way out": ({"scenes/01-start.md": scene(DECISION.replace("goto: end\n    correct", "goto: trap\n    correct")),
                              "scenes/02-trap.md": scene("kind: page\ntitle: Trap\nnext: trap")}, "scenes/02-trap.md", 2,
                             "`trap` can never get to an end scene"),
    "missing image": ({"scenes/02-x.md": scene("kind: page\ntitle: X\nnext: end", "Text\n\n![A cat](media/cat.png)\n")}, "scenes/02-x.md", 8, "`media/cat.png` does not exist"),
    "image without alt": ({"media/cat.png": b"\x89PNG", "scenes/02-x.md": scene("kind: page\ntitle: X\nnext: end", "![](media/cat.png)\n")}, "scenes/02-x.md", 6, "has no alt text"),
    "image outside the folder": ({"scenes/02-x.md": scene("kind: page\ntitle: X\nnext: end", "![x](../secret.png)\n")}, "scenes/02-x.md", 6, "outside the course folder"),
    "absolute image path": ({"scenes/02-x.md": scene("kind: page\ntitle: X\nnext: end", "![x](/etc/passwd)\n")}, "scenes/02-x.md", 6, "relative to the course folder"),
    "link to a missing file": ({"scenes/02-x.md": scene("kind: page\ntitle: X\nnext: end", "[notes](media/notes.pdf)\n")}, "scenes/02-x.md", 6, "does not exist"),
    "not UTF-8": ({"scenes/02-x.md": b"---\nkind: page\ntitle: Caf\xe9\n---\n"}, "scenes/02-x.md", 3, "not UTF-8"),
    "binary junk": ({"scenes/02-x.md": bytes(range(256))}, "scenes/02-x.md", 2, "not UTF-8"),
    "NUL bytes in text": ({"scenes/02-x.md": b"---\nkind: page\n\x00\x01junk"}, "scenes/02-x.md", 3, "NUL byte"),
    "huge file": ({"scenes/02-x.md": "---\nkind: page\ntitle: X\n---\n" + "x" * (2 * 1024 * 1024 + 10)}, "scenes/02-x.md", 1, "larger than 2 MB"),
    "course.yaml not UTF-8": ({"course.yaml": b"id: x\ntitle: \xff\n"}, "course.yaml", 2, "not UTF-8"),
    # Hostile input (security review, issue 14): each was a traceback, a hang or gigabytes before.
    "aliases amplified in a message (#5)": ({"course.yaml": COURSE.replace("50", ALIAS_BOMB)}, "course.yaml", 3,
                                            "whole number from 0 to 100, not a list"),
    "nesting too deep in course.yaml (#6)": ({"course.yaml": COURSE + "x: " + "[" * 1000 + "]" * 1000 + "\n"},
                                             "course.yaml", 4, "nested more than 64 levels"),
    "nesting too deep in a scene (#6)": ({"scenes/02-x.md": scene("kind: page\ntitle: X\nextra: " + "{a: " * 800 + "1" + "}" * 800)},
                                         "scenes/02-x.md", 4, "nested more than 64 levels"),
    "block nesting too deep (#6)": ({"course.yaml": COURSE + "x:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 80)) + " " * 80 + "v\n"},
                                    "course.yaml", 68, "nested more than 64 levels"),
    "merge key": ({"course.yaml": COURSE + "base: &b {a: 1}\nmore:\n  <<: *b\n"}, "course.yaml", 6, "merge keys"),
    # A plain 2024-13-45 is text in YAML 1.2; a date tag still goes to a constructor that refuses it.
    "date that does not exist (L1)": ({"course.yaml": COURSE.replace("title: Corpus", "title: !!timestamp 2024-13-45")}, "course.yaml", 2,
                                      "cannot be read as a date"),
    "a 5,000-digit number (L1)": ({"course.yaml": COURSE.replace("50", "9" * 5000)}, "course.yaml", 3, "cannot be read as a number"),
    "control character in a title (#12)": ({"course.yaml": COURSE.replace("title: Corpus", 'title: "Base\\x01evil"')},
                                           "course.yaml", 2, "control character U+0001"),
    "non-character in a description (#12)": ({"course.yaml": COURSE + 'description: "A \\uFFFE short"\n'}, "course.yaml", 4,
                                              "control character U+FFFE"),
    "escape in a choice text (#12)": ({"scenes/02-x.md": scene(DECISION.replace("text: a", 'text: "Check\\ethe policy"'))},
                                      "scenes/02-x.md", 5, "control character U+001B"),
    "language the registry does not know (#11)": ({"course.yaml": COURSE + "language: en-GB-GB\n"}, "course.yaml", 4,
                                                   "not a valid BCP 47 language tag"),
    "language with a bad region (#11)": ({"course.yaml": COURSE + "language: xx-12\n"}, "course.yaml", 4, "not a valid BCP 47"),
    "id with a trailing line break (L2)": ({"scenes/02-odd\n.md": scene("kind: page\ntitle: X\nnext: end")},
                                           "scenes/02-odd\n.md", 2, "not a valid identifier"),
    "scene kind a list": ({"scenes/02-x.md": scene("kind: [page, end]\ntitle: X")}, "scenes/02-x.md", 2, "unknown scene kind `a list`"),
    "too many points": ({"scenes/02-x.md": scene("kind: feedback\ntitle: F\nnext: end\npoints:\n" + "  - p\n" * 501)},
                        "scenes/02-x.md", 5, "has 501 items; the limit is 500"),
    "title too long": ({"course.yaml": COURSE.replace("title: Corpus", "title: " + "t" * 10_001)}, "course.yaml", 2,
                       "10,001 characters long"),
}


def make_course(root: Path, changes: dict[str, str | bytes | None]) -> Path:
    files: dict[str, str | bytes | None] = {"course.yaml": COURSE, "scenes/01-start.md": START, "scenes/99-end.md": END}
    files.update(changes)
    for name, content in files.items():
        if content is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def the_error(root: Path) -> ContentError:
    with pytest.raises(ScormbuildError) as info:
        load_course(root)
    error = info.value
    if isinstance(error, ContentErrors):  # one mistake, maybe written in several places (two choices without goto)
        assert len({e.message for e in error.errors}) == 1, error.format()
        return error.errors[0]
    assert isinstance(error, ContentError), repr(error)
    return error


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 50


@pytest.mark.parametrize("name", CASES)
def test_bad_content_is_reported_where_it_is(tmp_path, name):
    changes, file_name, line, message = CASES[name]
    root = make_course(tmp_path / "course", changes)
    error = the_error(root)
    assert message in error.message, error.format()
    assert error.location.file == root / file_name, error.format()
    assert error.location.line == line, error.format()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize("what", ["scene", "course.yaml", "scenes folder"])
def test_course_files_behind_links_out_of_the_folder_are_refused(tmp_path, what):
    """Security review L3: scene files, course.yaml and scenes/ itself must stay inside the course folder."""
    elsewhere = make_course(tmp_path / "elsewhere", {"scenes/02-secret.md": scene("kind: page\ntitle: SECRET\nnext: end")})
    root = make_course(tmp_path / "course", {})
    if what == "scene":
        os.symlink(elsewhere / "scenes" / "02-secret.md", root / "scenes" / "02-secret.md")
    elif what == "course.yaml":
        (root / "course.yaml").unlink()
        os.symlink(elsewhere / "course.yaml", root / "course.yaml")
    else:
        for child in (root / "scenes").iterdir():
            child.unlink()
        (root / "scenes").rmdir()
        os.symlink(elsewhere / "scenes", root / "scenes")
    error = the_error(root)
    assert "outside the course folder" in error.message, error.format()


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG")
    root = make_course(tmp_path / "course", {"scenes/02-x.md": scene("kind: page\ntitle: X\nnext: end", "![x](media/link.png)\n")})
    (root / "media").mkdir()
    os.symlink(secret, root / "media" / "link.png")
    error = the_error(root)
    assert "outside the course folder" in error.message


# -- property test -------------------------------------------------------------------------------

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 2000), st.text(max_size=30),
                         st.sampled_from(["end", "start", "page", "decision", "quiz", "true", "- x", ":", "[", "{"]))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["id", "kind", "title", "text", "goto", "next", "correct", "score", "choices", "options", "questions",
         "answer", "points", "reflection", "download", "min_length", "raw_html", "x"]), inner, max_size=5)),
    max_leaves=12)
front_matters = st.dictionaries(st.sampled_from(["kind", "title", "next", "id", "choices", "questions", "points",
                                                 "options", "reflection", "download", "raw_html", "extra"]),
                                yaml_values, max_size=6)


def to_yaml(value: object) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=front_matters, body=st.text(max_size=200), course_extra=st.dictionaries(
    st.sampled_from(["pass_mark", "start", "language", "version", "iri", "junk"]), yaml_scalars, max_size=3),
    raw=st.binary(max_size=200))
def test_random_content_loads_or_raises_only_scormbuild_errors(tmp_path_factory, front, body, course_extra, raw):
    root = tmp_path_factory.mktemp("random")
    course_yaml = COURSE + (to_yaml(course_extra) if course_extra else "")
    make_course(root, {"course.yaml": course_yaml,
                       "scenes/02-random.md": "---\n" + to_yaml(front) + "---\n" + body,
                       "scenes/03-raw.md": raw})
    try:
        load_course(root)
    except ScormbuildError:
        pass


def test_theme_css_that_loads_from_another_address_is_a_warning(tmp_path):
    """Security review L9: `url(http://…)` in the theme's CSS made the player request another host."""
    from scormbuild.lint import course_warnings

    root = make_course(tmp_path / "course", {
        "course.yaml": COURSE + "theme:\n  css: media/extra.css\n",
        "media/extra.css": ".a { color: red; }\nbody { background-image: url(\"https://tracker.example/x.png\"); }\n"})
    warnings = course_warnings(load_course(root))
    assert [(w.location.file.name, w.location.line, w.severity) for w in warnings] == [("extra.css", 2, "warning")]
    (root / "media" / "extra.css").write_text("body { background: url(media/bg.png); }\n", "utf-8")
    assert course_warnings(load_course(root)) == []


def test_an_escape_sequence_in_a_file_name_does_not_reach_the_terminal(tmp_path):
    """Security review L7: content reached the terminal raw (an OSC sequence could retitle it)."""
    root = make_course(tmp_path / "course", {"scenes/02-\x1b]0;PWNED\x07.md": "no front matter\n"})
    error = the_error(root)
    assert "\x1b" not in error.format() and "\x07" not in error.format()


# The trial's poor messages (new-user-trial.md, "The deliberate mistakes"): (files, file, line, message, hint)
TRIAL: dict[str, tuple[dict[str, str], str, int, str, str]] = {
    "apostrophe inside single quotes": ({"scenes/01-start.md": scene("kind: page\nnext: end\ntitle: 'Grace's kitchen'")},
                                        "scenes/01-start.md", 4, "YAML syntax error", "write an apostrophe twice"),
    "quotation mark inside double quotes": ({"scenes/01-start.md": scene('kind: page\nnext: end\ntitle: "a "b" c"')},
                                            "scenes/01-start.md", 4, "YAML syntax error", 'write \\" for a quotation'),
    "tab": ({"course.yaml": "id: x\ntitle:\n\t- T\n"}, "course.yaml", 3, "YAML syntax error", "replace the tab with spaces"),
    "tab before a key": ({"scenes/01-start.md": scene("kind: page\n\tnext: end\ntitle: S")}, "scenes/01-start.md", 3,
                         "YAML syntax error", "replace the tab with spaces"),
    "goto on a page": ({"scenes/01-start.md": scene("kind: page\ntitle: S\ngoto: end")}, "scenes/01-start.md", 4,
                       "unknown key `goto` in a page scene (did you mean `next`?)", ""),
    "reflection is not one": ({"scenes/02-x.md": scene("kind: feedback\ntitle: F\nnext: end\nreflection: start"),
                               "scenes/03-think.md": scene("kind: reflection\ntitle: T\nnext: end")},
                              "scenes/02-x.md", 2, "`reflection: start` is not a reflection scene", ""),
}


@pytest.mark.parametrize("name", TRIAL)
def test_the_trial_s_unclear_messages_are_clear(tmp_path, name):
    files, where, line, message, hint = TRIAL[name]
    course = tmp_path / "course"
    (course / "scenes").mkdir(parents=True)
    (course / "course.yaml").write_text(COURSE, "utf-8")
    (course / "scenes" / "01-start.md").write_text(START, "utf-8")
    (course / "scenes" / "99-end.md").write_text(END, "utf-8")
    for path, text in files.items():
        (course / path).write_text(text, "utf-8")
    with pytest.raises((ContentError, ContentErrors)) as caught:
        load_course(course)
    problems = caught.value.errors if isinstance(caught.value, ContentErrors) else [caught.value]
    found = [p for p in problems if message in p.message]
    assert found, [p.message for p in problems]
    assert found[0].location.file.name == Path(where).name and found[0].location.line == line
    assert hint in found[0].hint
    assert "did you mean `start`" not in found[0].message  # the trial saw the same wrong id suggested


def test_a_broken_file_and_a_link_to_nowhere_are_reported_in_one_run(tmp_path):
    """The trial's six mistakes took four runs of validate: links to missing scenes now come with the
    files' own problems, without calling a scene missing that a broken file may hold."""
    course = tmp_path / "course"
    (course / "scenes").mkdir(parents=True)
    (course / "course.yaml").write_text(COURSE, "utf-8")
    (course / "scenes" / "01-start.md").write_text(scene("kind: page\ntitle: S\nnext: fedback"), "utf-8")
    (course / "scenes" / "02-feedback.md").write_text(scene("kind: feedback\ntitle: F\nnext: other\ntitel: x"), "utf-8")
    (course / "scenes" / "03-broken.md").write_text(scene("id: other\nkind: page\ntitle: [unclosed"), "utf-8")
    (course / "scenes" / "99-end.md").write_text(END, "utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_course(course)
    messages = [p.message for p in caught.value.errors]
    assert any("unknown key `titel`" in m for m in messages)
    assert any("YAML syntax error" in m for m in messages)
    assert "scene `fedback` does not exist (did you mean `feedback`?)" in messages  # 02-feedback.md failed
    assert not any("`other` does not exist" in m for m in messages)  # the broken file says `id: other`


def test_the_body_s_raw_img_without_alt_and_a_video_shown_as_text_are_warned_of(tmp_path):
    from scormbuild.lint import course_warnings

    course = tmp_path / "course"
    (course / "scenes").mkdir(parents=True)
    (course / "course.yaml").write_text(COURSE, "utf-8")
    (course / "scenes" / "01-start.md").write_text(
        scene("kind: page\ntitle: S\nnext: end\nraw_html: true", '<p><img src="https://example.org/a.png"></p>\n'),
        "utf-8")
    (course / "scenes" / "02-mid.md").write_text(scene("kind: page\ntitle: M\nnext: end", "<video src=a.mp4>\n"),
                                                 "utf-8")
    (course / "scenes" / "99-end.md").write_text(END, "utf-8")
    found = [w.message for w in course_warnings(load_course(course))]
    assert "an <img> in the body's HTML has no alt text" in found
    assert "the body's <video> is shown to learners as text" in found
