"""The two SCORM runtimes the browser tests play packages in, behind one interface.

* ``scorm-again``: a lenient, spec-minded runtime (npm), in tests/harness/lms.html, storing the
  data model on the test server at each commit and finish, as an LMS does;
* ``moodle``: Moodle 4.1's own, unmodified runtime (../shared/lms/moodle), with Moodle's PHP
  rules for attempts, modes and the data model handed back on relaunch.

Both give: ``launch()``, ``exit()`` (the learner leaves: the page unloads), ``crash()`` (the tab
is killed: no unload event at all), ``relaunch(page, mode=, newattempt=)`` (the same learner
enters again, on this device or another), ``errors`` (every call the runtime refused) and
``stored()`` (what the LMS keeps for the attempt, in one shape for both runtimes and both
versions). A test asserts on ``stored()`` and never on one runtime's own layout.
"""

from __future__ import annotations

import json
import re
import sys
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page

from support.learner import Learner

SHARED = Path(__file__).resolve().parents[3] / "shared"
MOODLE_DIR = SHARED / "lms" / "moodle"
sys.path.insert(0, str(MOODLE_DIR))
sys.dont_write_bytecode = True  # keep ../shared free of __pycache__
from moodle_lms import MoodleLMS, Settings, Store  # noqa: E402

sys.dont_write_bytecode = False

RUNTIMES = ("scorm-again", "moodle")
VERSIONS = ("1.2", "2004")
STANDARD = {"1.2": "scorm12", "2004": "scorm2004"}
# Every LMS runtime with every SCORM version, as pytest parameters (runtime, version).
EVERY_LMS = [pytest.param(runtime, version, id=f"{runtime}-{version}") for runtime in RUNTIMES for version in VERSIONS]
DONE_1_2 = ("completed", "passed", "failed")


@dataclass
class Interaction:
    id: str
    type: str = ""
    response: str | None = None
    patterns: list[str] = field(default_factory=list)
    result: str = ""
    weighting: str = ""
    latency: str = ""
    description: str = ""


@dataclass
class Stored:
    """What the LMS keeps for one attempt, the same for both runtimes."""

    version: str
    elements: dict[str, str]  # every element, flat: "cmi.interactions.0.id" -> value

    def get(self, element_12: str, element_2004: str | None = None) -> str:
        return self.elements.get(element_12 if self.version == "1.2" else (element_2004 or element_12), "")

    @property
    def completion(self) -> str:
        return self.get("cmi.core.lesson_status", "cmi.completion_status")

    @property
    def success(self) -> str:
        if self.version == "1.2":
            status = self.completion
            return status if status in ("passed", "failed") else "unknown"
        return self.get("", "cmi.success_status") or "unknown"

    @property
    def done(self) -> bool:
        return self.completion in (DONE_1_2 if self.version == "1.2" else ("completed",))

    @property
    def score(self) -> str:
        return self.get("cmi.core.score.raw", "cmi.score.raw")

    @property
    def location(self) -> str:
        return self.get("cmi.core.lesson_location", "cmi.location")

    @property
    def suspend_data(self) -> str:
        return self.elements.get("cmi.suspend_data", "")

    @property
    def exit(self) -> str:
        return self.get("cmi.core.exit", "cmi.exit")

    @property
    def interactions(self) -> list[Interaction]:
        found: dict[int, Interaction] = {}
        patterns: dict[int, dict[int, str]] = {}
        for element, value in self.elements.items():
            m = re.match(r"^cmi\.interactions\.(\d+)\.(.+)$", element)
            if not m:
                continue
            index, rest = int(m.group(1)), m.group(2)
            record = found.setdefault(index, Interaction(id=""))
            p = re.match(r"^correct_responses\.(\d+)\.pattern$", rest)
            if p:
                patterns.setdefault(index, {})[int(p.group(1))] = value
            elif rest in ("student_response", "learner_response"):
                record.response = value
            elif rest in ("id", "type", "result", "weighting", "latency", "description"):
                setattr(record, rest, value)
        for index, by_number in patterns.items():
            found[index].patterns = [by_number[n] for n in sorted(by_number)]
        return [found[i] for i in sorted(found)]

    @property
    def comments(self) -> str:
        """SCORM 1.2 cmi.comments."""
        return self.elements.get("cmi.comments", "")

    @property
    def learner_comments(self) -> list[dict[str, str]]:
        """SCORM 2004 cmi.comments_from_learner, in order."""
        found: dict[int, dict[str, str]] = {}
        for element, value in self.elements.items():
            m = re.match(r"^cmi\.comments_from_learner\.(\d+)\.(comment|location|timestamp)$", element)
            if m:
                found.setdefault(int(m.group(1)), {})[m.group(2)] = value
        return [found[i] for i in sorted(found)]

    def attempt_data(self) -> dict[str, str]:
        """The elements that describe the learner's work (not the LMS's bookkeeping of time)."""
        return {k: v for k, v in self.elements.items()
                if k.startswith("cmi.") and not k.endswith("total_time") and not k.endswith("session_time")}


