"""course.yaml: the course's own keys and its `theme:`, declared once with their readers."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scormbuild.content.conditions import BUILT_IN, LITERALS, MAX_NUMBER
from scormbuild.content.fields import Fields, Key, require_mapping, suggest
from scormbuild.content.images import described_image, image_file
from scormbuild.content.markdown import resolve_local_file
from scormbuild.content.yamlpos import PositionedDict
from scormbuild.errors import ContentError, ErrorCollector, Location, describe
from scormbuild.model import Asset, Character, Theme, Variable

COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FONT_FAMILY = re.compile(r"^[A-Za-z0-9 _-]{1,64}$")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
IRI = re.compile(r"^(https?://[^\s/]+(/[^\s?#]*)?|urn:[a-zA-Z0-9][a-zA-Z0-9-]{0,31}:[^\s?#]+)$")
LOGO_FILES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
FONT_FILES = (".woff2", ".woff", ".ttf", ".otf")


def language_tag(fields: Fields, key: Key) -> str:
    """`language:` as a registered BCP 47 tag (a tag the regex accepts, like `en-GB-GB`, can still
    be one no browser takes, and the player would not start)."""
    hint = "use a code such as `en`, `en-GB`, `cy` or `ar`"
    value = fields.matching(key.name, LANGUAGE, key.default, "language `{value}` is not a language tag", hint)
    import langcodes  # 0.1 s to import: only when a course is loaded

    if not langcodes.tag_is_valid(value):
        raise ContentError(fields.where(key.name),
                           f"language `{describe(value, 40)}` is not a valid BCP 47 language tag", hint)
    return value


def version(fields: Fields, key: Key) -> str:
    return fields.matching(key.name, VERSION, key.default, "version `{value}` can't be used in a file name",
                           "use digits, letters, dots and hyphens, e.g. `1.2.0`")


def iri(fields: Fields, key: Key) -> str:  # absent: the default derives from the id
    return fields.matching(key.name, IRI, None, "`iri` is `{value}`, which is not an IRI scormbuild can use",
                           "use an http(s) address your organisation controls, e.g. "
                           "`https://learning.example.org/courses/boundaries`, without ? or #").rstrip("/")


SCORING_POLICIES = ("first-attempt", "best-attempt", "last-attempt")


def scoring(fields: Fields, key: Key) -> str:
    value = fields.text(key.name, key.default)
    if value not in SCORING_POLICIES:
        raise ContentError(fields.where(key.name),
                           f"`scoring` is `{describe(value, 40)}`{suggest(value, set(SCORING_POLICIES))}",
                           "write `first-attempt`, `best-attempt` or `last-attempt`")
    return value


PLACEHOLDER = re.compile(r"\{\w+\}")


def interface_texts(fields: Fields, key: Key) -> dict[str, str]:
    """`texts:` the player's own words (buttons, messages) replaced for this course, by catalog key."""
    from scormbuild.messages import messages

    data = require_mapping(fields.data[key.name], fields.where(key.name), "`texts`")
    defaults = messages("en")
    texts = Fields(data, tuple(Key(name, "text", "") for name in sorted(defaults)), "`texts`", fields.errors)
    values = {name: value for name, value in texts.read().items() if value}
    for name, value in values.items():
        wanted = sorted(set(PLACEHOLDER.findall(defaults[name])))
        texts.check(sorted(set(PLACEHOLDER.findall(value))) == wanted, name,
                    f"`texts.{name}` must contain {', '.join(wanted) or 'no {…} placeholder'}, as the player's own "
                    "text does", f"the player's own text is `{defaults[name]}`")
    return values


VARIABLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_VARIABLES = 50  # each one is in saved progress, which SCORM 1.2 limits to 4,096 characters


