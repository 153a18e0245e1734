"""What each LMS keeps of each kind of learner: runtime x SCORM version x learner kind.

    .venv/bin/python bench/lms_matrix.py [--kinds whole,review] [--runtimes moodle] [--json out.json]

Plays every kind of learner of tests/learner_kinds.py in scorm-again and in Moodle 4.1's own
runtime (../shared/lms/moodle), for SCORM 1.2 and 2004, and prints per row: the calls the LMS
refused, the interactions it stored with a response (of the answers given), the reflections it
keeps whole and once (of those written), and whether a review or Preview left the attempt as it
was. The tests (tests/test_lms_tracking.py) require the same things; this prints them.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.learner_kinds import KIND_LABELS, KINDS, Packages, play  # noqa: E402
from support.lms_runtimes import RUNTIMES, VERSIONS  # noqa: E402
from support.paths import HARNESS, SCORM_AGAIN  # noqa: E402
from support.web import QuietHandler, Server, WebRoot  # noqa: E402


def serve(folder: Path) -> WebRoot:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(HARNESS, folder / "lms.html")
    shutil.copy(SCORM_AGAIN, folder / "scorm-again.min.js")
    server = Server(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    server.lms_stores = {}  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return WebRoot(folder, server)


def cell(pair: tuple[int, int]) -> str:
    return f"{pair[0]}/{pair[1]}" if pair[1] else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--runtimes", default=",".join(RUNTIMES))
    parser.add_argument("--versions", default=",".join(VERSIONS))
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        web_root = serve(Path(tmp) / "web")
        packages = Packages(Path(tmp) / "packages")
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        for kind in args.kinds.split(","):
            for runtime in args.runtimes.split(","):
                for version in args.versions.split(","):
                    outcome = play(kind, runtime, version, browser, web_root, packages, catch=True)
                    row = {"kind": kind, "runtime": runtime, "version": version,
                           "refused": len(outcome.refused),
                           "refused_elements": sorted({f"{e.get('element')} {e.get('code')}" for e in outcome.refused}),
                           "interactions": list(outcome.interactions), "reflections": list(outcome.reflections),
                           "unchanged": outcome.unchanged, "mismatches": outcome.mismatches,
                           "js_errors": outcome.js_errors, "failure": outcome.failure, "notes": outcome.notes}
                    rows.append(row)
                    print(f"{kind:15} {runtime:11} {version:4} refused {row['refused']:3}  "
                          f"interactions {cell(outcome.interactions):6} reflections {cell(outcome.reflections):4} "
                          f"unchanged {'-' if outcome.unchanged is None else outcome.unchanged!s:5} "
                          f"{'FAILED ' + outcome.failure if outcome.failure else ''}", file=sys.stderr, flush=True)
        browser.close()

    print("| learner | runtime | SCORM | refused calls | interactions with a response | reflections intact "
          "| attempt unchanged | notes |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        notes = row["notes"] + [f"refused: {', '.join(row['refused_elements'][:3])}" for _ in [0] if row["refused"]]
        notes += [f"JS error: {row['js_errors'][0][:80]}"] if row["js_errors"] else []
        notes += [f"failed: {row['failure']}"] if row["failure"] else []
        unchanged = "-" if row["unchanged"] is None else ("yes" if row["unchanged"] else "**no**")
        print(f"| {KIND_LABELS[row['kind']]} | {row['runtime']} | {row['version']} | {row['refused']} | "
              f"{cell(tuple(row['interactions']))} | {cell(tuple(row['reflections']))} | {unchanged} | "
              f"{'; '.join(notes)} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
