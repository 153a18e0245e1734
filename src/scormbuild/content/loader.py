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
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from scormbuild.content.cache import Key as CacheKey
from scormbuild.content.cache import SceneCache
from scormbuild.content.conditions import read_branches
from scormbuild.content.fields import IDENTIFIER, IDENTIFIER_HINT, Fields, require_mapping, suggest
from scormbuild.content.files import (  # noqa: F401 - MAX_*, read_regular_file: where commands found them
    MAX_MEDIA_BYTES,
    MAX_SOURCE_BYTES,
    decode_source,
    inside,
    read_regular_file,
    read_source,
    read_source_bytes,
    split_front_matter,
)
from scormbuild.content.images import background_image
from scormbuild.content.markdown import MarkdownRenderer
from scormbuild.content.settings import course_fields, read_course_settings
from scormbuild.content.yamlpos import parse_yaml
from scormbuild.errors import ContentError, ContentErrors, ErrorCollector, Location, describe
from scormbuild.kinds import KINDS, SCENE_KINDS
from scormbuild.kinds.dialogue import check_speakers
from scormbuild.model import Asset, Course, Scene, Theme

COURSE_FILE = "course.yaml"
SCENES_DIR = "scenes"
MAX_SCENES = 20_000  # a package holds at most 65,535 files
EXPLICIT_ID = re.compile(r"^id:\s*['\"]?([a-z0-9-]+)", re.M)
MAX_FRONT_MATTER_SCAN = 20_000  # characters of an unreadable scene file searched for its `id:`

def report_links_to_nowhere(scene: Scene, known: set[str], errors: ErrorCollector) -> None:
    """Every `next:`, `goto:` or branch of ``scene`` that names none of the ``known`` scene ids."""
    for target, location in scene.targets():
        if target not in known:
            errors.report(location, f"scene `{target}` does not exist{suggest(target, known)}",
                          "point to the id of an existing scene (the file name without its leading number)")


def default_scene_id(path: Path) -> str:
    return re.sub(r"^[0-9]+[-_ .]*", "", path.stem).lower()


