"""scormbuild benchmarks: build speed against the zip limit, payload, time to first
interaction, resume-state size and xAPI delivery rate. Prints a table and writes JSON.

    .venv/bin/python bench/run.py                 # all sizes: 10, 100, 1000, 5000 scenes
    .venv/bin/python bench/run.py --sizes 10 --quick --json out.json

Targets (from the project's issue 7) are checked here, not in timed unit tests.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
import zipfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the real LRS and web server helpers the tests use
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

from scormbuild.commands.build import build  # noqa: E402
from scormbuild.package_reader import read_zip  # noqa: E402
from scormbuild.standards import STANDARDS  # noqa: E402

SAMPLE = ROOT / "content" / "professional-boundaries"
TARGETS = {"all_vs_zip_ratio_1000": 2.0, "payload_gzip_kib": 40.0, "first_interaction_ms_sample": 150.0,
           "suspend_data_250": 4096}


def seconds(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def zip_only(packages: list[Path]):  # noqa: ANN201
    """Python's zipfile writing the very same files (deflate), in memory: the floor for writing a package."""
    contents = [read_zip(path) for path in packages]

    def write_all() -> None:
        for files in contents:
            with zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(files):
                    archive.writestr(name, files[name])

    return write_all


def bench_builds(sizes: list[int], workdir: Path, runs: int) -> list[dict]:
    """Each round times, one after the other (so that both sides see the machine in the
    same state): a build, and zipfile writing the same files. Times are the best of the
    rounds (timeit's rule: noise only ever adds time); the ratio compares best with best."""
    rows = []
    for size in sizes:
        course = generate(workdir / f"course-{size}", size)
        scenes = len(list((course / "scenes").glob("*.md")))
        rounds = 1 if size >= 5000 else runs
        for fmt in [*STANDARDS, "all"]:
            keys = list(STANDARDS) if fmt == "all" else [fmt]
            out = workdir / f"dist-{size}-{fmt}"
            zipfile_writes = zip_only([p.path for p in build(course, keys, out)])
            times: dict[str, list[float]] = {"cold": [], "zip": []}
            for _ in range(rounds):
                times["cold"].append(seconds(partial(build, course, keys, out)))
                times["zip"].append(seconds(zipfile_writes))
            best = {what: min(values) for what, values in times.items()}
            row = {"scenes": scenes, "format": fmt, "cold_s": round(best["cold"], 4),
                   "zip_only_s": round(best["zip"], 4), "ratio_cold": round(best["cold"] / best["zip"], 2),
                   "cold_median_s": round(statistics.median(times["cold"]), 4),
                   "ms_per_scene": round(1000 * best["cold"] / scenes, 3),
                   "bytes": sum(path.stat().st_size for path in out.glob("*.zip"))}
            if fmt == "all":
                tracemalloc.start()
                build(course, keys, out)
                row["peak_python_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                tracemalloc.stop()
            rows.append(row)
    return rows


def payload(workdir: Path) -> list[dict]:
    """The player's HTML + JS + CSS for the sample course, per standard, raw and gzip."""
    rows = []
    for package in build(SAMPLE, list(STANDARDS), workdir / "payload"):
        files = read_zip(package.path)
        player = {n: d for n, d in files.items() if n == "index.html" or n.endswith((".js", ".css"))}
        raw = b"".join(player[n] for n in sorted(player))
        rows.append({"format": package.standard.key, "files": len(player), "raw_kib": round(len(raw) / 1024, 1),
                     "gzip_kib": round(len(gzip.compress(raw, 9)) / 1024, 1)})
    return rows


class Browser:
    """Debian's Chromium through Playwright, and a local web server, as in the tests."""

    def __enter__(self) -> "Browser":
        from playwright.sync_api import sync_playwright

        from conftest import HARNESS, SCORM_AGAIN, WebRoot, _QuietHandler, _Server
        import functools
        import threading

        self.folder = Path(tempfile.mkdtemp(prefix="scormbuild-bench-web-"))
        shutil.copy(HARNESS, self.folder / "lms.html")
        shutil.copy(SCORM_AGAIN, self.folder / "scorm-again.min.js")
        self.server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(self.folder)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.web = WebRoot(self.folder, self.server)
        self.playwright = sync_playwright().start()
        self.chromium = self.playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        return self

    def __exit__(self, *exc: object) -> None:
        self.chromium.close()
        self.playwright.stop()
        self.server.shutdown()
        shutil.rmtree(self.folder, ignore_errors=True)


def first_interaction(browser: Browser, workdir: Path, runs: int, big: int) -> list[dict]:
    """Navigation start to the first scene shown with working buttons (performance marks)."""
    courses = {"sample": SAMPLE, f"{big} scenes": generate(workdir / f"fi-{big}", big)}
    rows = []
    for name, course in courses.items():
        [package] = build(course, ["scorm12"], workdir / f"fi-dist-{big}-{name[:3]}")
        path = browser.web.add_package(package.path, f"fi-{name.replace(' ', '-')}")
        times = []
        for _ in range(runs):
            context = browser.chromium.new_context()
            page = context.new_page()
            page.goto(f"{browser.web.base}/{path}")
            page.wait_for_function("performance.getEntriesByName('scormbuild:interactive').length > 0")
            times.append(page.evaluate("performance.getEntriesByName('scormbuild:interactive')[0].startTime"))
            context.close()
        rows.append({"course": name, "runs": runs, "median_ms": round(statistics.median(times), 1),
                     "min_ms": round(min(times), 1), "max_ms": round(max(times), 1)})
    return rows


def chain_course(folder: Path, decisions: int) -> Path:
    from coursekit import decision_chain

    return decision_chain(folder, decisions)


def suspend_data(browser: Browser, workdir: Path, counts: list[int]) -> list[dict]:
    """suspend_data length after N decisions, played in Chromium against scorm-again (SCORM 1.2)."""
    rows = []
    for count in counts:
        [package] = build(chain_course(workdir / f"chain-{count}", count), ["scorm12"], workdir / f"chain-dist-{count}")
        path = browser.web.add_package(package.path, f"chain-{count}")
        page = browser.chromium.new_page()
        page.goto(f"{browser.web.base}/lms.html")
        page.evaluate("src => startLms('scorm12', src, null)", path)
        frame = page.frame_locator("#course")
        frame.locator("section.scene:not([hidden])").wait_for()
        handle = page.query_selector("#course").content_frame()
        length = handle.evaluate("""count => {
            for (let i = 0; i < count; i++) {
              const scene = document.querySelector('section.scene:not([hidden])');
              scene.querySelector(i % 2 ? '[data-choice="wrong"]' : '[data-choice="right"]').click();
            }
            const data = JSON.parse(document.getElementById('course-data').textContent);
            return ScormbuildState.encode(ScormbuildPlayer.state(), ScormbuildState.layout(data)).length;
        }""", count)
        stored = page.evaluate("lmsApi.LMSGetValue('cmi.suspend_data').length")
        rows.append({"decisions": count, "suspend_data_chars": length, "limit": 4096, "fits_scorm12": length <= 4096,
                     "lms_stored_chars": stored})
        page.close()
    return rows


def xapi_rate(browser: Browser, workdir: Path, statements: int) -> dict:
    """Statements per second the player's queue delivers to a real LRS (Ralph)."""
    from lrs import BASIC_AUTH, RalphLRS

    lrs = RalphLRS(workdir / "ralph", cors_origin=browser.web.base)
    lrs.start()
    try:
        [package] = build(SAMPLE, ["xapi"], workdir / "xapi-dist")
        path = browser.web.add_package(package.path, "xapi-rate")
        registration = str(uuid.uuid4())
        actor = json.dumps({"objectType": "Agent", "mbox": f"mailto:bench-{registration[:8]}@example.org"})
        from urllib.parse import urlencode

        page = browser.chromium.new_page()
        page.goto(f"{browser.web.base}/{path}?" + urlencode({"endpoint": lrs.endpoint, "auth": BASIC_AUTH, "actor": actor,
                                                            "registration": registration}))
        page.wait_for_function("ScormbuildRuntime.queue && ScormbuildRuntime.queue.items.length === 0", timeout=30000)
        seconds = page.evaluate("""async (n) => {
            const start = performance.now();
            for (let i = 0; i < n; i++) {
              ScormbuildRuntime.recordInteraction({id: 'friend-request', type: 'choice', description: 'bench',
                response: ['accept'], correct: ['ignore-and-report'], result: 'incorrect', weighting: 10, points: 0,
                timestamp: new Date(), latencyMs: 1000});
            }
            while (ScormbuildRuntime.queue.items.length) await new Promise(r => setTimeout(r, 5));
            return (performance.now() - start) / 1000;
        }""", statements)
        stored = len([s for s in lrs.statements(registration=registration) if s["verb"]["id"].endswith("answered")])
        page.close()
        return {"statements": statements, "seconds": round(seconds, 2), "per_second": round(statements / seconds, 1),
                "stored_in_lrs": stored}
    finally:
        lrs.stop()


def print_table(title: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    print(f"\n{title}")
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))


