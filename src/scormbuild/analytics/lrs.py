"""Reading learner data from an xAPI LRS: the statements resource, page by page.

Statements are asked for with the xAPI query parameters (``registration``, and on request
``activity`` with ``related_activities`` and ``since``) and read page by page (following `more`
links), one page in memory at a time, each turned into an ``events.Event`` as it arrives. The
HTTP itself, with its deadlines, retries and limits, is ``lrs_http``.

What the LRS sends is not trusted: at most ``SCORMBUILD_REPORT_MAX_PAGES`` pages (default
10,000) are read; a `more` link must not lead back to a page already read, and must bring new
statements. Breaking any of these is an error: the report is never made when it would be
incomplete. Statements are de-duplicated by id among the newest 50,000 (an LRS whose pages
overlap); a statement whose fields the report needs have the wrong type is skipped, counted and
mentioned on stderr; an answer that is not an xAPI StatementResult at all is an error.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

from scormbuild import __version__
from scormbuild.analytics.events import Event
from scormbuild.analytics.lrs_http import (
    PAGE_LIMIT,
    PAGES_VARIABLE,
    XAPI_VERSION,
    Endpoint,
    HttpAnswer,
    excerpt,
    get,
    max_pages,
    next_page,
    parse_endpoint,
    redacted,
    request_timeout,
)
from scormbuild.analytics.text import shown
from scormbuild.errors import ReportError
from scormbuild.xapi_activities import SCENE_KIND_EXTENSION

VERB_BASE = "http://adlnet.gov/expapi/verbs/"
MAX_ID_LENGTH = 128  # characters in a statement id (a UUID has 36)
MAX_TEXT_LENGTH = 65_536  # characters in one field the report keeps (reflections are at most 3,800)


class Unreadable(Exception):
    """A statement the report cannot read; the message says briefly why."""



# --- reading statements ----------------------------------------------------------------------

DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
STARTED_VERBS = ("initialized", "launched")
OUTCOME_VERBS = ("completed", "passed", "failed")
# Statement ids remembered to drop a statement an LRS sends twice (pages that overlap): the newest
# ones only, so that memory does not grow with the number of statements.
DUPLICATE_WINDOW = 50_000


def seconds_of(duration: Any) -> float | None:
    """An ISO 8601 duration as xAPI writes it (``PT1M2.5S``) in seconds; None when absent or unreadable."""
    if not isinstance(duration, str) or len(duration) > 64:
        return None
    match = DURATION.match(duration)
    if not match or duration in ("P", "PT"):
        return None
    days, hours, minutes, secs = (float(part) if part else 0.0 for part in match.groups())
    return days * 86_400 + hours * 3600 + minutes * 60 + secs


def _text(value: Any, what: str, missing: str = "") -> str:
    if value is None:
        return missing
    if not isinstance(value, str):
        raise Unreadable(f"`{what}` is not text")
    if len(value) > MAX_TEXT_LENGTH:
        raise Unreadable(f"`{what}` is longer than {MAX_TEXT_LENGTH:,} characters")
    return value


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Unreadable(f"`{what}` is not an object")
    return value


def actor_key(actor: dict[str, Any]) -> str:
    """The learner's identity: the agent's inverse functional identifier."""
    def text(value: Any) -> str:
        if not isinstance(value, str):
            raise Unreadable("`actor` is not an xAPI agent")
        return _text(value, "actor")

    if "mbox" in actor:
        return text(actor["mbox"])
    if "account" in actor:
        account = actor["account"]
        if not isinstance(account, dict):
            raise Unreadable("`actor` is not an xAPI agent")
        return f"{text(account.get('homePage', ''))}|{text(account.get('name', ''))}"
    for ifi in ("openid", "mbox_sha1sum"):
        if ifi in actor:
            return text(actor[ifi])
    # An anonymous group: known by its members, as given.
    return _text(json.dumps(actor, sort_keys=True), "actor")


def _group(context: dict[str, Any]) -> str:
    """The learner's group: the statement's ``context.team`` (an xAPI Group), by its name or account."""
    team = context.get("team")
    if not isinstance(team, dict):
        return ""
    name = team.get("name")
    if isinstance(name, str):
        return _text(name, "context.team.name")
    account = team.get("account")
    return _text(account.get("name"), "context.team.account.name") if isinstance(account, dict) else ""


def _scaled_percent(result: dict[str, Any]) -> float | None:
    score = _mapping(result.get("score"), "result.score")
    if "scaled" not in score:
        return None
    scaled = score["scaled"]
    if isinstance(scaled, bool) or not isinstance(scaled, (int, float)) or not math.isfinite(scaled) \
            or not -1 <= scaled <= 1:
        raise Unreadable("`result.score.scaled` is not a number from -1 to 1")
    return round(float(scaled) * 100, 2)


def read_statement(raw: dict[str, Any], interaction_of: Callable[[str], str],
                   scene_of: Callable[[str], str]) -> Event | None:
    """The event a statement tells, each field of the type xAPI gives it; None for a statement the
    report has no use for (terminated, media...); Unreadable when a field it needs is wrong."""
    actor = raw.get("actor")
    if not isinstance(actor, dict):
        raise Unreadable("`actor` is not an xAPI agent")
    verb = raw.get("verb")
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str):
        raise Unreadable("`verb` has no id")
    name = verb["id"].removeprefix(VERB_BASE)
    if name not in ("answered", "experienced", *STARTED_VERBS, *OUTCOME_VERBS):
        return None
    obj = raw.get("object")
    if not isinstance(obj, dict):
        raise Unreadable("`object` is not an object")
    object_id = _text(obj.get("id"), "object.id")
    context = _mapping(raw.get("context"), "context")
    registration = context.get("registration")
    event = Event("started" if name in STARTED_VERBS else name, actor_key(actor),
                  _text(actor.get("name"), "actor.name"),
                  registration if isinstance(registration, str) and len(registration) <= MAX_ID_LENGTH else "",
                  _group(context), utc_timestamp(_text(raw.get("timestamp"), "timestamp")))
    result = _mapping(raw.get("result"), "result")
    if name == "answered":
        definition = _mapping(obj.get("definition"), "object.definition")
        extensions = _mapping(definition.get("extensions"), "object.definition.extensions")
        event.item = interaction_of(object_id)
        event.kind = _text(extensions.get(SCENE_KIND_EXTENSION), "object.definition.extensions", "other")
        event.response = _text(result.get("response"), "result.response")
        success = result.get("success")
        if success is not None and not isinstance(success, bool):
            raise Unreadable("`result.success` is not true or false")
        event.success = success
        event.seconds = seconds_of(result.get("duration"))
    elif name == "experienced":
        event.item = scene_of(object_id)
    elif name in OUTCOME_VERBS:
        event.score = _scaled_percent(result)
        event.seconds = seconds_of(result.get("duration"))
    return event


def is_about(statement: dict[str, Any], iri: str) -> bool:
    """Whether a statement's object or context activities are ``iri`` or below it (ids of the wrong
    type are not about it)."""
    prefix = iri.rstrip("/") + "/"

    def about(value: Any) -> bool:
        return isinstance(value, str) and (value == iri or value.startswith(prefix))

    obj = statement.get("object")
    if isinstance(obj, dict) and about(obj.get("id")):
        return True
    context = statement.get("context")
    groups = context.get("contextActivities") if isinstance(context, dict) else None
    for group in (groups.values() if isinstance(groups, dict) else ()):
        for activity in (group if isinstance(group, list) else [group]):
            if isinstance(activity, dict) and about(activity.get("id")):
                return True
    return False


def _not_xapi(endpoint: Endpoint, why: str) -> ReportError:
    return ReportError(f"{endpoint.display} did not answer like an xAPI LRS ({why}); check --endpoint")


def _statement_result(endpoint: Endpoint, body: bytes) -> tuple[list[Any], str]:
    """The statements and the `more` link of a StatementResult."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise _not_xapi(endpoint, "its answer is not JSON") from None
    if not isinstance(data, dict):
        raise _not_xapi(endpoint, "its answer is not a StatementResult object")
    statements, more = data.get("statements"), data.get("more")
    if not isinstance(statements, list):
        raise _not_xapi(endpoint, "its answer has no list of `statements`")
    if more is not None and not isinstance(more, str):
        raise _not_xapi(endpoint, "its `more` link is not text")
    return statements, more or ""


