"""Markdown bodies to safe HTML, collecting the local files they refer to.

Raw HTML in Markdown is escaped unless a scene sets ``raw_html: true``.
Local images and links are resolved against the course folder, must stay
inside it, must exist, and are rewritten to their place in the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from scormbuild.errors import ContentError, Location
from scormbuild.model import Asset

PACKAGE_CONTENT_DIR = "content"


@dataclass
class Rendered:
    html: str
    assets: list[Asset] = field(default_factory=list)


def _parser(raw_html: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": raw_html, "typographer": True})
    parser = parser.enable(["table", "replacements", "smartquotes"])
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
        block_line = first_line
        if "[" in text or "<" in text:  # every image and link needs one of them (linkify is off)
            for token in tokens:
                if token.map:
                    block_line = first_line + token.map[0]
                for child in token.children or []:
                    self._collect(child, Location(file, block_line, 1), assets)
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
                                   "describe the picture for people who cannot see it: ![a description](path)")
            if _is_local(src):
                asset = resolve_local_file(self.root, src, location, "image")
                token.attrSet("src", asset.package_path)
                token.attrSet("loading", "lazy")
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
