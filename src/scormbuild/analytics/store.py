"""Events into SQLite as they stream in, then the summary the report shows.

The database is a file in a temporary folder, written without a journal: it is a
working copy that lives as long as one report. SQLite keeps a bounded page cache, so
memory stays the same however many statements are read; the work is in the queries
(window functions pick each attempt's first answer, the learner's first, best or last
attempt, the time between scenes).

Counts are of *attempts*: a learner's registration (xAPI) or attempt number (Moodle).
A source without attempts (a Tin Can launch without registration) gives one per learner.
"""

from __future__ import annotations

import math
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scormbuild import __version__
from scormbuild.analytics.coursemap import CourseMap, Interaction
from scormbuild.analytics.events import Event
from scormbuild.analytics.summary_types import (
    Bin,
    ChoiceCount,
    DecisionSummary,
    Filters,
    FlowEdge,
    FlowNode,
    GroupSummary,
    OptionCount,
    Privacy,
    QuestionSummary,
    ReflectionSummary,
    ReflectionText,
    ResponseCount,
    SceneTime,
    Source,
    Summary,
    Totals,
)

BATCH = 20_000  # events per INSERT
MAX_SCENE_SECONDS = 3600.0  # longer on one scene is a learner who walked away: left out of times
MIN_DISCRIMINATION_ATTEMPTS = 10  # fewer attempts than this give no discrimination figure
ATTEMPT_MODES = ("all", "first", "best", "last")
MAX_UNKNOWN_CHOICES = 10  # answers a course does not offer, shown by name (the rest are counted together)
MAX_TOP_RESPONSES = 10  # typed, matched or ordered answers shown per question, the most frequent
MAX_TEXT_SHOWN = 4000  # characters of a reflection (the player keeps at most 3,800)

