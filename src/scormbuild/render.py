"""Model -> player files (index.html, assets, course media) via jinja2."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scormbuild.model import Course, DecisionScene, FeedbackScene, QuizScene, ReflectionScene, Scene, Theme
from scormbuild.lint import main_path
from scormbuild.xapi_activities import player_xapi_data

TEMPLATES_DIR = Path(str(resources.files("scormbuild.templates")))
PLAYER_ASSETS = ("player.css", "state.js", "player.js")


@lru_cache(maxsize=None)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=True)


def messages(language: str) -> dict[str, str]:
    """The player's texts for a language, falling back to English."""
    catalog_dir = TEMPLATES_DIR / "messages"
    english = json.loads((catalog_dir / "en.json").read_text("utf-8"))
    for tag in (language, language.split("-")[0]):
        path = catalog_dir / f"{tag.lower()}.json"
        if path.is_file():
            return {**english, **json.loads(path.read_text("utf-8"))}
    return english


def fingerprint(course: Course) -> str:
    """Changes whenever saved progress from another build would be misread."""
    shape = [f"{s.id}:{s.kind}:{len(getattr(s, 'questions', []))}" for s in course.scene_list]
    return hashlib.sha256("\n".join(shape).encode()).hexdigest()[:8]


def _scene_data(scene: Scene) -> dict[str, Any]:
    data: dict[str, Any] = {"id": scene.id, "kind": scene.kind, "title": scene.title, "next": scene.next}
    if isinstance(scene, DecisionScene):
        data["maxScore"] = scene.max_score
        data["choices"] = [{"id": c.id, "goto": c.goto, "correct": c.correct, "score": c.score}
                           for c in scene.choices]
    elif isinstance(scene, FeedbackScene):
        data["reflection"] = scene.reflection
    elif isinstance(scene, ReflectionScene):
        data["minLength"] = scene.min_length
    elif isinstance(scene, QuizScene):
        data["questions"] = [{
            "id": q.id, "kind": q.kind, "text": q.text, "points": q.points,
            "feedbackCorrect": q.feedback_correct, "feedbackIncorrect": q.feedback_incorrect,
            "options": [{"id": o.id, "correct": o.correct} for o in q.options],
        } for q in scene.questions]
    return data


def course_data(course: Course) -> dict[str, Any]:
    return {
        "id": course.id, "title": course.title, "version": course.version, "language": course.language,
        "start": course.start, "passMark": course.pass_mark, "fingerprint": fingerprint(course),
        "mainPath": main_path(course),
        "messages": messages(course.language),
        "scenes": [_scene_data(scene) for scene in course.scene_list],
        "xapi": player_xapi_data(course),
    }


def _script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element (no '</script>' can appear)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


FONT_FORMATS = {".woff2": "woff2", ".woff": "woff", ".ttf": "truetype", ".otf": "opentype"}


def theme_css(theme: Theme) -> str:
    """CSS that applies a course's theme over the default one (loaded after player.css)."""
    colours = {"--accent": theme.primary, "--ink": theme.text, "--wash": theme.background}
    lines = ["/* Generated from the course's theme: settings. */", ":root {"]
    lines += [f"  {name}: {value};" for name, value in colours.items() if value]
    lines.append("}")
    family = theme.font_family or ("Course font" if theme.font else None)
    if theme.font is not None:
        suffix = Path(theme.font.package_path).suffix.lower()
        lines += ["@font-face {", f'  font-family: "{family}";',
                  f'  src: url("../{theme.font.package_path}") format("{FONT_FORMATS[suffix]}");',
                  "  font-display: swap;", "}"]
    if family:
        lines.append(f'body {{ font-family: "{family}", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }}')
    if theme.custom_css is not None:
        lines += [f"/* From {theme.custom_css.package_path.removeprefix('content/')} */",
                  theme.custom_css.source.read_text("utf-8", errors="replace")]
    return "\n".join(lines) + "\n"


RTL_LANGUAGES = {"ar", "arc", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"}


def direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


RUNTIME_BUNDLE = "assets/runtime.js"


def runtime_bundle(runtime_scripts: Sequence[str]) -> bytes:
    """One standard's runtime adapter scripts joined into assets/runtime.js.

    index.html is then the same page for every standard, so a build of all
    formats renders (and compresses) it once. Each script is an IIFE.
    """
    parts = [f"/* scormbuild runtime adapter: {', '.join(runtime_scripts)} */\n"]
    for name in runtime_scripts:
        source = (TEMPLATES_DIR / "assets" / name).read_text("utf-8")
        parts.append(f"\n/* ---- {name} ---- */\n{source.rstrip()};\n")
    return "".join(parts).encode("utf-8")


class Player:
    """The rendered player of one course: index.html and the shared assets,
    the same for every standard; each standard adds its runtime bundle."""

    def __init__(self, course: Course) -> None:
        self.course = course
        data = course_data(course)
        html = _environment().get_template("player.html.j2").render(
            course=course, t=data["messages"], course_json=_script_json(data),
            runtime_src=RUNTIME_BUNDLE, direction=direction(course.language),
            main_path_length=len(data["mainPath"]), theme=course.theme,
        )
        self.shared: dict[str, bytes] = {"index.html": html.encode("utf-8")}
        self.shared.update({f"assets/{name}": (TEMPLATES_DIR / "assets" / name).read_bytes()
                            for name in PLAYER_ASSETS})
        if course.theme.css:
            self.shared["assets/theme.css"] = theme_css(course.theme).encode("utf-8")
        for asset in course.assets:
            self.shared[asset.package_path] = asset.source.read_bytes()

    def files(self, runtime_scripts: Sequence[str]) -> dict[str, bytes]:
        """All files of the player with one runtime adapter, by package path."""
        return {**self.shared, RUNTIME_BUNDLE: runtime_bundle(runtime_scripts)}


def render_player(course: Course, runtime_scripts: Sequence[str]) -> dict[str, bytes]:
    """All files of the player for one course and one runtime adapter, by package path."""
    return Player(course).files(runtime_scripts)