def initial_value(fields: Fields, key: Key) -> int | bool:
    value = fields.data[key.name]
    if isinstance(value, bool) or (isinstance(value, int) and abs(value) <= MAX_NUMBER):
        return value
    raise ContentError(fields.where(key.name), f"`initial` must be a whole number from -{MAX_NUMBER:,} to "
                       f"{MAX_NUMBER:,}, or `true`/`false`, not {describe(value)}")


VARIABLE_KEYS = (
    Key("initial", "text", "Its value at the start: a whole number (the default, 0) or `true`/`false`.", default=0,
        reader=initial_value, json=(("type", ["integer", "boolean"]),)),
    Key("min", "integer", "The lowest value it can take (the player keeps it there).", low=-MAX_NUMBER,
        high=MAX_NUMBER),
    Key("max", "integer", "The highest value it can take.", low=-MAX_NUMBER, high=MAX_NUMBER),
    Key("label", "text", "Shown with the variable's value in the end's journey summary, e.g. `Trust built`.",
        default=""),
)


def _variable(name: str, data: Any, fields: Fields, where: Location) -> Variable | None:
    """One variable: `name: 0`, `name: false`, or `name:` with VARIABLE_KEYS."""
    if isinstance(data, (bool, int)):
        value = data
        if not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            fields.report(ContentError(where, f"`variables.{name}` is {value:,}; numbers go from -{MAX_NUMBER:,} to "
                                       f"{MAX_NUMBER:,}"))
            return None
        return Variable(name=name, type="boolean" if isinstance(value, bool) else "number", initial=value,
                        location=where)
    if not isinstance(data, PositionedDict):
        fields.report(ContentError(where, f"`variables.{name}` is {describe(data)}",
                                   "write a whole number or `true`/`false` after the name, or `initial:`, `min:`, "
                                   "`max:` and `label:` under it"))
        return None
    item = Fields(data, VARIABLE_KEYS, f"variable `{name}`", fields.errors)
    values = item.read()
    if not item.complete(values):
        return None
    initial, low, high = values["initial"], values["min"], values["max"]
    if isinstance(initial, bool):
        if not item.check(low is None and high is None, "min" if low is not None else "max",
                          f"`{name}` is a yes/no: it has no `min` or `max`", "remove them, or make `initial` a number"):
            return None
    elif low is not None and high is not None and low > high:
        item.report(ContentError(item.where("min"), f"`{name}` has `min: {low:,}` above `max: {high:,}`",
                                 "swap them"))
        return None
    elif not item.check((low is None or low <= initial) and (high is None or initial <= high), "initial",
                        f"`{name}` starts at {initial}, outside its `min`/`max`", "change `initial`, `min` or `max`"):
        return None
    return Variable(name=name, type="boolean" if isinstance(initial, bool) else "number", initial=initial,
                    location=where, low=low, high=high, label=values["label"] or "")


def read_variables(fields: Fields, key: Key) -> dict[str, Variable]:
    """`variables:` of course.yaml: each a number or a yes/no, by name."""
    data = require_mapping(fields.data[key.name], fields.where(key.name), "`variables`")
    if len(data) > MAX_VARIABLES:
        raise ContentError(fields.where(key.name), f"{len(data)} variables; the limit is {MAX_VARIABLES}",
                           "keep the ones the course's conditions need")
    variables = {}
    for name, value in data.items():
        where = data.where(name)
        if (not isinstance(name, str) or not VARIABLE_NAME.fullmatch(name) or name in BUILT_IN or name in LITERALS
                or keyword.iskeyword(name)):
            fields.report(ContentError(where, f"`{describe(name, 40)}` cannot be a variable's name",
                                       "use 1-40 lowercase letters, digits and underscores, starting with a letter, "
                                       "e.g. `told_manager`; `score`, `passed` and Python's words (`and`, "
                                       "`class` …) are taken"))
            continue
        variable = _variable(name, value, fields, where)
        if variable is not None:
            variables[name] = variable
    return variables


