"""Markdown bodies to safe HTML, collecting the local files they refer to.

Raw HTML in Markdown is escaped unless a scene sets ``raw_html: true``.
Local images and links are resolved against the course folder, must stay
inside it, must exist, and are rewritten to their place in the package.
An image alone in its paragraph with a title, ``![alt](file "caption")``,
becomes a ``<figure>`` with the title as its ``<figcaption>``. Every image needs
alt text, unless the author marks it ``![(decorative)](file)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import imagesize
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from scormbuild.errors import ContentError, ContentErrors, Location
from scormbuild.model import Asset

PACKAGE_CONTENT_DIR = "content"
DECORATIVE_ALT = "(decorative)"  # the alt text an author writes for a picture screen readers should skip
MAX_DIMENSION = 100_000  # beyond this an image header is not believed


def dimensions(path: Path) -> tuple[int | None, int | None]:
    """Width and height from an image file's header (PNG, JPEG, GIF, WebP, SVG with width/height), else Nones.

    Only the header is read; a file that is not what its name says gives Nones, never an error."""
    try:
        width, height = imagesize.get(str(path))
    except (OSError, ValueError):  # a broken header
        return None, None
    if not (0 < width <= MAX_DIMENSION and 0 < height <= MAX_DIMENSION):
        return None, None
    return int(width), int(height)


def _image_with_caption(renderer: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                        env: Any) -> str:
    html = RendererHTML.image(renderer, tokens, idx, options, env)
    caption = tokens[idx].meta.get("caption")
    return f"{html}<figcaption>{escapeHtml(caption)}</figcaption>" if caption else html


def _make_figures(tokens: list[Token]) -> None:
    """A paragraph that holds only an image with a title becomes a figure captioned by the title."""
    for index, token in enumerate(tokens[:-2]):
        if token.type != "paragraph_open" or token.hidden or tokens[index + 1].type != "inline":
            continue
        parts = [child for child in tokens[index + 1].children or []
                 if not (child.type in ("softbreak", "text") and not child.content.strip())]
        if len(parts) == 1 and parts[0].type == "image" and parts[0].attrGet("title"):
            image = parts[0]
            image.meta["caption"] = str(image.attrGet("title"))
            del image.attrs["title"]
            token.tag = tokens[index + 2].tag = "figure"


@dataclass
class Rendered:
    html: str
    assets: list[Asset] = field(default_factory=list)


def _parser(raw_html: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": raw_html, "typographer": True})
    parser = parser.enable(["table", "replacements", "smartquotes"])
    parser.add_render_rule("image", _image_with_caption)
    # Without `html` these rules only ever decline; dropping them changes no output and saves a call per line.
    return parser if raw_html else parser.disable(["html_block", "html_inline"])


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("#") and bool(parts.path)


def resolve_local_file(root: Path, url: str, location: Location, what: str) -> Asset:
    """Map a relative URL from the content to a file inside the course folder."""
    path_text = unquote(urlsplit(url).path)
    if path_text.startswith("/") or "\\" in path_text:
        raise ContentError(location, f"{what} `{url}` must be a path relative to the course folder",
                           "write e.g. `media/picture.png`, with forward slashes")
    source = (root / path_text).resolve()
    try:
        relative = source.relative_to(root.resolve())
    except ValueError:
        raise ContentError(location, f"{what} `{url}` is outside the course folder",
                           "only files inside the course folder can be packaged; copy the file into it") from None
    if not source.is_file():
        raise ContentError(location, f"{what} `{url}` does not exist",
                           f"add the file at {relative.as_posix()} or correct the path")
    return Asset(f"{PACKAGE_CONTENT_DIR}/{relative.as_posix()}", source, location)


class MarkdownRenderer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._safe = _parser(raw_html=False)
        self._raw = _parser(raw_html=True)

    def render(self, text: str, file: Path, first_line: int, raw_html: bool = False) -> Rendered:
        """Render a Markdown block whose first line is line ``first_line`` of ``file``."""
        md = self._raw if raw_html else self._safe
        tokens = md.parse(text)
        assets: list[Asset] = []
        problems: list[ContentError] = []
        block_line = first_line
        if "[" in text or "<" in text:  # every image and link needs one of them (linkify is off)
            for token in tokens:
                if token.map:
                    block_line = first_line + token.map[0]
                for child in token.children or []:
                    try:
                        self._collect(child, Location(file, block_line, 1), assets)
                    except ContentError as problem:
                        problems.append(problem)
            _make_figures(tokens)
        if problems:
            raise problems[0] if len(problems) == 1 else ContentErrors(problems)
        return Rendered(md.renderer.render(tokens, md.options, {}), assets)

    def render_inline(self, text: str) -> str:
        """Inline Markdown (emphasis, links to the web) for short texts such as points."""
        html: str = self._safe.renderInline(text)
        return html

    def _collect(self, token: Token, location: Location, assets: list[Asset]) -> None:
        if token.type == "image":
            src = str(token.attrGet("src") or "")
            if not token.content.strip():
                raise ContentError(location, f"image `{src}` has no alt text",
                                   "describe the picture for people who cannot see it: ![a description](path), "
                                   f"or write ![{DECORATIVE_ALT}](path) if it is only decoration")
            if token.content.strip() == DECORATIVE_ALT:
                token.children = []  # the alt attribute is rendered from the children: alt=""
            token.attrSet("loading", "lazy")
            if _is_local(src):
                asset = resolve_local_file(self.root, src, location, "image")
                token.attrSet("src", asset.package_path)
                width, height = dimensions(asset.source)
                if width and height:
                    token.attrSet("width", str(width))
                    token.attrSet("height", str(height))
                assets.append(asset)
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if _is_local(href):
                asset = resolve_local_file(self.root, href, location, "linked file")
                token.attrSet("href", asset.package_path)
                token.attrSet("download", "")
                assets.append(asset)
            elif urlsplit(href).scheme in ("http", "https"):
                token.attrSet("target", "_blank")
                token.attrSet("rel", "noopener")
