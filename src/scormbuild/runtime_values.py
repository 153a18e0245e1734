"""How the player writes learners' text and choices into SCORM, and how to read them back.

The player's runtime (templates/assets/runtime/common.js, ``ScormbuildValues``) maps some
values so that every LMS accepts them, and this module undoes those mappings for anything
that reads what an LMS stored (tests, reports). Both sides are tested against each other.

* Text in SCORM 2004 (``learner_response`` of a reflection, ``comments_from_learner``) and in
  SCORM 1.2 fill-in responses: Moodle's and scorm-again's patterns are ``.``-based and refuse
  line breaks, and a leading ``{`` is read as a language tag. Line breaks become U+2424 (␤);
  U+241B (␛) escapes a literal ␛ or ␤, a leading ``{`` and the Unicode line and paragraph
  separators (``␛L``, ``␛P``).
* SCORM 2004 comments start with ``{lang=<course language>}``.
* SCORM 2004 choice ids (``learner_response``, ``correct_responses``): Moodle allows only
  ``[A-Za-z0-9_.]``, so ``-`` becomes ``_`` (authored ids never contain ``_``).
* Quiz answers (kinds/quiz.py): SCORM 2004 matching ``source[.]target[,]...`` and sequencing
  ``a[,]b`` with the choice ids' mapping; SCORM 1.2 matching ``source.target,...`` and sequencing
  ``a,b``. A 2004 fill-in is one blank, so a ``[,]`` the learner typed is written ``[␛,]``; its
  patterns start with ``{case_matters=true}`` when case counts.
* SCORM 1.2 ``cmi.comments`` holds every reflection as ``[scene-id:length]\\n<text>\\n`` blocks
  (Moodle appends to it, other LMSs replace it); a later block for a scene replaces an earlier
  one. Blocks without a length (``[scene-id]\\n``) from older packages are read too. Where the
  LMS replaces the comments and they would outgrow 4,096 characters, the older blocks follow
  the state in ``cmi.suspend_data`` (``<state>\\n<blocks>``).
"""

from __future__ import annotations

import re

NEWLINE = "\u2424"  # SYMBOL FOR NEWLINE
ESCAPE = "\u241b"  # SYMBOL FOR ESCAPE
_SEPARATORS = {"\u2028": "L", "\u2029": "P"}
_UNSEPARATORS = {v: k for k, v in _SEPARATORS.items()}
LANG_PREFIX = re.compile(r"^\{lang=[^}]*\}")
_BLOCK_HEADER = re.compile(r"\[([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)(?::(\d{1,6}))?\]\n")


def normalise_text(text: str) -> str:
    """Line breaks as ``\\n``; characters no LMS stores (NUL, U+FFFE, U+FFFF) left out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\0", "").replace("\ufffe", "").replace("\uffff", "")


def encode_text(text: str) -> str:
    out = []
    for index, char in enumerate(normalise_text(text)):
        if char in (ESCAPE, NEWLINE) or (char == "{" and index == 0):
            out.append(ESCAPE + char)
        elif char == "\n":
            out.append(NEWLINE)
        elif char in _SEPARATORS:
            out.append(ESCAPE + _SEPARATORS[char])
        else:
            out.append(char)
    return "".join(out)


def decode_text(value: str) -> str:
    out = []
    chars = iter(value)
    for char in chars:
        if char == ESCAPE:
            following = next(chars, "")
            out.append(_UNSEPARATORS.get(following, following))
        elif char == NEWLINE:
            out.append("\n")
        else:
            out.append(char)
    return "".join(out)


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` UTF-16 units, ending with an ellipsis when shortened (as the player cuts)."""
    if _js_length(text) <= limit:
        return text
    end = limit - 1
    units = text.encode("utf-16-le")[:2 * end]
    if 0xD800 <= int.from_bytes(units[-2:], "little") <= 0xDBFF:
        units = units[:-2]
    return units.decode("utf-16-le") + "\u2026"


