"""The course's look: the theme's CSS, the text direction, and the colour contrast maths."""

from __future__ import annotations

from pathlib import Path

from scormbuild.content.files import MAX_SOURCE_BYTES, read_regular_file
from scormbuild.model import Theme

WCAG_AA_TEXT = 4.5
WHITE = "#ffffff"


def relative_luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


FONT_FORMATS = {".woff2": "woff2", ".woff": "woff", ".ttf": "truetype", ".otf": "opentype"}


def tint(colour: str, share: float) -> str:
    """``colour`` (#rgb or #rrggbb) mixed with white, ``share`` of it kept: the theme's light backgrounds."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in channels)


def theme_css(theme: Theme, in_page: bool = False) -> str:
    """CSS that applies a course's theme over the default one (after player.css): the file
    assets/theme.css, or ``in_page`` a <style> of index.html (its font's address changes)."""
    colours = {"--accent": theme.primary, "--ink": theme.text, "--wash": theme.background,
               "--accent-wash": tint(theme.primary, 0.08) if theme.primary else None}
    lines = ["/* Generated from the course's theme: settings. */", ":root {"]
    lines += [f"  {name}: {value};" for name, value in colours.items() if value]
    lines.append("}")
    family = theme.font_family or ("Course font" if theme.font else None)
    if theme.font is not None:
        suffix = Path(theme.font.package_path).suffix.lower()
        font_folder = "" if in_page else "../"  # addresses in CSS are relative to the style sheet
        lines += ["@font-face {", f'  font-family: "{family}";',
                  f'  src: url("{font_folder}{theme.font.package_path}") format("{FONT_FORMATS[suffix]}");',
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
