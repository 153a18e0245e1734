"""Model -> player files (index.html, assets, course media) via jinja2."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

import rcssmin
import rjsmin
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scormbuild.content.files import MAX_MEDIA_BYTES, read_regular_file
from scormbuild.kinds import KINDS
from scormbuild.messages import TEMPLATES_DIR, catalog_tags, messages
from scormbuild.model import Course
from scormbuild.player_data import REFLECTION_MAX_LENGTH, change_list, course_data
from scormbuild.standards.base import LAUNCH_FILE
from scormbuild.theme import direction, theme_css

PLAYER_ASSETS = ("player.css", "state.js", "player.js")
MEDIA_ASSET = "media.js"  # only in packages whose scenes have a video or audio


def shipped(name: str, source: str) -> str:
    """A script or style sheet as packages carry it: comments and spaces out (the sources keep
    their JSDoc for tsc; this is about a quarter of the player's gzip payload), nothing renamed."""
    if name.endswith(".js"):
        return str(rjsmin.jsmin(source))
    if name.endswith(".css"):
        return str(rcssmin.cssmin(source))
    return source


@cache
def catalog_file(tag: str) -> bytes:
    return json.dumps(messages(tag), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


@cache
def player_asset(name: str) -> bytes:
    """One of PLAYER_ASSETS; player.js ships with the scene-kind handlers (assets/kinds/*.js) before it."""
    folder = TEMPLATES_DIR / "assets"
    parts = sorted((folder / "kinds").glob("*.js")) if name == "player.js" else []
    sources = [path.read_text("utf-8").rstrip() + "\n;\n" for path in parts] + [(folder / name).read_text("utf-8")]
    return shipped(name, "".join(sources)).encode("utf-8")


@cache
def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=True)
    environment.filters["change_list"] = change_list
    return environment


def _script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element (no '</script>' can appear)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


RUNTIME_BUNDLE = "assets/runtime.js"


def runtime_bundle(runtime_scripts: Sequence[str], config: dict[str, object] | None = None) -> bytes:
    """One standard's runtime adapter scripts joined into assets/runtime.js.

    index.html is then the same page for every standard, so a build of all
    formats renders (and compresses) it once. Each script is an IIFE. The
    standard's settings (``config``) come first, as window.ScormbuildRuntimeConfig.
    """
    parts = [f"/* scormbuild runtime adapter: {', '.join(runtime_scripts)} */\n"]
    if config:
        parts.append(f"window.ScormbuildRuntimeConfig = {_script_json(config)};\n")
    for name in runtime_scripts:
        parts.append(f"\n/* ---- {name} ---- */\n{_shipped_script(name)};\n")
    return "".join(parts).encode("utf-8")


@cache
def _shipped_script(name: str) -> str:
    return shipped(name, (TEMPLATES_DIR / "assets" / name).read_text("utf-8")).rstrip()


class Player:
    """The rendered player of one course: index.html and the shared assets,
    the same for every standard; each standard adds its runtime bundle."""

    def __init__(self, course: Course) -> None:
        self.course = course
        data = course_data(course)
        has_media = any(scene.media for scene in course.scene_list)
        html = _environment().get_template("player.html.j2").render(
            course=course, t=data["messages"], course_json=_script_json(data),
            runtime_src=RUNTIME_BUNDLE, kinds=KINDS, direction=direction(course.language),
            main_path_length=len(data["mainPath"]), theme=course.theme,
            reflection_max_length=REFLECTION_MAX_LENGTH, has_media=has_media,
        )
        self.shared: dict[str, bytes] = {LAUNCH_FILE: html.encode("utf-8")}
        self.shared.update({f"assets/{name}": player_asset(name) for name in PLAYER_ASSETS})
        # Every interface language, for a learner whose LMS says they prefer another one.
        self.shared.update({f"assets/messages/{tag}.json": catalog_file(tag) for tag in catalog_tags()})
        if has_media:
            self.shared[f"assets/{MEDIA_ASSET}"] = player_asset(MEDIA_ASSET)
        if course.theme.css:
            self.shared["assets/theme.css"] = theme_css(course.theme).encode("utf-8")
        for asset in course.assets:
            self.shared[asset.package_path] = read_regular_file(
                asset.source, MAX_MEDIA_BYTES, "link to big media on a server instead of packaging it")

    def files(self, runtime_scripts: Sequence[str], config: dict[str, object] | None = None) -> dict[str, bytes]:
        """All files of the player with one runtime adapter, by package path."""
        return {**self.shared, RUNTIME_BUNDLE: runtime_bundle(runtime_scripts, config)}
