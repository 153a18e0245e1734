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
from scormbuild.content.fields import IDENTIFIER, IDENTIFIER_HINT, Fields, Key, require_mapping, suggest
from scormbuild.content.markdown import MarkdownRenderer, resolve_local_file
from scormbuild.content.yamlpos import PositionedDict, parse_yaml
from scormbuild.errors import ContentError, ContentErrors, ErrorCollector, Location, describe
from scormbuild.kinds import KINDS, SCENE_KINDS
from scormbuild.model import Asset, Course, Scene, Theme

COURSE_FILE = "course.yaml"
SCENES_DIR = "scenes"
MAX_SOURCE_BYTES = 2 * 1024 * 1024  # one course.yaml or scene file, counted on what is read
MAX_SCENES = 20_000  # a package holds at most 65,535 files
MAX_MEDIA_BYTES = 2**30  # one image, video or download: a package is at most 4 GiB
READ_CHUNK = 2**20

COURSE_KEYS = (
    Key("id", "identifier", "The course's id: lowercase letters, digits and hyphens; part of the package name.",
        required=True),
    Key("title", "text", "The course's title, shown to learners and in the LMS.", required=True),
    Key("version", "text", "Part of the package's file name, e.g. `1.2.0`.", default="1.0.0"),
    Key("language", "text", "A BCP 47 language tag (`en`, `en-GB`, `fr`, `ar`); chooses the player's texts "
        "and direction.", default="en"),
    Key("start", "identifier", "The first scene. Default: the first scene file."),
    Key("pass_mark", "integer", "Percent of the score needed to pass; without it the course is completed, "
        "not passed or failed.", low=0, high=100),
    Key("description", "text", "A sentence for the LMS's catalogue and the xAPI course activity."),
    Key("iri", "text", "The course's xAPI activity id: an http(s) address your organisation controls. "
        "Default: `urn:scormbuild:course:<id>`."),
    Key("theme", "mapping", "The course's look (below)."),
)
THEME_KEYS = (
    Key("primary", "text", "Colour of buttons, links and progress (#rrggbb); checked for 4.5:1 contrast with white.",
        json=(("pattern", "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"),)),
    Key("text", "text", "Text colour; checked against white and the background.",
        json=(("pattern", "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"),)),
    Key("background", "text", "Page background colour.", json=(("pattern", "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"),)),
    Key("font", "text", "A font file in the course folder (.woff2, .woff, .ttf, .otf), bundled in the package."),
    Key("font_family", "text", "The font's name."),
    Key("logo", "text", "A logo in the course folder (.svg, .png, .jpg, .webp)."),
    Key("logo_alt", "text", "The logo's text for screen readers; required with a logo."),
    Key("css", "text", "A CSS file in the course folder, applied after the theme."),
)
COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FONT_FAMILY = re.compile(r"^[A-Za-z0-9 _-]{1,64}$")
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
                for problem in error.errors if isinstance(error, ContentErrors) else [error]:
                    errors.add(problem)
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
            if scene.next is None and KINDS[scene.kind].leads_on:
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
        except ContentErrors as errors:
            return None, [], errors

    def load_scene(self, path: Path, data: bytes | None = None) -> tuple[Scene, list[Asset]]:
        """One scene file (``data``: its bytes, if they have been read already). Every problem
        with its keys is reported at once (ContentErrors)."""
        text = read_source(path, self.root) if data is None else decode_source(path, data)
        front, body, body_line = split_front_matter(text, path)
        data = require_mapping(parse_yaml(front, path, line_offset=1), Location(path, 2), "the front matter")
        name = data.get("kind")
        if not isinstance(name, str) or name not in KINDS:
            shown = describe(name, 40)
            raise ContentError(data.where("kind"),
                               f"unknown scene kind `{shown}`{suggest(shown, set(SCENE_KINDS))}" if name else "the scene has no `kind:`",
                               "kind must be one of: " + ", ".join(SCENE_KINDS))
        kind = KINDS[name]
        errors = ErrorCollector()
        fields = Fields(data, kind.all_keys(), f"a {name} scene", errors)
        values = fields.read()
        body_html, assets = "", []
        try:
            rendered = self.markdown.render(body, path, body_line, bool(values.get("raw_html")))
            body_html, assets = rendered.html, rendered.assets
        except ContentError as error:
            errors.add(error)
        scene_id = values.get("id") or default_scene_id(path)
        if not fields.has("id"):  # the file name must make a valid id
            fields.check(bool(IDENTIFIER.fullmatch(scene_id)), "id",
                         f"`id` is `{describe(scene_id)}`, which is not a valid identifier", IDENTIFIER_HINT)
        common = dict(id=scene_id, kind=name, title=values.get("title", ""),
                      body_html=body_html, location=data.location, next=values.get("next"))
        try:
            scene = kind.build(fields, values, common, self.markdown.render_inline)
        except ContentError as error:
            errors.add(error)
        if len(errors.errors) == 1:
            raise errors.errors[0]
        errors.raise_if_any()
        return scene, assets


SceneResult = tuple[Scene | None, list[Asset], ContentError | ContentErrors | None]


def load_course(root: Path, cache: SceneCache | None = None) -> Course:
    """Read and check a whole course; raises ContentError(s) on any problem.
    Scenes in ``cache`` whose file is unchanged are not parsed again."""
    return CourseLoader(Path(root), cache).load()