def colour(fields: Fields, key: Key) -> str:
    return fields.matching(key.name, COLOUR, None, "`{key}` is `{value}`, which is not a colour",
                           "write colours as #rrggbb, e.g. `#1f5fa8`").lower()


def font_family(fields: Fields, key: Key) -> str:
    return fields.matching(key.name, FONT_FAMILY, None, "`font_family` `{value}` is not a font name",
                           "use letters, digits, spaces and hyphens")


def local_file(suffixes: tuple[str, ...]) -> Callable[[Fields, Key], Asset | None]:
    """A reader for a file in the course folder with one of ``suffixes`` (fields.context is the folder)."""
    def read(fields: Fields, key: Key) -> Asset:
        path = fields.text(key.name)
        if not path.lower().endswith(suffixes):
            raise ContentError(fields.where(key.name), f"`{key.name}` must be a {' or '.join(suffixes)} file",
                               f"give the path of a {suffixes[0]} file inside the course folder")
        return resolve_local_file(fields.context, path, fields.where(key.name), f"theme {key.name}")
    return read


COLOUR_JSON = (("pattern", COLOUR.pattern),)
THEME_KEYS = (
    Key("primary", "text", "Colour of buttons, links and progress (#rrggbb); checked for 4.5:1 contrast with white.",
        reader=colour, json=COLOUR_JSON),
    Key("text", "text", "Text colour; checked against white and the background.", reader=colour, json=COLOUR_JSON),
    Key("background", "text", "Page background colour.", reader=colour, json=COLOUR_JSON),
    Key("font", "text", "A font file in the course folder (.woff2, .woff, .ttf, .otf), bundled in the package.",
        reader=local_file(FONT_FILES)),
    Key("font_family", "text", "The font's name.", reader=font_family, json=(("pattern", FONT_FAMILY.pattern),)),
    Key("logo", "text", "A logo in the course folder (.svg, .png, .jpg, .webp).", reader=local_file(LOGO_FILES)),
    Key("logo_alt", "text", "The logo's text for screen readers; required with a logo.", default=""),
    Key("css", "text", "A CSS file in the course folder, applied after the theme.", reader=local_file((".css",))),
)
CHARACTER_KEYS = (
    Key("id", "identifier", "The character's id, used by `speaker:` in dialogues and speech.", required=True),
    Key("name", "text", "The name learners see and hear before each of the character's lines.", required=True,
        example="Jenny"),
    Key("role", "text", "Who they are, shown after the name, e.g. `Former service user`.", default=""),
    Key("portrait", "text", "A picture of the character in the course folder (.svg, .png, .jpg, .webp, .gif).",
        reader=image_file),
    Key("portrait_alt", "text", "What the portrait shows, for screen readers; required with a portrait.",
        default=""),
    Key("colour", "text", "The accent of the character's speech bubbles (#rrggbb); checked for 4.5:1 contrast "
        "with white.", reader=colour, json=(("pattern", COLOUR.pattern),)),
)
COURSE_KEYS = (
    Key("id", "identifier", "The course's id: lowercase letters, digits and hyphens; part of the package name.",
        required=True),
    Key("title", "text", "The course's title, shown to learners and in the LMS.", required=True),
    Key("version", "text", "Part of the package's file name, e.g. `1.2.0`.", default="1.0.0", reader=version,
        json=(("pattern", VERSION.pattern),)),
    Key("language", "text", "A BCP 47 language tag (`en`, `en-GB`, `fr`, `ar`); chooses the player's texts "
        "and direction.", default="en", reader=language_tag, json=(("pattern", LANGUAGE.pattern),)),
    Key("start", "identifier", "The first scene. Default: the first scene file."),
    Key("pass_mark", "integer", "Percent of the score needed to pass; without it the course is completed, "
        "not passed or failed.", low=0, high=100),
    Key("scoring", "text", "Which answer to each decision and question counts: `first-attempt` (the first, "
        "however often the learner goes through again), `best-attempt` or `last-attempt` (going through again can "
        "change the score).", default="first-attempt", reader=scoring, json=(("enum", list(SCORING_POLICIES)),)),
    Key("description", "text", "A sentence for the LMS's catalogue and the xAPI course activity.", default=""),
    Key("iri", "text", "The course's xAPI activity id: an http(s) address your organisation controls. "
        "Default: `urn:scormbuild:course:<id>`.", reader=iri, json=(("pattern", IRI.pattern),)),
    Key("theme", "mapping", "The course's look (below).", items=THEME_KEYS),
    Key("texts", "mapping", "The player's own words replaced for this course, by message key (see "
        "`templates/messages/en.json`), e.g. `points_to_consider: Things to think about`.", default={},
        reader=interface_texts),
    Key("characters", "items", "The people of the course's scenarios, declared once; dialogues and a "
        "decision's `speech:` name them by id.", items=CHARACTER_KEYS),
    Key("variables", "mapping", "Numbers and yes/no values that choices change (`set:`, `add:`) and conditions "
        "read (`if:`, `branches:`), by name (see Variables and conditions).", default={}, reader=read_variables,
        json=(("propertyNames", {"pattern": "^[a-z][a-z0-9_]{0,39}$"}),
              ("additionalProperties", {"oneOf": [{"type": "integer"}, {"type": "boolean"}, {
                  "type": "object", "additionalProperties": False,
                  "properties": {"initial": {"type": ["integer", "boolean"]}, "min": {"type": "integer"},
                                 "max": {"type": "integer"}, "label": {"type": "string"}}}]}))),
)