_SCHEMA = """
CREATE TABLE events (
    type TEXT NOT NULL, learner TEXT NOT NULL, name TEXT NOT NULL, attempt TEXT NOT NULL, grp TEXT NOT NULL,
    ts TEXT NOT NULL, item TEXT NOT NULL, kind TEXT NOT NULL, response TEXT NOT NULL, success INTEGER,
    seconds REAL, score REAL, truncated INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class Selection:
    """Which attempts the report counts (``--since``, ``--until``, ``--group``, ``--attempt``)."""

    since: str | None = None  # ISO 8601 UTC: attempts started at or after
    until: str | None = None  # attempts started before
    group: str | None = None
    attempt: str = "all"

    def as_filters(self) -> Filters:
        return {"since": self.since, "until": self.until, "group": self.group, "attempt": self.attempt}


class Store:
    """A report's working copy of the events. Use as a context manager."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="scormbuild-report-")
        self.db = sqlite3.connect(Path(self._folder.name) / "events.sqlite")
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE", "cache_size=-8000", "threads=0",
                       "soft_heap_limit=33554432"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(_SCHEMA)
        self.db.row_factory = _readable_row
        self.count = 0
        self._ready = False
        self._answered: dict[str, tuple[int, int, int | None]] | None = None  # for the current selection

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()
        self._folder.cleanup()

    def add(self, events: Iterable[Event]) -> int:
        """Store every event of ``events`` (read lazily); the number stored."""
        before = self.count
        batch: list[tuple[Any, ...]] = []
        insert = "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
        for e in events:
            at = e.timestamp if len(e.timestamp) != 20 else e.timestamp[:19] + ".000Z"  # seconds: as milliseconds
            row: tuple[Any, ...] = (
                e.type, e.learner, e.name, e.attempt, e.group, at, e.item, e.kind, e.response,
                None if e.success is None else int(e.success), e.seconds, e.score, int(e.truncated))
            try:
                (e.learner + e.name + e.attempt + e.group + e.timestamp + e.item + e.kind + e.response).encode()
            except UnicodeEncodeError:  # a lone surrogate somewhere
                row = tuple(_storable(v) if isinstance(v, str) else v for v in row)
            batch.append(row)
            if len(batch) >= BATCH:
                self.db.executemany(insert, batch)
                self.count += len(batch)
                batch.clear()
        self.db.executemany(insert, batch)
        self.count += len(batch)
        self._ready = False
        return self.count - before

    # --- attempts and the selection ------------------------------------------------------------

    def _prepare(self) -> None:
        if self._ready:
            return
        db = self.db
        db.executescript("""
            DROP TABLE IF EXISTS attempts;
            CREATE INDEX IF NOT EXISTS events_by_attempt ON events (learner, attempt, ts);
            CREATE TABLE attempts AS
              SELECT learner, attempt, MAX(name) AS name, MAX(grp) AS grp,
                     MIN(NULLIF(ts, '')) AS started, MAX(NULLIF(ts, '')) AS ended,
                     MAX(type IN ('completed', 'passed', 'failed')) AS completed,
                     MAX(CASE WHEN type = 'passed' THEN ts END) AS passed_at,
                     MAX(CASE WHEN type = 'failed' THEN ts END) AS failed_at
              FROM events GROUP BY learner, attempt;
            ALTER TABLE attempts ADD COLUMN score REAL;
            CREATE UNIQUE INDEX attempts_key ON attempts (learner, attempt);
            -- each attempt's latest score (SQLite takes a bare column from the row that has the MAX)
            CREATE TEMP TABLE latest_scores AS
              SELECT learner, attempt, score, MAX(ts || printf('%012d', rowid)) FROM events
              WHERE score IS NOT NULL GROUP BY learner, attempt;
            UPDATE attempts SET score = latest_scores.score FROM latest_scores
              WHERE latest_scores.learner = attempts.learner AND latest_scores.attempt = attempts.attempt;
            DROP TABLE latest_scores;
        """)
        self._ready = True

    def _select(self, selection: Selection) -> None:
        """The attempts counted, as the table ``chosen`` (aid = the attempt's rowid)."""
        self._prepare()
        where, params = ["1"], []
        if selection.since:
            where.append("started >= ?")
            params.append(selection.since)
        if selection.until:
            where.append("started < ?")
            params.append(selection.until)
        if selection.group is not None:
            where.append("grp = ?")
            params.append(selection.group)
        order = {"first": "started ASC, rowid ASC", "last": "started DESC, rowid DESC",
                 "best": "score IS NULL, score DESC, started DESC"}.get(selection.attempt)
        kept = f"SELECT rowid AS aid, learner, attempt FROM attempts WHERE {' AND '.join(where)}"
        if order:
            kept = (f"SELECT aid, learner, attempt FROM (SELECT rowid AS aid, learner, attempt, ROW_NUMBER() OVER "
                    f"(PARTITION BY learner ORDER BY {order}) AS n FROM attempts WHERE {' AND '.join(where)}) "
                    "WHERE n = 1")
        self.db.executescript("DROP TABLE IF EXISTS chosen; DROP TABLE IF EXISTS answers; DROP TABLE IF EXISTS visits;")
        self.db.execute(f"CREATE TABLE chosen AS {kept}", params)
        self._answered = None
        self.db.executescript("""
            CREATE UNIQUE INDEX chosen_key ON chosen (learner, attempt);
            CREATE TABLE answers AS
              SELECT c.aid, e.item, e.kind, e.response, e.success, e.seconds, e.ts, e.name, e.truncated,
                     ROW_NUMBER() OVER attempt_item AS n,
                     COUNT(*) OVER (attempt_item ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS answers,
                     e.rowid AS seq
              FROM events e JOIN chosen c ON e.learner = c.learner AND e.attempt = c.attempt
              WHERE e.type = 'answered'
              WINDOW attempt_item AS (PARTITION BY c.aid, e.item ORDER BY e.ts, e.rowid);
            CREATE INDEX answers_by_item ON answers (item, n);
            CREATE TABLE visits AS
              SELECT c.aid, e.item AS scene, e.ts, e.rowid AS seq
              FROM events e JOIN chosen c ON e.learner = c.learner AND e.attempt = c.attempt
              WHERE e.type = 'experienced';
        """)

    # --- the summary ---------------------------------------------------------------------------

    def summary(self, course: CourseMap, selection: Selection, sources: list[Source], privacy: Privacy,
                texts_shown: int = 1000) -> Summary:
        """What the report shows for the attempts ``selection`` keeps."""
        self._select(selection)
        self._steps(course)
        info = course.course
        return {
            "generator": f"scormbuild {__version__}",
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "course": {"id": info.id, "title": info.title, "iri": info.iri, "version": info.version},
            "sources": sources,
            "filters": selection.as_filters(),
            "privacy": privacy,
            "totals": self._totals(),
            "decisions": self._decisions(course),
            "questions": self._questions(course),
            "reflections": self._reflections(course, texts_shown if privacy["free_text"] else 0),
            "scores": self._scores(),
            "times": self._times(course),
            "flow_nodes": self._flow_nodes(course),
            "flow_edges": self._flow_edges(course),
            "groups": self._groups(),
            "skipped": {},
        }

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = self.db.execute(sql, tuple(params)).fetchone()
        return row[0] if row else None

    def _median(self, values_sql: str) -> float | None:
        """The median of a one-column query (its rows need no order)."""
        count = self._one(f"SELECT COUNT(*) FROM ({values_sql})")
        if not count:
            return None
        middle = self.db.execute(f"SELECT v FROM ({values_sql}) ORDER BY v LIMIT ? OFFSET ?",
                                 (2 - count % 2, (count - 1) // 2)).fetchall()
        return round(float(sum(row[0] for row in middle)) / len(middle), 2)

    def _totals(self) -> Totals:
        row = self.db.execute("""
            SELECT COUNT(DISTINCT a.learner), COUNT(*), SUM(a.completed),
                   SUM(a.passed_at IS NOT NULL AND (a.failed_at IS NULL OR a.passed_at >= a.failed_at)),
                   SUM(a.failed_at IS NOT NULL AND (a.passed_at IS NULL OR a.failed_at > a.passed_at)),
                   AVG(a.score)
            FROM chosen c JOIN attempts a ON a.rowid = c.aid""").fetchone()
        mean = row[5]
        return {"learners": row[0], "attempts": row[1], "events": self.count, "completed": row[2] or 0,
                "passed": row[3] or 0, "failed": row[4] or 0,
                "mean_score": None if mean is None else round(mean, 2),
                "median_score": self._median("SELECT a.score AS v FROM chosen c JOIN attempts a ON a.rowid = c.aid "
                                             "WHERE a.score IS NOT NULL")}

    def _answered_items(self) -> dict[str, tuple[int, int, int | None]]:
        """Per item: attempts that answered it, attempts that answered more than once, right first answers."""
        if self._answered is not None:
            return self._answered
        rows = self.db.execute("""
            SELECT item, COUNT(*) FILTER (WHERE n = 1), COUNT(*) FILTER (WHERE n = 2),
                   SUM(success) FILTER (WHERE n = 1)
            FROM answers GROUP BY item""").fetchall()
        self._answered = {item: (answered, retried, right) for item, answered, retried, right in rows}
        return self._answered

    def _want(self, items: set[str]) -> None:
        """The items the next queries are about (table ``wanted``)."""
        self.db.execute("DROP TABLE IF EXISTS wanted")
        self.db.execute("CREATE TABLE wanted (item TEXT PRIMARY KEY)")
        self.db.executemany("INSERT INTO wanted VALUES (?)", [(i,) for i in items])

    def _response_counts(self, first_only: bool) -> Iterator[tuple[str, str, int, int, int | None]]:
        """Per ``wanted`` item and response: first answers, all answers, and whether right; most frequent
        first. Read as it comes: a source may give any number of different responses."""
        yield from self.db.execute(f"""
            SELECT item, response, COUNT(*) FILTER (WHERE n = 1) AS first, COUNT(*) AS total, MAX(success)
            FROM answers WHERE item IN (SELECT item FROM wanted) {"AND n = 1" if first_only else ""}
            GROUP BY item, response ORDER BY item, total DESC, response""")

    def _unplaced(self) -> dict[str, int]:
        """Per interaction: responses that may be its own but that the source could not place."""
        return dict(self.db.execute("""
            SELECT e.item, COUNT(*) FROM events e JOIN chosen c ON e.learner = c.learner AND e.attempt = c.attempt
            WHERE e.type = 'unplaced' GROUP BY e.item""").fetchall())

    def _decisions(self, course: CourseMap) -> list[DecisionSummary]:
        decisions = [i for i in sorted(course.interactions.values(), key=lambda i: i.order)
                     if i.type == "choice" and i.kind != "quiz"]
        known = {i.id: {o.id for o in i.options} for i in decisions}
        counts: dict[str, dict[str, tuple[int, int]]] = {i.id: {} for i in decisions}
        unknown: dict[str, list[tuple[str, int, int]]] = {i.id: [] for i in decisions}
        rest: dict[str, list[int]] = {i.id: [0, 0, 0] for i in decisions}  # answers, first, all
        self._want(set(known))
        for item, response, first, total, _ in self._response_counts(False):
            if response in known[item]:
                counts[item][response] = (first, total)
            elif len(unknown[item]) < MAX_UNKNOWN_CHOICES:  # the most frequent few by name
                unknown[item].append((response, first, total))
            else:  # the rest together, so that no source can make the report grow without end
                rest[item] = [rest[item][0] + 1, rest[item][1] + first, rest[item][2] + total]
        items, unplaced = self._answered_items(), self._unplaced()
        out: list[DecisionSummary] = []
        for interaction in decisions:
            answered, retried, right = items.get(interaction.id, (0, 0, 0))
            choices: list[ChoiceCount] = []
            for option in interaction.options:
                first, total = counts[interaction.id].get(option.id, (0, 0))
                result = "neutral" if option.correct is None else ("right" if option.correct else "wrong")
                choices.append({"id": option.id, "text": option.text, "result": result, "first": first,
                                "all": total})
            # Answers the course does not offer (an older version of it, or a hostile source).
            for response, first, total in unknown[interaction.id]:
                choices.append({"id": shorten(response, 64), "text": f"(not in the course: {shorten(response, 80)})",
                                "result": "neutral", "first": first, "all": total})
            others, first, total = rest[interaction.id]
            if others:
                choices.append({"id": "", "text": f"({others:,} other answers not in the course)", "result": "neutral",
                                "first": first, "all": total})
            out.append({"id": interaction.id, "scene": interaction.scene, "scene_title": interaction.scene_title,
                        "title": interaction.title, "kind": interaction.kind, "answered": answered,
                        "right_first_time": (right or 0) if interaction.scored else None, "retried": retried,
                        "unplaced": unplaced.get(interaction.id, 0), "choices": choices})
        return out

    def _questions(self, course: CourseMap) -> list[QuestionSummary]:
        questions = [i for i in sorted(course.interactions.values(), key=lambda i: i.order) if i.kind == "quiz"]
        by_id = {i.id: i for i in questions}
        chosen: dict[str, dict[str, int]] = {i.id: {} for i in questions}
        top: dict[str, list[ResponseCount]] = {i.id: [] for i in questions}
        self._want(set(by_id))
        for item, response, count, _, success in self._response_counts(True):
            interaction = by_id[item]
            if interaction.type == "choice":
                option_ids = {o.id for o in interaction.options}
                for part in response.split("[,]") if response else []:
                    if part in option_ids:
                        chosen[item][part] = chosen[item].get(part, 0) + count
            elif len(top[item]) < MAX_TOP_RESPONSES:
                top[item].append({"response": shorten(readable(interaction, response), 200), "count": count,
                                  "correct": None if success is None else bool(success)})
        statistics = {row[0]: row[1:] for row in self.db.execute("""
            WITH first AS (SELECT aid, item, success FROM answers
                           WHERE n = 1 AND success IS NOT NULL AND item IN (SELECT item FROM wanted)),
                 total AS (SELECT aid, SUM(success) AS t FROM first GROUP BY aid)
            SELECT item, COUNT(*), SUM(x), SUM(y), SUM(x * y), SUM(x * x), SUM(y * y)
            FROM (SELECT f.item, f.success AS x, total.t - f.success AS y FROM first f JOIN total USING (aid))
            GROUP BY item""")}
        items, unplaced = self._answered_items(), self._unplaced()
        out: list[QuestionSummary] = []
        for interaction in questions:
            answered, _, right = items.get(interaction.id, (0, 0, 0))
            options: list[OptionCount] = [
                {"id": o.id, "text": o.text, "correct": o.correct, "chosen": chosen[interaction.id].get(o.id, 0)}
                for o in interaction.options] if interaction.type == "choice" else []
            out.append({"id": interaction.id, "scene": interaction.scene, "scene_title": interaction.scene_title,
                        "title": interaction.title, "type": interaction.type, "answered": answered,
                        "facility": round((right or 0) / answered, 4) if answered else None,
                        "discrimination": _discrimination(statistics.get(interaction.id)),
                        "unplaced": unplaced.get(interaction.id, 0),
                        "options": options, "responses": top[interaction.id],
                        "correct_answer": "; ".join(readable(interaction, p) for p in interaction.correct)})
        return out

    def _reflections(self, course: CourseMap, shown: int) -> list[ReflectionSummary]:
        out: list[ReflectionSummary] = []
        for interaction in sorted(course.interactions.values(), key=lambda i: i.order):
            if interaction.type != "long-fill-in":
                continue
            count = self._one("SELECT COUNT(*) FROM answers WHERE item = ? AND n = answers",
                              (interaction.id,))
            texts: list[ReflectionText] = [
                {"text": shorten(text, MAX_TEXT_SHOWN), "timestamp": ts, "learner": name}
                for text, ts, name in self.db.execute(
                    "SELECT response, ts, name FROM answers WHERE item = ? AND n = answers AND response != '' "
                    "ORDER BY ts DESC, seq DESC LIMIT ?", (interaction.id, shown))]
            out.append({"id": interaction.id, "scene": interaction.scene, "scene_title": interaction.scene_title,
                        "title": interaction.title, "points": list(interaction.points), "count": count or 0,
                        "texts": texts, "truncated_by_source": bool(self._one(
                            "SELECT EXISTS (SELECT 1 FROM answers WHERE item = ? AND truncated = 1)",
                            (interaction.id,)))})
        return out

    def _scores(self) -> list[Bin]:
        counts = dict(self.db.execute("""
            SELECT MAX(MIN(CAST(a.score / 10 AS INTEGER), 9), 0), COUNT(*)
            FROM chosen c JOIN attempts a ON a.rowid = c.aid WHERE a.score IS NOT NULL GROUP BY 1""").fetchall())
        if not counts:
            return []
        return [{"start": 10.0 * b, "end": 10.0 * (b + 1), "count": counts.get(b, 0)} for b in range(10)]

    def _times(self, course: CourseMap) -> list[SceneTime]:
        """Time on each scene: from one `experienced` to the next (xAPI), else the time to answer."""
        rows = self.db.execute("""
            WITH spans AS (
              SELECT scene, (julianday(LEAD(ts) OVER (PARTITION BY aid ORDER BY ts, seq)) - julianday(ts)) * 86400.0
                     AS v FROM visits
              UNION ALL
              SELECT item, seconds FROM answers
              WHERE seconds IS NOT NULL AND aid NOT IN (SELECT aid FROM visits)),
            kept AS (SELECT scene, v FROM spans WHERE v IS NOT NULL AND v >= 0 AND v <= ?),
            ranked AS (SELECT scene, v, ROW_NUMBER() OVER (PARTITION BY scene ORDER BY v) AS r,
                              COUNT(*) OVER (PARTITION BY scene) AS c FROM kept)
            SELECT scene, c,
                   MAX(CASE WHEN r = MAX(1, CAST(ROUND(c * 0.25) AS INTEGER)) THEN v END),
                   MAX(CASE WHEN r = MAX(1, CAST(ROUND(c * 0.5) AS INTEGER)) THEN v END),
                   MAX(CASE WHEN r = MAX(1, CAST(ROUND(c * 0.75) AS INTEGER)) THEN v END)
            FROM ranked GROUP BY scene""", (MAX_SCENE_SECONDS,)).fetchall()
        by_scene: dict[str, tuple[int, float, float, float]] = {}
        for item, count, p25, p50, p75 in rows:
            scene = course.interactions[item].scene if item in course.interactions else item
            if scene in course.scene_titles and (scene not in by_scene or by_scene[scene][0] < count):
                by_scene[scene] = (count, p25, p50, p75)
        order = list(course.scene_titles)
        return [{"scene": scene, "title": course.scene_titles[scene], "count": count,
                 "median_seconds": round(p50, 1), "p25_seconds": round(p25, 1), "p75_seconds": round(p75, 1)}
                for scene, (count, p25, p50, p75) in sorted(by_scene.items(), key=lambda kv: order.index(kv[0]))]

    def _steps(self, course: CourseMap) -> None:
        """Each attempt's scenes in order, with the scene before (table ``steps``): its `experienced`
        statements, or (a source without them) the scenes of its answers."""
        self.db.executescript("DROP TABLE IF EXISTS item_scenes; DROP TABLE IF EXISTS steps;"
                              "CREATE TABLE item_scenes (item TEXT PRIMARY KEY, scene TEXT)")
        self.db.executemany("INSERT INTO item_scenes VALUES (?, ?)",
                            [(i.id, i.scene) for i in course.interactions.values()])
        self.db.execute("""
            CREATE TABLE steps AS
              SELECT aid, scene, LAG(scene) OVER (PARTITION BY aid ORDER BY ts, seq) AS previous
              FROM (SELECT aid, scene, ts, seq FROM visits UNION ALL
                    SELECT a.aid, COALESCE(s.scene, a.item), a.ts, a.seq FROM answers a
                    LEFT JOIN item_scenes s ON s.item = a.item WHERE a.aid NOT IN (SELECT aid FROM visits))""")

    def _flow_nodes(self, course: CourseMap) -> list[FlowNode]:
        """Attempts that reached each scene. Without `experienced` statements (Moodle), only the scenes
        with an interaction are known: the others are left out (the report says "no data")."""
        reached = dict(self.db.execute("SELECT scene, COUNT(DISTINCT aid) FROM steps GROUP BY scene").fetchall())
        observed = set(course.scene_titles)
        if not self._one("SELECT EXISTS (SELECT 1 FROM visits)"):
            observed = {i.scene for i in course.interactions.values()}
        return [{"id": scene, "title": title, "kind": course.scene_kinds[scene], "attempts": reached.get(scene, 0)}
                for scene, title in course.scene_titles.items() if scene in observed]

    def _flow_edges(self, course: CourseMap) -> list[FlowEdge]:
        rows = self.db.execute("""
            SELECT previous, scene, COUNT(DISTINCT aid), COUNT(*) FROM steps
            WHERE previous IS NOT NULL AND previous != scene GROUP BY previous, scene
            ORDER BY COUNT(*) DESC""").fetchall()
        return [{"source": source, "target": target, "attempts": attempts, "times": times}
                for source, target, attempts, times in rows
                if source in course.scene_titles and target in course.scene_titles]

    def _groups(self) -> list[GroupSummary]:
        rows = self.db.execute("""
            SELECT a.grp, COUNT(*), SUM(a.completed),
                   SUM(a.passed_at IS NOT NULL AND (a.failed_at IS NULL OR a.passed_at >= a.failed_at)), AVG(a.score)
            FROM chosen c JOIN attempts a ON a.rowid = c.aid WHERE a.grp != '' GROUP BY a.grp ORDER BY a.grp""")
        return [{"group": group, "attempts": attempts, "completed": completed or 0, "passed": passed or 0,
                 "mean_score": None if mean is None else round(mean, 2)}
                for group, attempts, completed, passed, mean in rows]

    # --- per learner ---------------------------------------------------------------------------

    _KEPT = """
        WITH kept AS (SELECT e.rowid AS seq, e.* FROM events e
                      JOIN chosen c ON e.learner = c.learner AND e.attempt = c.attempt),
             names AS (SELECT learner, MAX(name) AS name FROM attempts GROUP BY learner)"""

    def learners(self, selection: Selection) -> tuple[Iterator[tuple[Any, ...]], Iterator[tuple[Any, ...]]]:
        """The attempts ``selection`` keeps, per learner: ``learner_outcomes`` and ``learner_answers``."""
        self._select(selection)
        return self._learner_outcomes(), self._learner_answers()

    def _learner_outcomes(self) -> Iterator[tuple[Any, ...]]:
        """One row per learner with a kept attempt, by name then identity: learner, name, completed,
        the latest result (passed/failed) and its score."""
        yield from self.db.execute(self._KEPT + """,
             results AS (SELECT learner, type, score,
                                ROW_NUMBER() OVER (PARTITION BY learner ORDER BY ts DESC, seq DESC) AS r
                         FROM kept WHERE type IN ('passed', 'failed'))
            SELECT k.learner, n.name, MAX(k.type IN ('completed', 'passed', 'failed')), r.type, r.score
            FROM kept k JOIN names n ON n.learner = k.learner
            LEFT JOIN results r ON r.learner = k.learner AND r.r = 1
            GROUP BY k.learner ORDER BY lower(n.name), k.learner""")

    def _learner_answers(self) -> Iterator[tuple[Any, ...]]:
        """Every kept answer, in the order of ``_learner_outcomes`` and then of time: learner, item, kind,
        response, success, timestamp."""
        yield from self.db.execute(self._KEPT + """
            SELECT k.learner, k.item, k.kind, k.response, k.success, k.ts
            FROM kept k JOIN names n ON n.learner = k.learner WHERE k.type = 'answered'
            ORDER BY lower(n.name), k.learner, k.ts, k.seq""")

    def has_group(self, group: str) -> bool:
        """Whether any attempt is in ``group`` (as ``Selection.group`` reads an attempt's group)."""
        self._prepare()
        return bool(self._one("SELECT EXISTS (SELECT 1 FROM attempts WHERE grp = ?)", (group,)))

    def groups_seen(self, limit: int) -> list[str]:
        """The first ``limit`` groups, by name."""
        self._prepare()
        return [row[0] for row in self.db.execute("SELECT DISTINCT grp FROM attempts WHERE grp != '' ORDER BY grp "
                                                  "LIMIT ?", (limit,))]


def _storable(text: str) -> str | bytes:
    """Text as SQLite can keep it: lone surrogates (which an LRS may send as JSON escapes) cannot be
    UTF-8, so such text is kept as bytes that ``_readable_row`` turns back into the same text."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")
    return text


def _readable_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(v.decode("utf-8", "surrogatepass") if isinstance(v, bytes) else v for v in row)


def _discrimination(sums: tuple[Any, ...] | None) -> float | None:
    """Pearson's r between a question (right or not) and the rest of the quiz (the corrected
    item-total correlation, as Moodle's quiz statistics call discrimination)."""
    if not sums or sums[0] < MIN_DISCRIMINATION_ATTEMPTS:
        return None
    n, sx, sy, sxy, sxx, syy = (float(v or 0) for v in sums)
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if spread <= 0:
        return None
    return round((n * sxy - sx * sy) / math.sqrt(spread), 3)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def readable(interaction: Interaction, response: str) -> str:
    """A response or correct pattern in xAPI form as a person reads it (option texts, arrows, order)."""
    if interaction.type in ("fill-in", "long-fill-in"):
        return response.removeprefix("{case_matters=true}")
    if interaction.type == "matching":
        pairs = [part.split("[.]", 1) for part in response.split("[,]") if part]
        return "; ".join(f"{interaction.option_text(p[0])} \u2192 {interaction.option_text(p[-1])}" for p in pairs)
    if interaction.type == "true-false":
        return response
    separator = " \u2192 " if interaction.type == "sequencing" else "; "
    return separator.join(interaction.option_text(part) for part in response.split("[,]") if part)
