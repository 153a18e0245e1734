"""Load a course folder (course.yaml + scenes/*.md) into the model.

A scene file is Markdown with a YAML front matter block::

    ---
    kind: decision
    title: A friend request
    choices:
      - text: Accept the request
        goto: accepted
    ---
    Body text in Markdown.

The scene id defaults to the file name without its leading number
(``02-friend-request.md`` -> ``friend-request``).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping

from scormbuild.content.cache import Key, SceneCache
from scormbuild.content.fields import Fields, require_mapping, suggest
from scormbuild.content.markdown import MarkdownRenderer, resolve_local_file
from scormbuild.content.yamlpos import PositionedDict, parse_yaml
from scormbuild.errors import ContentError, ErrorCollector, Location, describe
from scormbuild.lint import check_course
from scormbuild.model import (
    SCENE_KINDS,
    Asset,
    Choice,
    Course,
    DecisionScene,
    EndScene,
    FeedbackScene,
    Option,
    PageScene,
    Theme,
    Question,
    QuizScene,
    ReflectionScene,
    Scene,
)

COURSE_FILE = "course.yaml"
SCENES_DIR = "scenes"
MAX_SOURCE_BYTES = 2 * 1024 * 1024  # one course.yaml or scene file, counted on what is read
MAX_SCENES = 20_000  # a package holds at most 65,535 files
MAX_MEDIA_BYTES = 2**30  # one image, video or download: a package is at most 4 GiB
READ_CHUNK = 2**20
MAX_CHOICES = 35  # the saved state keeps a decision's first choice in one base-36 character

COURSE_KEYS = {"id", "title", "version", "language", "start", "pass_mark", "description", "iri", "theme"}
THEME_KEYS = {"primary", "text", "background", "font", "font_family", "logo", "logo_alt", "css"}
COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FONT_FAMILY = re.compile(r"^[A-Za-z0-9 _-]{1,64}$")
COMMON_SCENE_KEYS = {"id", "kind", "title", "next", "raw_html"}
SCENE_KEYS = {
    "page": set(),
    "decision": {"choices"},
    "feedback": {"points", "download", "reflection", "options", "options_prompt"},
    "reflection": {"points", "min_length"},
    "quiz": {"questions"},
    "end": set(),
}
CHOICE_KEYS = {"id", "text", "correct", "score", "goto"}
OPTION_KEYS = {"id", "text", "goto"}
QUESTION_KEYS = {"id", "kind", "text", "options", "answer", "points", "feedback_correct", "feedback_incorrect"}
ANSWER_KEYS = {"id", "text", "correct"}
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
IRI = re.compile(r"^(https?://[^\s/]+(/[^\s?#]*)?|urn:[a-zA-Z0-9][a-zA-Z0-9-]{0,31}:[^\s?#]+)$")


def language_tag(fields: Fields) -> str:
    """`language:` as a registered BCP 47 tag (a tag the regex accepts, like `en-GB-GB`, can still
    be one no browser takes, and the player would not start)."""
    hint = "use a code such as `en`, `en-GB`, `cy` or `ar`"
    value = fields.matching("language", LANGUAGE, "en", "language `{value}` is not a language tag", hint)
    import langcodes  # 0.1 s to import: only when a course is loaded

    if not langcodes.tag_is_valid(value):
        raise ContentError(fields.where("language"),
                           f"language `{describe(value, 40)}` is not a valid BCP 47 language tag", hint)
    return value


def read_source(path: Path, root: Path | None = None) -> str:
    """Read a UTF-8 text file, turning every way it can fail into a ContentError."""
    return decode_source(path, read_source_bytes(path, root))


def inside(path: Path, root: Path) -> Path:
    """``path`` with its links resolved, which must stay inside the folder ``root``."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # missing, or a loop of links
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a loop of links"
        raise ContentError(Location(path), f"cannot read file: {reason}") from None
    top = root.resolve()
    if real != top and top not in real.parents:
        raise ContentError(Location(path), "this is a link to a file outside the course folder",
                           "put the file itself in the course folder")
    return real


def read_source_bytes(path: Path, root: Path | None = None) -> bytes:
    """A source file's bytes (inside ``root``, links resolved), at most MAX_SOURCE_BYTES."""
    real = inside(path, root) if root is not None else path
    return read_regular_file(real, MAX_SOURCE_BYTES, "split it into several scenes; put big media in separate files",
                             shown=path)