_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


def timestamp_option(text: str | None, option: str) -> str | None:
    """A date or date-time given on the command line, as xAPI's ISO 8601 timestamp in UTC."""
    if text is None:
        return None
    if not _TIMESTAMP.match(text.strip()):
        raise ReportError(f"{option} must be a date (2026-01-31) or a date and time (2026-01-31T09:00Z), "
                          f"not {shown(text, 40)}")
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ReportError(f"{option} is not a real date: {shown(text, 40)}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return utc_text(moment)


def utc_text(moment: datetime) -> str:
    """A moment as every timestamp is kept, so that they compare as text: UTC, milliseconds, Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z"


def utc_timestamp(text: str) -> str:
    """An xAPI timestamp (any offset, any precision) as ``utc_text``; Unreadable when it is not one."""
    if len(text) == 24 and text.endswith("Z") and text[19] == ".":
        return text  # already in that form (what players send): the common case, no parsing
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise Unreadable("`timestamp` is not an ISO 8601 time") from None
    return utc_text(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))


@dataclass(frozen=True)
class LrsQuery:
    """What to ask the LRS for (xAPI statements resource parameters; None: not asked)."""

    activity: str | None = None  # statements about it or below it are kept (checked here, always)
    registration: str | None = None
    since: str | None = None  # statements stored since (the report's own --since is applied by the store)
    # Also ask the LRS for the activity (with related_activities): far less to read from a big LRS,
    # but not every LRS gets it right (Ralph 5.1's file backend matches nothing), so only on request.
    activity_at_lrs: bool = False
    related_activities: bool = True

    def parameters(self) -> dict[str, str]:
        params = {"limit": str(PAGE_LIMIT), "ascending": "true"}
        if self.activity and self.activity_at_lrs:
            params["activity"] = self.activity
            if self.related_activities:
                params["related_activities"] = "true"
        for name in ("registration", "since"):
            value = getattr(self, name)
            if value:
                params[name] = value
        return params


def fetch_statements(endpoint_text: str, user: str, password: str, query: LrsQuery,
                     skipped: Counter[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every statement the LRS sends for ``query`` (and about ``query.activity`` if given), each once,
    as the LRS sent it; ``skipped`` counts those that are not statements at all. Raises ReportError
    whenever it cannot read everything. One page is in memory at a time."""
    endpoint = parse_endpoint(endpoint_text)
    if ":" in user:
        raise ReportError("--user must not contain ':' (HTTP Basic authentication cannot send it)")
    timeout, pages = request_timeout(), max_pages()
    skipped = Counter() if skipped is None else skipped
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    headers = {"Authorization": f"Basic {credentials}", "X-Experience-API-Version": XAPI_VERSION,
               "Accept": "application/json", "User-Agent": f"scormbuild/{__version__}", "Connection": "close"}
    # Each statement is checked here for the activity, whether or not the LRS was asked to filter:
    # filtering on the LRS side is uneven, and a course's statements are about its IRI *or any IRI
    # below it*, which xAPI cannot ask for.
    target = f"{endpoint.path}statements?{urlencode(query.parameters())}"
    # The next page is asked for while this one is read (one request ahead), so that reading an LRS
    # takes about as long as the LRS takes to answer.
    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lrs-page")
    try:
        yield from _pages(endpoint, target, headers, timeout, pages, query, skipped, ahead)
    finally:
        ahead.shutdown(wait=False, cancel_futures=True)


def _pages(endpoint: Endpoint, target: str, headers: dict[str, str], timeout: float, pages: int, query: LrsQuery,
           skipped: Counter[str], ahead: ThreadPoolExecutor) -> Iterator[dict[str, Any]]:
    targets_read: set[str] = set()
    recent_ids: deque[str] = deque()
    ids_seen: set[str] = set()
    pending: Future[HttpAnswer] = ahead.submit(get, endpoint, target, headers, timeout)
    for number in range(1, pages + 1):
        targets_read.add(target)
        answer = pending.result()
        where = "" if number == 1 else f" for page {number}; the report would be incomplete"
        if answer.status in (401, 403):
            raise ReportError(f"the LRS refused the credentials (HTTP {answer.status}){where}: "
                              "check --user and --password")
        if answer.status == 404 and number == 1:
            raise ReportError(f"no xAPI statements resource at {endpoint.display} (HTTP 404): check --endpoint")
        if 300 <= answer.status < 400:
            raise ReportError(f"the LRS answered HTTP {answer.status}, a redirect to "
                              f"{redacted(answer.location) or 'nowhere'}{where}; scormbuild does not follow "
                              "redirects (your credentials would go along): give the address it means as --endpoint")
        if answer.status == 400 and number == 1:
            raise ReportError(f"the LRS refused the query (HTTP 400: {excerpt(answer.body)}); check --since "
                              "and --registration")
        if answer.status != 200:
            raise ReportError(f"the LRS answered HTTP {answer.status}{where}: {excerpt(answer.body)}")
        statements, more = _statement_result(endpoint, answer.body)
        del answer
        if more:
            target = next_page(endpoint, more)
            if target in targets_read:
                raise ReportError(f"the LRS's `more` link leads back to a page already read ({shown(target, 60)}): "
                                  "it goes round in circles, so the report would be incomplete")
            if statements and number < pages:
                pending = ahead.submit(get, endpoint, target, headers, timeout)
        new = 0
        for raw in statements:
            statement_id = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(statement_id, str) and len(statement_id) <= MAX_ID_LENGTH:
                if statement_id in ids_seen:
                    continue  # already read on this page or a recent one
                ids_seen.add(statement_id)
                recent_ids.append(statement_id)
                if len(recent_ids) > DUPLICATE_WINDOW:
                    ids_seen.discard(recent_ids.popleft())
            new += 1
            if not isinstance(raw, dict):
                skipped["not a JSON object"] += 1
            elif query.activity is not None and not is_about(raw, query.activity):
                continue
            elif not isinstance(statement_id, str) or len(statement_id) > MAX_ID_LENGTH:
                skipped["no valid `id`"] += 1
            else:
                yield raw
        if not more:
            return
        if not new:
            raise ReportError(f"the LRS sent a page with no new statements but a `more` link (page {number}): "
                              "it goes round in circles, so the report would be incomplete")
        if len(targets_read) > DUPLICATE_WINDOW:
            targets_read.clear()  # a loop this long is caught by the page limit
    raise ReportError(f"stopped after {pages:,} pages and the LRS has more: the report would be incomplete; "
                      f"to read more pages, set {PAGES_VARIABLE} to a higher number")


def read_lrs(endpoint: str, user: str, password: str, query: LrsQuery, skipped: Counter[str],
             interaction_of: Callable[[str], str] | None = None,
             scene_of: Callable[[str], str] | None = None) -> Iterator[Event]:
    """The LRS's statements as events; a statement the report cannot read is counted in ``skipped`` by reason."""
    def last_part(iri: str) -> str:
        return iri.rstrip("/").rsplit("/", 1)[-1]

    for raw in fetch_statements(endpoint, user, password, query, skipped):
        try:
            event = read_statement(raw, interaction_of or last_part, scene_of or last_part)
        except Unreadable as why:
            skipped[str(why)] += 1
            continue
        if event is not None:
            yield event