def read_theme(fields: Fields, data: Any) -> Theme:
    """`theme:` from course.yaml (problems go to the collector of course.yaml's ``fields``)."""
    theme = Fields(data, THEME_KEYS, "`theme`", fields.errors, context=fields.context)
    values: dict[str, Any] = theme.read()
    if values.get("logo") is not None:
        theme.check(bool(values.get("logo_alt")), "logo", "the logo needs `logo_alt`",
                    "describe the logo for screen readers, e.g. `logo_alt: Care Academy`")
    return Theme(primary=values.get("primary"), text=values.get("text"), background=values.get("background"),
                 font_family=values.get("font_family"), font=values.get("font"), logo=values.get("logo"),
                 logo_alt=values.get("logo_alt") or "", custom_css=values.get("css"),
                 locations=tuple((key, theme.where(key)) for key in data))


def read_characters(fields: Fields, items: list[Any]) -> dict[str, Character]:
    """`characters:` from course.yaml, by id (problems go to the collector of ``fields``)."""
    characters: dict[str, Character] = {}
    seen: set[str] = set()
    for item in items:
        person = Fields(item, CHARACTER_KEYS, "a character", fields.errors, context=fields.context)
        values = person.read()
        portrait = described_image(person, values.get("portrait"), values.get("portrait_alt") or "",
                                   "portrait", "portrait_alt")
        if values.get("id") is not None and values["id"] in seen:
            person.report(ContentError(person.where("id"), f"two characters have the id `{values['id']}`",
                                       "give each character its own `id:`"))
            continue
        if "id" in values:
            seen.add(values["id"])
        if not person.complete(values):
            continue
        characters[values["id"]] = Character(id=values["id"], name=values["name"], location=person.where("id"),
                                             role=values["role"] or "", portrait=portrait, colour=values["colour"])
    return characters


def read_course_settings(fields: Fields) -> dict[str, Any]:
    """course.yaml's values by key, the theme and characters built; problems go to ``fields.errors``."""
    values = fields.read()
    values["theme"] = read_theme(fields, values["theme"]) if values.get("theme") is not None else Theme()
    values["characters"] = read_characters(fields, values.get("characters") or [])
    return values


def course_fields(data: Any, root: Path, errors: ErrorCollector) -> Fields:
    return Fields(data, COURSE_KEYS, "course.yaml", errors, context=root)
