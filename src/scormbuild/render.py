"""Model -> player files (index.html with the player inlined, course media) via jinja2."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import rcssmin
import rjsmin
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from scormbuild.content.files import MAX_MEDIA_BYTES, read_regular_file
from scormbuild.kinds import KINDS
from scormbuild.messages import TEMPLATES_DIR, catalog_tags, messages
from scormbuild.model import Course
from scormbuild.player_data import REFLECTION_MAX_LENGTH, change_list, course_data
from scormbuild.standards.base import LAUNCH_FILE
from scormbuild.theme import direction, theme_css

PLAYER_ASSETS = ("player.css", "state.js", "player.js")
MEDIA_ASSET = "media.js"  # only for courses whose scenes have a video or audio


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
    """One standard's runtime adapter scripts joined into one script (inlined in index.html).

    Each script is an IIFE. The standard's settings (``config``) come first, as
    window.ScormbuildRuntimeConfig.
    """
    parts = [f"/* scormbuild runtime adapter: {', '.join(runtime_scripts)} */\n"]
    if config:
        parts.append(f"window.ScormbuildRuntimeConfig = {_script_json(config)};\n")
    for name in runtime_scripts:
        parts.append(f"\n/* ---- {name} ---- */\n{_shipped_script(name)};\n")
    return inline_script("".join(parts), "the runtime bundle").encode("utf-8")


@cache
def _shipped_script(name: str) -> str:
    return shipped(name, (TEMPLATES_DIR / "assets" / name).read_text("utf-8")).rstrip()


class UnsafeInlineError(ValueError):
    """A script that would end its <script> element early, or change how HTML reads it."""


# Inside <script>, HTML ends the element at "</script" and enters an escaped state at "<!--" (in which
# "<script" nests and "</script>" no longer closes); JavaScript also reads "<!--" as a line comment.
# rjsmin can write "<!--" from code that had none: `a < !--b` becomes `a<!--b`.
_UNSAFE_IN_SCRIPT = re.compile(r"</script|<!--", re.IGNORECASE)
_UNSAFE_IN_STYLE = re.compile(r"</style", re.IGNORECASE)


def inline_script(text: str, name: str) -> str:
    """``text`` as the body of an inline <script>; UnsafeInlineError (a scormbuild bug: the tests
    build every shipped script) if it holds "</script" or "<!--"."""
    found = _UNSAFE_IN_SCRIPT.search(text)
    if found:
        raise UnsafeInlineError(f"{name} cannot be inlined: it contains {found.group(0)!r} at {found.start()}")
    return text


def inline_style(text: str) -> str | None:
    """``text`` as the body of an inline <style>, or None when it holds "</style"."""
    return None if _UNSAFE_IN_STYLE.search(text) else text


@cache
def inline_asset(name: str) -> Markup:
    """A player asset (PLAYER_ASSETS, MEDIA_ASSET) checked to be safe inside its element."""
    text = player_asset(name).decode("utf-8")
    if name.endswith(".css"):
        style = inline_style(text)
        if style is None:
            raise UnsafeInlineError(f"{name} cannot be inlined: it contains '</style'")
        return Markup(style)
    return Markup(inline_script(text, name))


def _page_assets() -> dict[str, Markup]:
    """The template's player_css, state_js, player_js and media_js: the assets' text for the page."""
    return {name.replace(".", "_"): inline_asset(name) for name in (*PLAYER_ASSETS, MEDIA_ASSET)}


# Where each standard's runtime bundle goes in the page rendered once for all of them. It is in
# the <head>, before any content (which a raw_html scene may fill with anything): the first
# occurrence is the one.
RUNTIME_SLOT = "<!--scormbuild:runtime-->"


class Player:
    """The rendered player of one course, for every standard: each standard adds its runtime.

    ``inline`` (packages): everything the first scene needs is in index.html, so that a slow
    network costs one round trip, not a second one for scripts and style sheet: the style
    sheets, state.js and the runtime in the <head> (they run while the rest of the page is
    arriving), player.js with its scene kinds and media.js (if a scene has media) at the end.
    The page is rendered once, with a slot for each standard's runtime bundle. The interface
    languages (fetched only for a learner who prefers another one), a theme's own CSS file and
    the course media stay files.

    Not ``inline`` (the preview): one index.html for every standard that loads the player
    from assets/, so that a reload after an edit reuses the browser's compiled scripts.
    """

    def __init__(self, course: Course, inline: bool = True) -> None:
        self.course = course
        self.inline = inline
        data = course_data(course)
        has_media = any(scene.media for scene in course.scene_list)
        theme_style = _theme_style(course) if inline else None
        assets = _page_assets() if inline else {}
        html = _environment().get_template("player.html.j2").render(
            course=course, t=data["messages"], course_json=_script_json(data),
            kinds=KINDS, direction=direction(course.language),
            main_path_length=len(data["mainPath"]), theme=course.theme,
            reflection_max_length=REFLECTION_MAX_LENGTH, has_media=has_media, inline=inline,
            theme_style=theme_style, runtime_js=Markup(RUNTIME_SLOT),
            **assets,
        )
        self.shared: dict[str, bytes] = {}
        if inline:
            head, slot, tail = html.partition(RUNTIME_SLOT)
            if not slot:
                raise ValueError("the page template has no runtime slot")
            self._page = (head.encode("utf-8"), tail.encode("utf-8"))
        else:
            self.shared[LAUNCH_FILE] = html.encode("utf-8")
            self.shared.update({f"assets/{name}": player_asset(name) for name in PLAYER_ASSETS})
            if has_media:
                self.shared[f"assets/{MEDIA_ASSET}"] = player_asset(MEDIA_ASSET)
        # Every interface language, for a learner whose LMS says they prefer another one.
        self.shared.update({f"assets/messages/{tag}.json": catalog_file(tag) for tag in catalog_tags()})
        if course.theme.css and theme_style is None:
            self.shared["assets/theme.css"] = theme_css(course.theme).encode("utf-8")
        for asset in course.assets:
            self.shared[asset.package_path] = read_regular_file(
                asset.source, MAX_MEDIA_BYTES, "link to big media on a server instead of packaging it")

    def files(self, runtime_scripts: Sequence[str], config: dict[str, object] | None = None) -> dict[str, bytes]:
        """All files of the player with one runtime adapter, by package path."""
        runtime = runtime_bundle(runtime_scripts, config)
        if not self.inline:
            return {**self.shared, RUNTIME_BUNDLE: runtime}
        head, tail = self._page
        return {**self.shared, LAUNCH_FILE: head + runtime + tail}


def _theme_style(course: Course) -> Markup | None:
    """The theme's CSS for a <style> in the page; None without a theme, or when it stays the file
    assets/theme.css: the course's own CSS file (its relative addresses, url() or image-set(),
    are relative to that file), or text that would end the <style> element."""
    if not course.theme.css or course.theme.custom_css is not None:
        return None
    style = inline_style(theme_css(course.theme, in_page=True))
    return None if style is None else Markup(style)
