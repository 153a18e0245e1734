"""Model -> player files (index.html, assets, course media) via jinja2."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scormbuild.content.loader import MAX_MEDIA_BYTES, MAX_SOURCE_BYTES, read_regular_file
from scormbuild.model import Course, DecisionScene, FeedbackScene, QuizScene, ReflectionScene, Scene, Theme
from scormbuild.lint import main_path
from scormbuild.xapi_activities import interaction_id, player_xapi_data

TEMPLATES_DIR = Path(str(resources.files("scormbuild.templates")))
PLAYER_ASSETS = ("player.css", "state.js", "player.js")


def player_asset(name: str) -> bytes:
    """One of PLAYER_ASSETS; player.js ships with the scene-kind handlers (assets/kinds/*.js) before it."""
    folder = TEMPLATES_DIR / "assets"
    parts = sorted((folder / "kinds").glob("*.js")) if name == "player.js" else []
    return b"".join(path.read_bytes().rstrip() + b"\n;\n" for path in parts) + (folder / name).read_bytes()


@lru_cache(maxsize=None)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=True)


CATALOG_DIR = TEMPLATES_DIR / "messages"


@lru_cache(maxsize=None)
def _catalog(tag: str) -> dict[str, str]:
    return json.loads((CATALOG_DIR / f"{tag}.json").read_text("utf-8"))


def catalog_tags() -> list[str]:
    return sorted(path.stem for path in CATALOG_DIR.glob("*.json"))


def messages(language: str) -> dict[str, str]:
    """The player's texts for a language, falling back to English."""
    for tag in (language, language.split("-")[0]):
        if tag.lower() in catalog_tags():
            return {**_catalog("en"), **_catalog(tag.lower())}
    return dict(_catalog("en"))


def catalogs() -> dict[str, dict[str, str]]:
    """Every bundled interface language, so the player can follow a learner's preference."""
    return {tag: messages(tag) for tag in catalog_tags()}


def fingerprint(course: Course) -> str:
    """Changes whenever positionally saved progress (state.js S2) from another build would be misread."""
    shape = []
    for scene in course.scene_list:
        parts = [scene.id, scene.kind]
        if isinstance(scene, DecisionScene):
            parts += [c.id for c in scene.choices]
        if isinstance(scene, QuizScene):
            parts += [f"{q.id}:{len(q.options)}" for q in scene.questions]
        shape.append(":".join(parts))
    return hashlib.sha256("\n".join(shape).encode()).hexdigest()[:8]


def legacy_fingerprint(course: Course) -> str:
    """The fingerprint of packages built before choices were part of it (their S2 states stay readable)."""
    shape = [f"{s.id}:{s.kind}:{len(getattr(s, 'questions', []))}" for s in course.scene_list]
    return hashlib.sha256("\n".join(shape).encode()).hexdigest()[:8]


def state_key(*names: str) -> str:
    """A scene's, choice's or question's key in saved progress (state.js S3): 48 bits of a hash
    of its ids, as 8 base64url characters (state.js uses the first few)."""
    digest = hashlib.blake2b("/".join(names).encode(), digest_size=6).digest()
    return base64.urlsafe_b64encode(digest).decode()


def state_key_length(groups: list[list[str]], shortest: int) -> int:
    """The shortest prefix (at least ``shortest``) that tells the keys of each group apart."""
    for length in range(shortest, 9):
        if all(len({key[:length] for key in keys}) == len(keys) for keys in groups):
            return length
    return 0  # no unique prefix: progress is saved positionally (S2)


def _scene_data(scene: Scene) -> dict[str, Any]:
    data: dict[str, Any] = {"id": scene.id, "kind": scene.kind, "title": scene.title, "next": scene.next,
                            "key": state_key("scene", scene.id)}
    if isinstance(scene, (DecisionScene, ReflectionScene)):
        data["interactionId"] = interaction_id(scene.id)
    if isinstance(scene, DecisionScene):
        data["maxScore"] = scene.max_score
        data["choices"] = [{"id": c.id, "goto": c.goto, "correct": c.correct, "score": c.score,
                            "key": state_key("choice", scene.id, c.id)} for c in scene.choices]
    elif isinstance(scene, FeedbackScene):
        data["reflection"] = scene.reflection
    elif isinstance(scene, ReflectionScene):
        data["minLength"] = scene.min_length
    elif isinstance(scene, QuizScene):
        data["questions"] = [{
            "id": q.id, "kind": q.kind, "text": q.text, "points": q.points,
            "feedbackCorrect": q.feedback_correct, "feedbackIncorrect": q.feedback_incorrect,
            "options": [{"id": o.id, "correct": o.correct} for o in q.options],
            "key": state_key("question", scene.id, q.id), "interactionId": interaction_id(scene.id, q.id),
        } for q in scene.questions]
    return data


def _key_lengths(scenes: list[dict[str, Any]]) -> tuple[int, int]:
    """Key lengths for saved progress: scenes and questions apart (3+), each decision's choices apart (2+)."""
    questions = [q["key"] for scene in scenes for q in scene.get("questions", [])]
    choices = [[c["key"] for c in scene["choices"]] for scene in scenes if "choices" in scene]
    return state_key_length([[scene["key"] for scene in scenes], questions], 3), state_key_length(choices, 2)


def course_data(course: Course) -> dict[str, Any]:
    scenes = [_scene_data(scene) for scene in course.scene_list]
    key_length, choice_key_length = _key_lengths(scenes)
    return {
        "id": course.id, "title": course.title, "version": course.version, "language": course.language,
        "start": course.start, "passMark": course.pass_mark, "fingerprint": fingerprint(course),
        "legacyFingerprint": legacy_fingerprint(course), "stateKeyLength": key_length,
        "choiceKeyLength": choice_key_length,
        "mainPath": main_path(course),
        "messages": messages(course.language),
        "catalogs": catalogs(),
        "reflectionMaxLength": REFLECTION_MAX_LENGTH,
        "scenes": scenes,
        "xapi": player_xapi_data(course),
    }


# The longest reflection the player takes: its SCORM 2004 comment ({lang=..} + text) must stay
# within 4,000 characters, and a SCORM 1.2 cmi.comments block within 4,096.
REFLECTION_MAX_LENGTH = 3800


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
        css = read_regular_file(theme.custom_css.source, MAX_SOURCE_BYTES, "keep the course's CSS short")
        lines += [f"/* From {theme.custom_css.package_path.removeprefix('content/')} */",
                  css.decode("utf-8", errors="replace")]
    return "\n".join(lines) + "\n"


RTL_LANGUAGES = {"ar", "arc", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"}


def direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


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
            reflection_max_length=REFLECTION_MAX_LENGTH,
        )
        self.shared: dict[str, bytes] = {"index.html": html.encode("utf-8")}
        self.shared.update({f"assets/{name}": player_asset(name) for name in PLAYER_ASSETS})
        if course.theme.css:
            self.shared["assets/theme.css"] = theme_css(course.theme).encode("utf-8")
        for asset in course.assets:
            self.shared[asset.package_path] = read_regular_file(
                asset.source, MAX_MEDIA_BYTES, "link to big media on a server instead of packaging it")

    def files(self, runtime_scripts: Sequence[str], config: dict[str, object] | None = None) -> dict[str, bytes]:
        """All files of the player with one runtime adapter, by package path."""
        return {**self.shared, RUNTIME_BUNDLE: runtime_bundle(runtime_scripts, config)}


def render_player(course: Course, runtime_scripts: Sequence[str]) -> dict[str, bytes]:
    """All files of the player for one course and one runtime adapter, by package path."""
    return Player(course).files(runtime_scripts)