def decode_comment(value: str) -> str:
    """A SCORM 2004 comment as the learner wrote it (language tag removed)."""
    return decode_text(LANG_PREFIX.sub("", value, count=1))


def choice_id_2004(choice_id: str) -> str:
    return choice_id.replace("-", "_")


def choice_id_from_2004(value: str) -> str:
    return value.replace("_", "-")


def choice_ids_from_2004(response: str) -> list[str]:
    """A 2004 choice response or pattern (``a_b[,]c``) as the course's choice ids."""
    return [choice_id_from_2004(part) for part in response.split("[,]")] if response else []


def matching_from_2004(response: str) -> list[tuple[str, str]]:
    """A 2004 matching response or pattern (``a[.]b[,]c[.]d``) as (prompt id, answer id) pairs."""
    pairs = [part.split("[.]", 1) for part in response.split("[,]")] if response else []
    return [(choice_id_from_2004(source), choice_id_from_2004(target)) for source, target in pairs]


def matching_from_12(response: str) -> list[tuple[str, str]]:
    """A SCORM 1.2 matching response or pattern (``a.b,c.d``) as (prompt id, answer id) pairs."""
    pairs = [part.split(".", 1) for part in response.split(",")] if response else []
    return [(source, target) for source, target in pairs]


CASE_MATTERS = "{case_matters=true}"


def fill_in_from_2004(value: str) -> tuple[str, bool]:
    """A 2004 fill-in response or pattern as the text, and whether its case matters."""
    case_matters = value.startswith(CASE_MATTERS)
    return decode_text(value[len(CASE_MATTERS):] if case_matters else value), case_matters


def reflection_block(scene_id: str, text: str) -> str:
    text = normalise_text(text)
    return f"[{scene_id}:{len(text.encode('utf-16-le')) // 2}]\n{text}\n"


def _js_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _js_slice(text: str, start: int, length: int) -> str:
    """``text.substr(start, length)`` in UTF-16 code units, as the player counts them."""
    units = text.encode("utf-16-le")
    return units[2 * start:2 * (start + length)].decode("utf-16-le", errors="ignore")


def parse_comments(comments: str) -> list[tuple[str, str]]:
    """The reflection blocks of a SCORM 1.2 ``cmi.comments``, in order: (scene id, text)."""
    blocks: list[tuple[str, str]] = []
    position = 0
    units = comments  # positions below are in code points; lengths are checked in UTF-16 units
    while True:
        match = _BLOCK_HEADER.search(units, position)
        if not match:
            return blocks
        start = match.end()
        length = match.group(2)
        text = None
        if length is not None:
            candidate = _js_slice(units[start:], 0, int(length))
            end = start + len(candidate)
            after = end + len(units[end:]) - len(units[end:].lstrip("\n"))  # one line break or more ends a block
            if _js_length(candidate) == int(length) and after > end and (
                    after == len(units) or _BLOCK_HEADER.match(units, after)):
                text, position = candidate, after
        if text is None:  # no length, or a length that does not fit: up to the next header
            following = next((m for m in _BLOCK_HEADER.finditer(units, start)
                              if units[m.start() - 1:m.start()] == "\n"), None)
            end = following.start() if following else len(units)
            text = units[start:end].rstrip("\n")
            position = end
        blocks.append((match.group(1), text))


def scorm12_reflections(comments: str, suspend_data: str = "") -> list[tuple[str, str]]:
    """Every reflection block of a SCORM 1.2 attempt, oldest first: (scene id, text)."""
    spilled = suspend_data.split("\n", 1)[1] if "\n" in suspend_data else ""
    return parse_comments(spilled) + parse_comments(comments)


def reflections_from_comments(comments: str, suspend_data: str = "") -> dict[str, str]:
    """Each scene's latest reflection in a SCORM 1.2 attempt."""
    return dict(scorm12_reflections(comments, suspend_data))
