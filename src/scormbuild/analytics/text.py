"""Text from learners or an LRS made safe for where it goes: a terminal, a CSV cell, JSON."""

from __future__ import annotations

import re

# What a terminal acts on: C0 controls (the table keeps tab and newline, CR is turned into a newline first),
# DEL, C1 controls (U+009B is a CSI), line/paragraph separators, bidi embeddings/overrides/isolates, and
# lone surrogates (which cannot even be encoded for output).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# In CSV, tab, newline and CR are data (the csv module quotes them); the rest as above.
_CSV_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# JSON escapes C0 itself; these it would write raw. They only occur inside strings, so \\uXXXX keeps it valid.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Cells a spreadsheet would read as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def shown(text: str, limit: int = 200, newlines: str = " ") -> str:
    """Text from the LRS as a terminal may show it: at most ``limit`` characters, control characters
    and escape sequences made inert (U+FFFD), line breaks replaced by ``newlines``."""
    if len(text) > limit:
        text = text[:limit - 1] + "\u2026"
    text = _TERMINAL_UNSAFE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\n", newlines)


def csv_cell(text: str) -> str:
    """A learner-controlled value as a CSV cell: inert in a terminal and in a spreadsheet."""
    text = _CSV_UNSAFE.sub("\ufffd", text)
    return "'" + text if text.startswith(FORMULA_START) else text


def json_safe(text: str) -> str:
    """JSON text with the characters a terminal or a browser's script parser would act on escaped."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