class CourseLoader:
    def __init__(self, root: Path, cache: SceneCache | None = None) -> None:
        self.root = root
        self.cache = cache
        self.markdown = MarkdownRenderer(root)
        self.scenes_folder: Path | None = None  # its real path, once scene_files() has checked it

    def load(self) -> Course:
        root = self.root
        if not root.is_dir():
            raise ContentError(Location(root), "course folder not found",
                               "give the folder that holds course.yaml, e.g. content/my-course")
        course_file = root / COURSE_FILE
        if not course_file.is_file():
            raise ContentError(Location(course_file), "course.yaml is missing",
                               "create it with at least `id:` and `title:` (see the user guide, Getting started)")
        data = require_mapping(parse_yaml(read_source(course_file, root), course_file), Location(course_file),
                               "course.yaml")
        errors = ErrorCollector()
        fields = course_fields(data, root, errors)
        settings = read_course_settings(fields)

        scenes: dict[str, Scene] = {}
        assets: dict[str, Asset] = {}
        paths = self.scene_files()
        unread: list[Path] = []  # scene files with a problem: their scenes are missing below
        for path, (scene, scene_assets, error) in zip(paths, self.load_scenes(paths), strict=True):
            if error is not None:
                for problem in error.errors if isinstance(error, ContentErrors) else [error]:
                    errors.add(problem)
                unread.append(path)
                continue
            assert scene is not None  # a result without an error has its scene
            if scene.id in scenes:
                errors.report(scene.location, f"scene id `{scene.id}` is used twice",
                              f"the other one is {scenes[scene.id].location.display(root)}; "
                              f"give each scene its own `id:`")
                continue
            scenes[scene.id] = scene
            for asset in scene_assets:
                assets.setdefault(asset.package_path, asset)
        for scene in scenes.values():
            check_speakers(scene.speech(), settings["characters"], errors)
        if errors.errors and scenes:  # say now, not in the next run, which links go nowhere
            self.report_missing_targets(scenes, unread, errors)
        if not scenes and not errors.errors:
            errors.report(Location(root / SCENES_DIR), "the course has no scenes",
                          "add Markdown files to the scenes/ folder, e.g. scenes/01-welcome.md")
        if len(errors.errors) == 1:
            raise errors.errors[0]
        errors.raise_if_any()

        self.fill_default_next(scenes)
        theme: Theme = settings["theme"]
        start = settings["start"] or next(iter(scenes))
        if start not in scenes:
            raise ContentError(fields.where("start"),
                               f"start scene `{start}` does not exist{suggest(start, set(scenes))}")
        portraits = [c.portrait.asset for c in settings["characters"].values() if c.portrait]
        for theme_file in (theme.font, theme.logo, *portraits):
            if theme_file is not None:
                assets.setdefault(theme_file.package_path, theme_file)
        return Course(
            id=settings["id"], title=settings["title"], version=settings["version"], language=settings["language"],
            start=start, pass_mark=settings["pass_mark"], description=settings["description"], root=root,
            scenes=scenes, assets=sorted(assets.values(), key=lambda a: a.package_path), location=data.location,
            iri=settings["iri"] or f"urn:scormbuild:course:{settings['id']}", theme=theme,
            scoring=settings["scoring"], texts=dict(settings["texts"]),
            characters=settings["characters"], variables=settings["variables"], yaml_warnings=data.warnings,
        )

    def load_scenes(self, paths: list[Path]) -> list[SceneResult]:
        """Every scene file's (scene, assets, error), in order.
        With a cache, only files that are new or changed since the last build are parsed."""
        if self.cache is None:
            return [self.scene_result(path) for path in paths]
        results: dict[Path, SceneResult] = {}
        contents: dict[Path, bytes] = {}  # read once: for the cache key, then for parsing if it is a miss
        keys: dict[Path, CacheKey] = {}
        for path in paths:
            try:
                contents[path] = read_source_bytes(path, self.root, self.scenes_folder)
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
        self.scenes_folder = inside(folder, self.root)
        # Names sorted as text, then made paths: sorting Path objects costs twice as much.
        names = [name for name in sorted(os.listdir(folder)) if name.endswith(".md") and not name.startswith(".")]
        if len(names) > MAX_SCENES:
            raise ContentError(Location(folder), f"{len(names):,} scene files; the limit is {MAX_SCENES:,}",
                               "split the course into several courses")
        return [folder / name for name in names]

    def report_missing_targets(self, scenes: dict[str, Scene], unread: list[Path], errors: ErrorCollector) -> None:
        """Links to scenes that no file holds, reported with the files' own problems (the full check
        of the scenario runs once every file reads). A file that could not be read may hold the
        scene: its id is taken from its name, or from an `id:` line."""
        maybe = set(scenes)
        for path in unread:
            maybe.add(default_scene_id(path))
            try:  # with the same guards as reading it (no link out of the folder, no FIFO, a size limit)
                head = read_source_bytes(path, self.root, self.scenes_folder)[:MAX_FRONT_MATTER_SCAN]
            except ContentError:
                continue
            maybe.update(EXPLICIT_ID.findall(head.decode("utf-8", "replace")))
        for scene in scenes.values():
            report_links_to_nowhere(scene, maybe, errors)

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
        if data is None:
            data = read_source_bytes(path, self.root, self.scenes_folder)
        text = decode_source(path, data)
        front, body, body_line = split_front_matter(text, path)
        front_data = require_mapping(parse_yaml(front, path, line_offset=1), Location(path, 2), "the front matter")
        name = front_data.get("kind")
        if not isinstance(name, str) or name not in KINDS:
            shown = describe(name, 40)
            raise ContentError(front_data.where("kind"),
                               f"unknown scene kind `{shown}`{suggest(shown, set(SCENE_KINDS))}"
                               if name else "the scene has no `kind:`",
                               "kind must be one of: " + ", ".join(SCENE_KINDS))
        kind = KINDS[name]
        errors = ErrorCollector()
        fields = Fields(front_data, kind.all_keys(), f"a {name} scene", errors, context=self.markdown)
        values = fields.read()
        media = [loaded for loaded in (values.get("video"), values.get("audio")) if loaded is not None]
        body_html, assets = "", [asset for _, media_assets in media for asset in media_assets]
        try:
            rendered = self.markdown.render(body, path, body_line, bool(values.get("raw_html")))
            body_html, assets = rendered.html, rendered.assets + assets
        except ContentError as error:
            errors.add(error)
        except ContentErrors as problems:  # several images without alt text
            errors.errors += problems.errors
        scene_id = values.get("id") or default_scene_id(path)
        if not fields.has("id"):  # the file name must make a valid id
            fields.check(bool(IDENTIFIER.fullmatch(scene_id)), "id",
                         f"`id` is `{describe(scene_id)}`, which is not a valid identifier", IDENTIFIER_HINT)
        common = dict(id=scene_id, kind=name, title=values.get("title", ""),
                      body_html=body_html, location=front_data.location, next=values.get("next"),
                      media=tuple(loaded[0] for loaded in media),
                      background=background_image(fields, values),
                      branches=read_branches(fields, values.get("branches") or []),
                      yaml_warnings=front_data.warnings)
        try:
            scene = kind.build(fields, values, common, self.markdown.render_inline)
        except ContentError as error:
            errors.add(error)
        if len(errors.errors) == 1:
            raise errors.errors[0]
        errors.raise_if_any()
        return scene, assets + [image.asset for image in scene.images()]


SceneResult = tuple[Scene | None, list[Asset], ContentError | ContentErrors | None]