# ---------------------------------------------------------------------------------------
# scorm-again
# ---------------------------------------------------------------------------------------

def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        if "childArray" in value and isinstance(value["childArray"], list):
            value = {str(i): v for i, v in enumerate(value["childArray"])}
        for key, child in value.items():
            if key.startswith("_") or key in ("jsonString",):
                continue
            _flatten(child, f"{prefix}.{key}", out)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            _flatten(child, f"{prefix}.{i}", out)
    elif value is not None and value != "":
        out[prefix] = str(value)


class ScormAgainAttempts:
    """The test LMS's storage for one learner: the data model each attempt last committed."""

    def __init__(self) -> None:
        self.attempts: dict[int, dict[str, Any]] = {}


class ScormAgainLMS:
    """scorm-again in tests/harness/lms.html, with the rules of a generic, spec-minded LMS:
    resume after ``exit=suspend``; a finished attempt opens in review (``no-credit``) with its
    data; SCORM 2004 starts a new attempt after any other exit of an unfinished attempt."""

    name = "scorm-again"

    def __init__(self, page: Page, web_root: Any, package_path: str, version: str, *,
                 store: ScormAgainAttempts | None = None, mode: str = "normal", newattempt: bool = False) -> None:
        self.page, self.web_root, self.package_path, self.version = page, web_root, package_path, version
        self.store = store or ScormAgainAttempts()
        self.requested_mode, self.newattempt = mode, newattempt
        self.session = uuid.uuid4().hex
        self.attempt = 1
        self.mode = "normal"
        self.exited = False
        self._calls: list[dict[str, Any]] = []

    @property
    def standard(self) -> str:
        return STANDARD[self.version]

    def _choose(self) -> tuple[int, str, dict[str, Any] | None]:
        """(attempt, mode, data model to hand the SCO)."""
        last = max(self.store.attempts, default=1)
        saved = self.store.attempts.get(last)
        if saved is None:
            return last, "browse" if self.requested_mode == "browse" else "normal", None
        stored = Stored(self.version, _elements(saved))
        if self.requested_mode == "browse":
            return last, "browse", saved
        if self.newattempt:
            return last + 1, "normal", None
        if stored.done:
            return last, "review", saved
        if self.version == "2004" and stored.exit != "suspend":
            return last + 1, "normal", None  # RTE 4.2.8: only a suspended attempt is resumed
        return last, "normal", saved

    def launch(self) -> FrameLocator:
        self.attempt, self.mode, saved = self._choose()
        data = None
        if saved is not None:
            cmi = json.loads(json.dumps(saved))
            stored = Stored(self.version, _elements(cmi))
            entry = "resume" if stored.exit == "suspend" else ""
            credit = "credit" if self.mode == "normal" else "no-credit"
            if self.version == "1.2":
                core = cmi.setdefault("core", {})
                core.update(entry=entry, lesson_mode=self.mode, credit=credit)
                core.pop("exit", None)
                core.pop("session_time", None)
            else:
                cmi.update(entry=entry, mode=self.mode, credit=credit)
                cmi.pop("exit", None)
                cmi.pop("session_time", None)
            data = {"cmi": cmi}
        else:
            credit = "credit" if self.mode == "normal" else "no-credit"
            data = {"cmi": {"core": {"entry": "ab-initio", "lesson_mode": self.mode, "credit": credit}}
                    if self.version == "1.2" else {"entry": "ab-initio", "mode": self.mode, "credit": credit}}
        self.page.goto(f"{self.web_root.base}/lms.html")
        self.page.evaluate("([s, src, saved, options]) => startLms(s, src, saved, options)",
                           [self.standard, self.package_path, data,
                            {"storeUrl": f"/lms-store/{self.session}"}])
        return self.frame

    @property
    def frame(self) -> FrameLocator:
        return self.page.frame_locator("#course")

    def learner(self) -> Learner:
        return Learner(self.page, self.web_root.base, frame_selector="#course")

    def _collect(self) -> None:
        for body in self.web_root.server.lms_stores.pop(self.session, []):
            commit = json.loads(body)
            current = self.store.attempts.get(self.attempt)
            if current is None or commit["seq"] > current.get("__seq", -1):
                self.store.attempts[self.attempt] = {**commit["cmi"], "__seq": commit["seq"]}

    def _settle(self, settle: float = 0.5, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        seen, quiet_since = None, time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = len(self.web_root.server.lms_stores.get(self.session, []))
            if now != seen:
                seen, quiet_since = now, time.monotonic()
            elif time.monotonic() - quiet_since >= settle:
                break
        self._collect()

    def exit(self) -> None:
        """The learner leaves: the LMS page goes elsewhere and the SCO unloads."""
        if self.exited:
            return
        try:
            self._calls = self.page.evaluate("window.lmsCalls || []")
        except Exception:
            pass
        self.page.goto("about:blank")
        self._settle()
        self.exited = True

    def crash(self) -> None:
        """The tab is killed: no pagehide, no unload, nothing more is sent."""
        self._calls = self.page.evaluate("window.lmsCalls || []")
        _crash(self.page)
        self._settle()
        self.exited = True

    def relaunch(self, page: Page | None = None, *, mode: str = "normal", newattempt: bool = False) -> ScormAgainLMS:
        self.exit()
        again = ScormAgainLMS(page or self.page, self.web_root, self.package_path, self.version,
                              store=self.store, mode=mode, newattempt=newattempt)
        again.launch()
        return again

    def with_package(self, package_zip: Path) -> ScormAgainLMS:
        """The same learner and attempts, with the course updated to another package."""
        self.package_path = self.web_root.add_package(package_zip, f"{Path(package_zip).stem}-{uuid.uuid4().hex[:8]}")
        return self

    @property
    def calls(self) -> list[dict[str, Any]]:
        if not self.exited:
            try:
                return self.page.evaluate("window.lmsCalls || []")
            except Exception:
                return self._calls
        return self._calls

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Every call scorm-again refused. A GetValue of an element the LMS holds no value for is
        answered 403 by the SCORM 2004 RTE (3.1.7.6, "not initialized"): an answer, not a refusal."""
        return [c for c in self.calls if c.get("code", "0") not in ("0", "")
                and not (c["fn"] == "get" and c.get("code") == "403")]

    def stored(self) -> Stored:
        if not self.exited:
            self._settle(settle=0.3)
        saved = self.store.attempts.get(self.attempt, {})
        return Stored(self.version, _elements(saved))

    def attempt_stored(self, attempt: int) -> Stored:
        return Stored(self.version, _elements(self.store.attempts.get(attempt, {})))


def _elements(cmi: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    _flatten({k: v for k, v in cmi.items() if not k.startswith("__")}, "cmi", out)
    return out


# ---------------------------------------------------------------------------------------
# Moodle
# ---------------------------------------------------------------------------------------

class MoodleRuntime:
    """Moodle 4.1's own runtime (../shared/lms/moodle), through the same interface."""

    name = "moodle"

    def __init__(self, page: Page, package: Any, version: str, *, store: Store | None = None,
                 mode: str = "normal", newattempt: bool = False, settings: Settings | None = None) -> None:
        self.version = version
        self.settings = settings or Settings()
        self.lms = MoodleLMS(page, package, version=version, store=store, mode=mode, newattempt=newattempt,
                             settings=self.settings)
        self.page = page

    @property
    def store(self) -> Store:
        return self.lms.store

    @property
    def attempt(self) -> int | None:
        return self.lms.attempt

    @property
    def mode(self) -> str | None:
        return self.lms.mode

    def launch(self) -> FrameLocator:
        return self.lms.launch()

    @property
    def frame(self) -> FrameLocator:
        return self.lms.sco_frame

    def learner(self) -> Learner:
        return Learner(self.page, "", frame_selector="#scorm_object")

    def exit(self) -> None:
        self.lms.exit()

    def crash(self) -> None:
        self.lms._settle(0.3, 3.0)
        _crash(self.page)
        self.lms.exited = True

    def relaunch(self, page: Page | None = None, *, mode: str = "normal", newattempt: bool = False) -> MoodleRuntime:
        """newattempt: Moodle gives a new attempt over an unfinished one only when the activity
        says "Force new attempt: Always" (lib.php:1294-1309, 1347-1354), so that is what it sets."""
        self.exit()
        settings = replace(self.settings, forcenewattempt=2) if newattempt else self.settings
        again = MoodleRuntime(page or self.page, self.lms.package, self.version, store=self.store, mode=mode,
                              newattempt=newattempt, settings=settings)
        again.launch()
        return again

    def with_package(self, package_zip: Path) -> MoodleRuntime:
        """The same learner and attempts, with the course updated to another package."""
        from moodle_lms import Package

        self.lms.package = Package(package_zip)
        return self

    @property
    def calls(self) -> list[dict[str, Any]]:
        return self.lms.calls

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.lms.errors

    def stored(self) -> Stored:
        return Stored(self.version, _moodle_elements(self.lms.tracks))

    def attempt_stored(self, attempt: int) -> Stored:
        with self.store.lock:
            return Stored(self.version, _moodle_elements(dict(self.store.attempts.get(attempt, {}))))


def _moodle_elements(tracks: dict[str, str]) -> dict[str, str]:
    # 1.2 arrays are stored as cmi.interactions_0.correct_responses_0.pattern (scorm_12.js:331).
    return {re.sub(r"_(\d+)\.", r".\1.", element): value for element, value in tracks.items()}


def _crash(page: Page) -> None:
    """Kill the tab's renderer process, as a phone does to a tab in the background: no
    visibilitychange, pagehide or unload event runs (chrome://kill is Chromium's debug URL)."""
    try:
        page.goto("chrome://kill", timeout=5000)
    except Exception:  # net::ERR_ABORTED: the renderer is gone, which is the point
        pass


def open_lms(runtime: str, page: Page, web_root: Any, package_zip: Path, version: str, **kwargs: Any) -> Any:
    """A fresh LMS of the given kind with the package uploaded; call .launch() to start."""
    if runtime == "moodle":
        return MoodleRuntime(page, package_zip, version, **kwargs)
    path = web_root.add_package(package_zip, f"{Path(package_zip).stem}-{uuid.uuid4().hex[:8]}")
    return ScormAgainLMS(page, web_root, path, version, **kwargs)
