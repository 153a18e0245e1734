"""Moodle 4.1's SCORM Interactions report, as its "text file" download writes one attempt's row:
a port of mod/scorm/report/interactions/classes/report.php (the row), locallib.php
(scorm_format_interactions, scorm_grade_user_attempt with "Highest grade"), weblib.php's s()
and PHP's fputcsv with a tab (lib/csvlib.class.php's csv_export_writer).

It reads what Moodle stored (``MoodleLMS.tracks``: 1.2 arrays named ``cmi.interactions_0.id``),
so a test can set the generator's rows (bench/learners.py) beside what Moodle would download.
Kept apart from the generator on purpose: this is the judge, written from Moodle's code."""

from __future__ import annotations

import html
import re


def s(value: str) -> str:
    """weblib.php s(): htmlspecialchars(ENT_QUOTES | ENT_HTML401), then numeric entities put back."""
    out = html.escape(value, quote=True).replace("&#x27;", "&#039;")
    return re.sub(r"&amp;#(\d+|x[0-9a-f]+);", r"&#\1;", out, flags=re.IGNORECASE)


def php_number(value: float) -> str:
    """How PHP 8 prints a float: no trailing ".0"."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


STATUS = {"passed": "Passed", "completed": "Completed", "failed": "Failed", "incomplete": "Incomplete",
          "browsed": "Browsed", "notattempted": "Not attempted"}  # lang/en/scorm.php


def question_count(tracks: dict[str, str]) -> int:
    """get_scorm_question_count: the highest N of cmi.interactions_N.id, plus one."""
    found = [int(m.group(1)) for e in tracks if (m := re.fullmatch(r"cmi\.interactions_(\d+)\.id", e))]
    return max(found) + 1 if found else 0


def report_row(tracks: dict[str, str], questions: int, *, qtext: bool = False, resp: bool = True,
               right: bool = False, result: bool = False) -> list[str]:
    """The cells after Name, Email, Attempt, Started on and Last accessed on: Score, the SCO's
    score (or status), then per interaction the columns the report options switch on."""
    score_raw: float | str = ""
    status = ""
    for element in sorted(tracks):  # scorm_get_tracks: ORDER BY element
        value = tracks[element]
        if element == "cmi.core.lesson_status":
            status = "notattempted" if value == "not attempted" else value
        elif element == "cmi.core.score.raw":
            score_raw = float(f"{float(value):2.2f}")
    grade = score_raw if score_raw not in ("", 0.0) else 0.0  # !empty(score_raw); the highest of one SCO
    sco = php_number(score_raw) if score_raw != "" else STATUS[status or "notattempted"]
    row = [php_number(float(grade)), sco]
    for i in range(questions):
        def cell(name: str, i: int = i) -> str:
            element = f"cmi.interactions_{i}.{name}"
            return s(tracks[element]) if element in tracks else ""
        if qtext:
            row.append(cell("id"))
        if resp:
            row.append(cell("student_response"))
        if right:
            patterns, j = [], 0
            while f"cmi.interactions_{i}.correct_responses_{j}.pattern" in tracks:
                patterns.append(s(tracks[f"cmi.interactions_{i}.correct_responses_{j}.pattern"]))
                j += 1
            row.append(",".join(patterns))
        if result:
            row.append(cell("result"))
    return row


def fputcsv_line(cells: list[str]) -> str:
    """PHP's fputcsv($fp, $cells, "\\t", '"'): quoted when a cell has a tab, quote, backslash, line
    break or space; quotes doubled except after a backslash."""
    def one(value: str) -> str:
        if not any(c in value for c in '\t"\\\n\r '):
            return value
        out, escaped = "", False
        for char in value:
            if char == "\\":
                escaped = True
            elif not escaped and char == '"':
                out += '"'
            else:
                escaped = False
            out += char
        return f'"{out}"'
    return "\t".join(one(c) for c in cells) + "\n"
