"""Pictures named in the author's YAML (portraits, backgrounds, choice images): read from the
course folder with the usual limits, with their size when the file's header tells it cheaply."""

from __future__ import annotations

from typing import Any

from scormbuild.content.fields import Fields, Key, one_of
from scormbuild.content.markdown import MarkdownRenderer, dimensions, resolve_local_file
from scormbuild.errors import ContentError
from scormbuild.model import Asset, Image

IMAGE_FILES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")


def image_file(fields: Fields, key: Key) -> Asset:
    """A Key reader: an image file inside the course folder (``fields.context`` is the folder, or
    for a scene's keys the scene's MarkdownRenderer, which knows the folder)."""
    path = fields.text(key.name)
    folder = fields.context.root if isinstance(fields.context, MarkdownRenderer) else fields.context
    if not path.lower().endswith(IMAGE_FILES):
        raise ContentError(fields.where(key.name), f"`{key.name}` must be an image ({', '.join(IMAGE_FILES)})",
                           "give the path of a picture inside the course folder, e.g. `media/jenny.svg`")
    return resolve_local_file(folder, path, fields.where(key.name), key.name)


def described_image(fields: Fields, asset: Asset | None, alt: str, key: str, alt_key: str,
                    decorative: bool = False, decorative_key: str = "") -> Image | None:
    """``asset`` with its alt text; reports an image that has neither alt text nor, where the
    author may say so, an explicit decorative marker."""
    if asset is None:
        if not fields.has(key):  # (a picture that was written but failed is reported already)
            for given, name in ((alt, alt_key), (decorative, decorative_key)):
                if given and name:
                    fields.report(ContentError(fields.where(name), f"`{name}` without `{key}`",
                                               f"add `{key}:` with a picture in the course folder, or remove `{name}`"))
        return None
    if decorative and alt and decorative_key:
        fields.report(ContentError(fields.where(decorative_key), f"`{alt_key}` and `{decorative_key}: true` "
                                   "contradict each other", f"keep `{alt_key}` if the picture says something, "
                                   f"or `{decorative_key}: true` if it is only decoration"))
    if not alt and not decorative:
        hint = f"add `{alt_key}:` describing the picture for people who cannot see it"
        if decorative_key:
            hint += f", or `{decorative_key}: true` if it is only decoration"
        fields.report(ContentError(fields.where(key), f"`{key}` needs `{alt_key}`", hint))
        return None
    width, height = dimensions(asset.source)
    return Image(asset, "" if decorative else alt, width, height)


BACKGROUND_KEYS = (
    Key("background", "text", "A picture in the course folder shown as a banner above the scene's heading "
        "(.svg, .png, .jpg, .webp, .gif); it never sits behind text.", reader=image_file),
    Key("background_alt", "text", "What the background picture shows, for screen readers; required with "
        "`background:` unless `background_decorative: true`.", default=""),
    Key("background_decorative", "boolean", "`true` when the background is only decoration (screen readers "
        "skip it).", default=False),
)


def background_image(fields: Fields, values: dict[str, object]) -> Image | None:
    """A scene's `background:` with its alt text (or its decorative marker)."""
    asset = values.get("background")
    return described_image(fields, asset if isinstance(asset, Asset) else None, str(values.get("background_alt") or ""),
                           "background", "background_alt", bool(values.get("background_decorative")),
                           "background_decorative")


IMAGE_SIZES = ("small", "medium", "large")
IMAGE_POSITIONS = ("above", "beside")
BUTTON_IMAGE_KEYS = (
    Key("image", "text", "A picture in the course folder shown in the button.", reader=image_file),
    Key("alt", "text", "What the button's picture shows (read out with its text); required with `image:`.",
        default=""),
    Key("image_size", "text", "`small`, `medium` or `large` (at most 6, 12 or 20 em wide; never wider than "
        "the button).", default="medium", reader=one_of("image_size", IMAGE_SIZES),
        json=(("enum", list(IMAGE_SIZES)),)),
    Key("image_position", "text", "`above` the text, or `beside` it.", default="above",
        reader=one_of("image_position", IMAGE_POSITIONS), json=(("enum", list(IMAGE_POSITIONS)),)),
)


def button_image(fields: Fields, values: dict[str, Any]) -> dict[str, Any]:
    """A choice's or option's picture (BUTTON_IMAGE_KEYS) as the Choice's keyword arguments."""
    image = described_image(fields, values.get("image"), values.get("alt") or "", "image", "alt")
    return {"image": image, "image_size": values.get("image_size") or "medium",
            "image_position": values.get("image_position") or "above"}