def main() -> int:
    parser = argparse.ArgumentParser(description="scormbuild benchmarks")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 5000])
    parser.add_argument("--quick", action="store_true", help="fewer runs and statements (for the smoke test)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    big = 1000 if 1000 in args.sizes else max(args.sizes)
    results: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                 "processor": platform.machine(), "cpus": __import__("os").cpu_count()}}
    with tempfile.TemporaryDirectory(prefix="scormbuild-bench-") as tmp:
        work = Path(tmp)
        results["build"] = bench_builds(args.sizes, work, 1 if args.quick else 7)
        results["payload"] = payload(work)
        with Browser() as browser:
            results["first_interaction"] = first_interaction(browser, work, runs=3 if args.quick else 9, big=big)
            results["suspend_data"] = suspend_data(browser, work, [10] if args.quick else [50, 250, 1000])
            results["xapi_delivery"] = xapi_rate(browser, work, 20 if args.quick else 500)

    checks = {}
    all_1000 = [r for r in results["build"] if r["format"] == "all" and r["scenes"] >= 990 and r["scenes"] <= 1010]
    if all_1000:
        checks["--format all, 1,000 scenes, vs zip-only"] = (all_1000[0]["ratio_cold"],
                                                             TARGETS["all_vs_zip_ratio_1000"])
    checks["player payload, gzip KiB (largest format)"] = (max(r["gzip_kib"] for r in results["payload"]),
                                                           TARGETS["payload_gzip_kib"])
    checks["first interaction, sample, median ms"] = (results["first_interaction"][0]["median_ms"],
                                                      TARGETS["first_interaction_ms_sample"])
    for row in results["suspend_data"]:
        if row["decisions"] == 250:
            checks["suspend_data after 250 decisions, chars"] = (row["suspend_data_chars"], TARGETS["suspend_data_250"])
    results["targets"] = [{"what": what, "measured": value, "target": target, "met": value <= target}
                          for what, (value, target) in checks.items()]

    print_table("Build time (best of rounds, s) against Python's zipfile writing the same files", results["build"])
    print_table("Player payload: index.html + JS + CSS of the sample course", results["payload"])
    print_table("Navigation to first interactive scene (headless Chromium)", results["first_interaction"])
    print_table("SCORM 1.2 suspend_data after N decisions", results["suspend_data"])
    print_table("xAPI delivery by the player's queue to Ralph", [results["xapi_delivery"]])
    print_table("Targets", results["targets"])
    args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