def read_regular_file(path: Path, limit: int, hint: str, shown: Path | None = None) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them read (the size the file system
    reports is not trusted). A device, a pipe or /dev/zero behind a link is refused, never read."""
    where = Location(shown or path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a pipe must not block the open
        with os.fdopen(fd, "rb", buffering=0) as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ContentError(where, "not a regular file (a folder, device, pipe or socket)",
                                   "course files must be ordinary files")
            chunks: list[bytes] = []
            total = 0
            while total <= limit and info.st_size <= limit:  # in pieces: read(n) would reserve n bytes at once
                chunk = stream.read(min(READ_CHUNK, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
    except OSError as exc:
        raise ContentError(where, f"cannot read file: {exc.strerror or 'input/output error'}") from None
    if len(data) > limit or info.st_size > limit:
        size = f"{limit // 2**30} GiB" if limit >= 2**30 else f"{limit // 2**20} MB"
        raise ContentError(where, f"file is larger than {size}", hint)
    return data


def decode_source(path: Path, data: bytes) -> str:
    """A source file's bytes as text: UTF-8 (a BOM is dropped) and no NUL bytes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(Location(path, line), "file is not UTF-8 text",
                           "save the file as UTF-8 in your editor") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ContentError(Location(path, line), "file contains a NUL byte: it looks like a binary file, not text")
    return text


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """Return (front matter, body, line number of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(Location(path, 1), "a scene file must start with a `---` line",
                           "begin with ---, then `kind:` and `title:` lines, then --- and the text")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise ContentError(Location(path, 1), "the front matter that starts on line 1 is never closed",
                       "add a line with just `---` after the scene's settings")


def default_id(index: int, prefix: str) -> str:
    """Choices and options without an `id:` are a, b, c … (then c26, c27 …, or o26 …)."""
    return chr(ord("a") + index) if index < 26 else f"{prefix}{index}"


def default_scene_id(path: Path) -> str:
    return re.sub(r"^[0-9]+[-_ .]*", "", path.stem).lower()


class CourseLoader:
    def __init__(self, root: Path, cache: SceneCache | None = None) -> None:
        self.root = root
        self.cache = cache
        self.markdown = MarkdownRenderer(root)

    def load(self) -> Course:
        root = self.root
        if not root.is_dir():
            raise ContentError(Location(root), "course folder not found",
                               "give the folder that holds course.yaml, e.g. content/my-course")
        course_file = root / COURSE_FILE
        if not course_file.is_file():
            raise ContentError(Location(course_file), "course.yaml is missing",
                               "create it with at least `id:` and `title:` (see README)")
        data = require_mapping(parse_yaml(read_source(course_file, root), course_file), Location(course_file), "course.yaml")
        fields = Fields(data, COURSE_KEYS, "course.yaml")

        errors = ErrorCollector()
        scenes: dict[str, Scene] = {}
        assets: dict[str, Asset] = {}
        for scene, scene_assets, error in self.load_scenes(self.scene_files()):
            if error is not None:
                errors.add(error)
                continue
            if scene.id in scenes:
                errors.report(scene.location, f"scene id `{scene.id}` is used twice",
                              f"the other one is {scenes[scene.id].location.display(root)}; give each scene its own `id:`")
                continue
            scenes[scene.id] = scene
            for asset in scene_assets:
                assets.setdefault(asset.package_path, asset)
        if not scenes and not errors.errors:
            errors.report(Location(root / SCENES_DIR), "the course has no scenes",
                          "add Markdown files to the scenes/ folder, e.g. scenes/01-welcome.md")
        errors.raise_if_any()

        self.fill_default_next(scenes)
        first = next(iter(scenes))
        course_id = fields.identifier("id")
        course = Course(
            id=course_id,
            title=fields.text("title"),
            version=fields.matching("version", VERSION, "1.0.0", "version `{value}` can't be used in a file name",
                                    "use digits, letters, dots and hyphens, e.g. `1.2.0`"),
            language=language_tag(fields),
            start=fields.identifier("start", default=first),
            pass_mark=fields.integer("pass_mark", None, 0, 100),
            description=fields.text("description", default=""),
            root=root,
            scenes=scenes,
            assets=sorted(assets.values(), key=lambda a: a.package_path),
            location=data.location,
            iri=fields.matching("iri", IRI, f"urn:scormbuild:course:{course_id}",
                                "`iri` is `{value}`, which is not an IRI scormbuild can use",
                                "use an http(s) address your organisation controls, e.g. "
                                "`https://learning.example.org/courses/boundaries`, without ? or #").rstrip("/"),
        )
        if "theme" in data and data["theme"] is not None:
            course.theme = self.theme(require_mapping(data["theme"], fields.where("theme"), "`theme`"))
            for asset in (course.theme.font, course.theme.logo):
                if asset is not None and asset.package_path not in {a.package_path for a in course.assets}:
                    course.assets = sorted([*course.assets, asset], key=lambda a: a.package_path)
        if course.start not in scenes:
            raise ContentError(fields.where("start"), f"start scene `{course.start}` does not exist{suggest(course.start, set(scenes))}")
        check_course(course)
        return course

    def theme(self, data: PositionedDict) -> Theme:
        fields = Fields(data, THEME_KEYS, "`theme`")

        def colour(key: str) -> str | None:
            if not fields.has(key):
                return None
            return fields.matching(key, COLOUR, None, "`{key}` is `{value}`, which is not a colour",
                                   "write colours as #rrggbb, e.g. `#1f5fa8`").lower()

        def local_file(key: str, suffixes: tuple[str, ...]) -> object:
            if not fields.has(key):
                return None
            path = fields.text(key)
            if not path.lower().endswith(suffixes):
                raise ContentError(fields.where(key), f"`{key}` must be a {' or '.join(suffixes)} file",
                                   f"give the path of a {suffixes[0]} file inside the course folder")
            return resolve_local_file(self.root, path, fields.where(key), f"theme {key}")

        logo = local_file("logo", (".svg", ".png", ".jpg", ".jpeg", ".webp"))
        logo_alt = fields.text("logo_alt", default="")
        if logo is not None and not logo_alt:
            raise ContentError(fields.where("logo"), "the logo needs `logo_alt`",
                               "describe the logo for screen readers, e.g. `logo_alt: Care Academy`")
        return Theme(
            primary=colour("primary"), text=colour("text"), background=colour("background"),
            font_family=fields.matching("font_family", FONT_FAMILY, None, "`font_family` `{value}` is not a font name",
                                        "use letters, digits, spaces and hyphens") if fields.has("font_family") else None,
            font=local_file("font", (".woff2", ".woff", ".ttf", ".otf")),  # type: ignore[arg-type]
            logo=logo, logo_alt=logo_alt,  # type: ignore[arg-type]
            custom_css=local_file("css", (".css",)),  # type: ignore[arg-type]
            locations=tuple((key, fields.where(key)) for key in data),
        )

    def load_scenes(self, paths: list[Path]) -> list[SceneResult]:
        """Every scene file's (scene, assets, error), in order.
        With a cache, only files that are new or changed since the last build are parsed."""
        if self.cache is None:
            return [self.scene_result(path) for path in paths]
        results: dict[Path, SceneResult] = {}
        contents: dict[Path, bytes] = {}  # read once: for the cache key, then for parsing if it is a miss
        keys: dict[Path, Key] = {}
        for path in paths:
            try:
                contents[path] = read_source_bytes(path, self.root)
            except ContentError:
                continue  # parsing reports it
            keys[path] = self.cache.key(path, contents[path])
            cached = self.cache.get(keys[path])
            if cached is not None:
                results[path] = (cached[0], cached[1], None)
        changed = [path for path in paths if path not in results]
        for path in changed:
            result = self.scene_result(path, contents)
            scene, assets, error = result
            if error is None and path in keys:
                self.cache.put(keys[path], scene, assets)  # type: ignore[arg-type]
            results[path] = result
        return [results[path] for path in paths]

    def scene_files(self) -> list[Path]:
        folder = self.root / SCENES_DIR
        if not folder.is_dir():
            raise ContentError(Location(folder), "the scenes/ folder is missing",
                               "create it and put one Markdown file per scene in it")
        inside(folder, self.root)
        # Names sorted as text, then made paths: sorting Path objects costs twice as much.
        names = [name for name in sorted(os.listdir(folder)) if name.endswith(".md") and not name.startswith(".")]
        if len(names) > MAX_SCENES:
            raise ContentError(Location(folder), f"{len(names):,} scene files; the limit is {MAX_SCENES:,}",
                               "split the course into several courses")
        return [folder / name for name in names]

    @staticmethod
    def fill_default_next(scenes: dict[str, Scene]) -> None:
        """Pages, reflections and quizzes without `next:` lead to the following file's scene."""
        ordered = list(scenes.values())
        for scene, following in zip(ordered, ordered[1:] + [None], strict=True):
            if scene.next is None and isinstance(scene, (PageScene, ReflectionScene, QuizScene)):
                if following is None:
                    raise ContentError(scene.location, f"scene `{scene.id}` is the last file and has no `next:`",
                                       "add `next: <scene id>` or make the last scene `kind: end`")
                scene.next = following.id

    # -- scenes ---------------------------------------------------------------

    def scene_result(self, path: Path, contents: Mapping[Path, bytes] = MappingProxyType({})) -> SceneResult:
        """One file's (scene, assets, error); ``contents`` holds the bytes of files read already."""
        try:
            scene, assets = self.load_scene(path, contents.get(path))
            return scene, assets, None
        except ContentError as error:
            return None, [], error

    def load_scene(self, path: Path, data: bytes | None = None) -> tuple[Scene, list[Asset]]:
        """One scene file (``data``: its bytes, if they have been read already)."""
        text = read_source(path, self.root) if data is None else decode_source(path, data)
        front, body, body_line = split_front_matter(text, path)
        data = require_mapping(parse_yaml(front, path, line_offset=1), Location(path, 2), "the front matter")
        kind = data.get("kind")
        if not isinstance(kind, str) or kind not in SCENE_KINDS:
            shown = describe(kind, 40)
            raise ContentError(data.where("kind"),
                               f"unknown scene kind `{shown}`{suggest(shown, set(SCENE_KINDS))}" if kind else "the scene has no `kind:`",
                               "kind must be one of: " + ", ".join(SCENE_KINDS))
        fields = Fields(data, COMMON_SCENE_KEYS | SCENE_KEYS[kind], f"a {kind} scene")
        raw_html = fields.boolean("raw_html", False)
        rendered = self.markdown.render(body, path, body_line, raw_html)
        common = dict(
            id=fields.identifier("id", default=default_scene_id(path)),
            kind=kind,
            title=fields.text("title", example="A friend request"),
            body_html=rendered.html,
            location=data.location,
            next=fields.optional_identifier("next"),
        )
        build: Callable[[Fields, dict], Scene] = getattr(self, f"_{kind}")
        return build(fields, common), rendered.assets

    def _page(self, fields: Fields, common: dict) -> Scene:
        return PageScene(**common)

    def _end(self, fields: Fields, common: dict) -> Scene:
        if common["next"]:
            raise ContentError(fields.where("next"), "an end scene cannot have `next:`", "remove the line")
        return EndScene(**common)

    def _decision(self, fields: Fields, common: dict) -> Scene:
        items = fields.mapping_list("choices", required=True)
        if len(items) < 2:
            raise ContentError(fields.where("choices"), "a decision needs at least two choices")
        if len(items) > MAX_CHOICES:
            raise ContentError(fields.where("choices"), f"a decision can have at most {MAX_CHOICES} choices",
                               "split it into two decisions")
        choices = [self._choice(item, index, common["next"]) for index, item in enumerate(items)]
        self._unique_ids([(c.id, c.location) for c in choices], "choice")
        return DecisionScene(**common, choices=choices)

    def _choice(self, item: PositionedDict, index: int, scene_next: str | None) -> Choice:
        fields = Fields(item, CHOICE_KEYS, "a choice")
        correct = fields.boolean("correct", False)
        goto = fields.optional_identifier("goto") or scene_next
        if goto is None:
            raise ContentError(fields.where(), "this choice leads nowhere",
                               "add `goto: <scene id>` to the choice, or `next:` to the scene")
        return Choice(
            id=fields.identifier("id", default=default_id(index, "c")),
            text=fields.text("text", example="Accept the request"),
            goto=goto,
            location=fields.where("goto"),  # where a wrong target is best reported
            correct=correct,
            score=fields.integer("score", 1 if correct else 0, 0, 1000),
        )

    def _feedback(self, fields: Fields, common: dict) -> Scene:
        options = []
        for index, item in enumerate(fields.mapping_list("options")):
            option = Fields(item, OPTION_KEYS, "an option")
            options.append(Choice(
                id=option.identifier("id", default=default_id(index, "o")),
                text=option.text("text", example="Try again"),
                goto=option.identifier("goto"),
                location=option.where("goto"),
            ))
        self._unique_ids([(o.id, o.location) for o in options], "option")
        if not options and not common["next"]:
            raise ContentError(fields.where(), "a feedback scene needs `options:` or `next:`",
                               "add options such as `- text: Try again` with `goto: <scene id>`")
        return FeedbackScene(
            **common,
            points=[self.markdown.render_inline(p) for p in fields.text_list("points")],
            download=fields.boolean("download", False),
            reflection=fields.optional_identifier("reflection"),
            options=options,
            options_prompt=fields.text("options_prompt", default="What do you want to do now?"),
        )

    def _reflection(self, fields: Fields, common: dict) -> Scene:
        return ReflectionScene(
            **common,
            points=[self.markdown.render_inline(p) for p in fields.text_list("points")],
            min_length=fields.integer("min_length", 1, 1, 4000),
        )

    def _quiz(self, fields: Fields, common: dict) -> Scene:
        items = fields.mapping_list("questions", required=True)
        if not items:
            raise ContentError(fields.where("questions"), "a quiz needs at least one question")
        questions = [self._question(item, index) for index, item in enumerate(items)]
        self._unique_ids([(q.id, q.location) for q in questions], "question")
        return QuizScene(**common, questions=questions)

    def _question(self, item: PositionedDict, index: int) -> Question:
        fields = Fields(item, QUESTION_KEYS, "a question")
        kind = fields.text("kind", default="single")
        if kind not in ("single", "multiple", "true-false"):
            raise ContentError(fields.where("kind"), f"unknown question kind `{describe(kind, 40)}`{suggest(kind[:100], {'single', 'multiple', 'true-false'})}",
                               "use single, multiple or true-false")
        if kind == "true-false":
            if "options" in item:
                raise ContentError(fields.where("options"), "a true-false question takes `answer: true` or `answer: false`, not options")
            if not fields.has("answer"):
                raise ContentError(fields.where(), "a true-false question needs `answer: true` or `answer: false`")
            answer = fields.boolean("answer", False)
            options = (Option("true", "True", answer), Option("false", "False", not answer))
        else:
            if "answer" in item:
                raise ContentError(fields.where("answer"), "`answer:` is only for true-false questions",
                                   "mark the right options with `correct: true`")
            options = tuple(self._option(o, i) for i, o in enumerate(fields.mapping_list("options", required=True)))
            if len(options) < 2:
                raise ContentError(fields.where("options"), "a question needs at least two options")
            self._unique_ids([(o.id, fields.where("options")) for o in options], "option")
            right = sum(o.correct for o in options)
            if right == 0 or (kind == "single" and right != 1):
                raise ContentError(fields.where("options"),
                                   f"a {kind}-choice question needs {'exactly one' if kind == 'single' else 'at least one'} option with `correct: true`")
        return Question(
            id=fields.identifier("id", default=f"q{index + 1}"),
            kind=kind,  # type: ignore[arg-type]
            text=fields.text("text", example="Is it ever right to ...?"),
            options=options,
            points=fields.integer("points", 1, 0, 1000) or 0,
            feedback_correct=fields.text("feedback_correct", default="Correct."),
            feedback_incorrect=fields.text("feedback_incorrect", default="Not quite."),
            location=fields.where(),
        )

    def _option(self, item: PositionedDict, index: int) -> Option:
        fields = Fields(item, ANSWER_KEYS, "an answer option")
        return Option(fields.identifier("id", default=default_id(index, "o")),
                      fields.text("text"), fields.boolean("correct", False))

    @staticmethod
    def _unique_ids(items: list[tuple[str, Location]], what: str) -> None:
        seen: set[str] = set()
        for item_id, location in items:
            if item_id in seen:
                raise ContentError(location, f"two {what}s have the id `{item_id}`", f"give each {what} its own `id:`")
            seen.add(item_id)


SceneResult = tuple[Scene | None, list[Asset], ContentError | None]


def load_course(root: Path, cache: SceneCache | None = None) -> Course:
    """Read and check a whole course; raises ContentError(s) on any problem.
    Scenes in ``cache`` whose file is unchanged are not parsed again."""
    return CourseLoader(Path(root), cache).load()
