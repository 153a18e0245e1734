"""Harlowe and SugarCube markup in Markdown, on the text left once macros and links are out.

Emphasis pairs are found by splitting a line at its markers (never a pattern that searches for
the closing one from every opening, which is quadratic on a line of unclosed markers); what has
no Markdown equivalent keeps its text and is noted.
"""

from __future__ import annotations

import re

TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>\n]*)?/?>")
TAG_MARKDOWN = {"b": "**", "strong": "**", "i": "*", "em": "*", "br": "\\\n", "p": "\n\n", "hr": "\n\n---\n\n"}
HARLOWE_ALIGNER = re.compile(r"\s*(?:=+>+|<+=+|=+><+=+|<+=+>+|\|+=+|=+\|+)\s*")
BULLET = re.compile(r"(\*+)[ \t]+(.*)")
SUGARCUBE_NUMBERED = re.compile(r"(#+)[ \t]+(.*)")
HARLOWE_NUMBERED = re.compile(r"((?:0\.)+)[ \t]+(.*)")
SUGARCUBE_HEADING = re.compile(r"(!{1,6})[ \t]*(.*)")
URL_SLASHES = "\x00"  # `://` while `//` pairs are found (control characters never reach here)


def pairs(line: str, marker: str, opening: str, closing: str) -> tuple[str, bool]:
    """``line`` with each pair of ``marker`` replaced; whether there was one."""
    parts = line.split(marker)
    if len(parts) < 3:
        return line, False
    out = [parts[0]]
    for index in range(1, len(parts) - 1, 2):
        out.append(opening + parts[index] + closing + parts[index + 1])
    if len(parts) % 2 == 0:  # an odd marker left over
        out.append(marker + parts[-1])
    return "".join(out), True


def to_markdown(text: str, dialect: str) -> tuple[str, list[tuple[str, str]]]:
    """Markdown for a passage's text, and what could not be converted (each said once), with the
    markup it is about (for its line)."""
    notes: list[tuple[str, str]] = []

    def note(text: str, markup: str = "") -> None:
        if (markup, text) not in notes:
            notes.append((markup, text))

    def tag(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if name in TAG_MARKDOWN:
            return TAG_MARKDOWN[name]
        note(f"the HTML tag `<{name}>` was removed (its text was kept)", match.group())
        return ""

    text = TAG.sub(tag, text)
    twine = dialect != "chapbook"
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.strip()  # indentation in Twine is layout; in Markdown 4 spaces make code
        if twine and line in ("{", "}"):
            continue
        if dialect in ("harlowe", "any") and line and HARLOWE_ALIGNER.fullmatch(line):
            note(f"the alignment `{line}` was removed", line)
            continue
        if twine:
            line = list_or_heading(line, dialect)
            line = line.replace("://", URL_SLASHES)
            line, _ = pairs(line, "''", "**", "**")
            line, _ = pairs(line, "//", "*", "*")
            line = line.replace(URL_SLASHES, "://")
            for marker, name in (("^^", "superscript"), ("~~", "strikethrough" if dialect != "sugarcube"
                                                                else "subscript")):
                line, found = pairs(line, marker, "", "")
                if found:
                    note(f"`{marker}{name}{marker}` has no Markdown equivalent; the text was kept plain", marker)
            if dialect == "sugarcube":
                for marker, name in (("__", "underline"), ("==", "strikethrough")):
                    line, found = pairs(line, marker, "", "")
                    if found:
                        note(f"`{marker}{name}{marker}` has no Markdown equivalent; the text was kept plain", marker)
                if "@@" in line:
                    line = line.replace("@@", "")
                    note("`@@style;text@@` styling was removed; the text was kept", "@@")
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), notes


def list_or_heading(line: str, dialect: str) -> str:
    bullet = BULLET.fullmatch(line)
    if bullet and not (len(bullet.group(1)) >= 2 and bullet.group(2).endswith(bullet.group(1))):  # not **bold**
        return "  " * (len(bullet.group(1)) - 1) + "- " + bullet.group(2)
    if dialect in ("sugarcube", "any"):
        numbered = SUGARCUBE_NUMBERED.fullmatch(line)
        if numbered and dialect == "sugarcube":
            return "   " * (len(numbered.group(1)) - 1) + "1. " + numbered.group(2)
        heading = SUGARCUBE_HEADING.fullmatch(line)
        if heading and dialect == "sugarcube" and heading.group(2):
            return "#" * len(heading.group(1)) + " " + heading.group(2)
    if dialect in ("harlowe", "any"):
        numbered = HARLOWE_NUMBERED.fullmatch(line)
        if numbered:
            return "   " * (len(numbered.group(1)) // 2 - 1) + "1. " + numbered.group(2)
    return line


def plain(label: str) -> str:
    """A link's text without Twine emphasis markers (a choice's text is shown as it is)."""
    for marker in ("''", "//", "^^", "~~"):
        label, _ = pairs(label.replace("://", URL_SLASHES), marker, "", "")
        label = label.replace(URL_SLASHES, "://")
    return TAG.sub("", label)
