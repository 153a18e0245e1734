"""Fuzzing the content loader and the packages it leads to: run by tests/test_fuzz_content.py in a
child process with a memory cap and a time-out (python tests/fuzz_content.py EXAMPLES).

Each example is a course folder whose course.yaml and scene files are mutations of real files
(the sample course) and of known hostile inputs (tests/data/content/): characters inserted,
deleted, repeated; YAML's special characters; control characters. Loading it must give a course
or scormbuild's own error, and a loaded course must give four valid packages. Anything else
(another exception, a crash, too much memory or time) fails, and hypothesis prints the example.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from scormbuild.commands.build import package_files  # noqa: E402
from scormbuild.course import load_course  # noqa: E402
from scormbuild.errors import ScormbuildError  # noqa: E402
from scormbuild.render import Player  # noqa: E402
from scormbuild.standards import STANDARDS  # noqa: E402

SAMPLE = ROOT / "content" / "professional-boundaries"
CORPUS = ROOT / "tests" / "data" / "content"
COURSE_SEEDS = [(SAMPLE / "course.yaml").read_text("utf-8")] + [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.yaml"))]
SCENE_SEEDS = [p.read_text("utf-8") for p in sorted((SAMPLE / "scenes").glob("*.md"))] + \
    [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.md"))]
SPECIAL = ["[", "]", "{", "}", "&a ", "*a", "!!", "|", "> ", "- ", ": ", "#", "%", "@", "`", "\"", "'", "\\", "\n",
           "\t", "\x01", "\x1b[2J", "\ufffe", "\u202e", "---\n", "<script>", "<<: *a", "99999999999999999999"]

mutation = st.tuples(st.sampled_from(["insert", "delete", "repeat", "replace"]), st.floats(0, 1), st.integers(1, 40),
                     st.one_of(st.sampled_from(SPECIAL), st.text(max_size=8)))


def mutate(text: str, mutations: list[tuple[str, float, int, str]]) -> str:
    for op, where, size, payload in mutations:
        at = int(where * len(text))
        if op == "insert":
            text = text[:at] + payload + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + size:]
        elif op == "repeat":
            text = text[:at] + text[at:at + size] * min(size, 30) + text[at:]
        else:
            text = text[:at] + payload + text[at + len(payload):]
    return text


@settings(max_examples=int(sys.argv[1]) if len(sys.argv) > 1 else 200, deadline=None, derandomize=True,
          database=None, suppress_health_check=list(HealthCheck))
@given(course=st.sampled_from(COURSE_SEEDS), course_changes=st.lists(mutation, max_size=4),
       scenes=st.lists(st.tuples(st.sampled_from(SCENE_SEEDS), st.lists(mutation, max_size=4)), max_size=3))
def test_any_course_loads_or_is_refused_cleanly(course, course_changes, scenes):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-course-"))
    try:
        shutil.copytree(SAMPLE / "media", folder / "media")
        (folder / "scenes").mkdir()
        (folder / "course.yaml").write_text(mutate(course, course_changes), "utf-8", errors="surrogatepass")
        for path in sorted((SAMPLE / "scenes").glob("*.md")):
            (folder / "scenes" / path.name).write_text(path.read_text("utf-8"), "utf-8")
        for index, (seed, changes) in enumerate(scenes):
            (folder / "scenes" / f"{index:02d}-fuzz.md").write_bytes(
                mutate(seed, changes).encode("utf-8", errors="surrogatepass"))
        try:
            course_model = load_course(folder)
        except ScormbuildError:
            return
        player = Player(course_model)
        for standard in STANDARDS.values():
            files = package_files(player, standard)
            assert standard.validate(files) == [], standard.key
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    test_any_course_loads_or_is_refused_cleanly()
    print("ok")
