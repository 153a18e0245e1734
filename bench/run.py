"""scormbuild benchmarks: build time, preview edit latency, payload, time to first
interaction, resume-state size and xAPI delivery rate. Prints a table and writes JSON.

    .venv/bin/python bench/run.py                 # the sample, and 10, 100, 1000, 5000 scenes
    .venv/bin/python bench/run.py --sizes 10 --quick --json out.json

Targets are what an author or a learner would notice (issues 7 and 15); they are
checked here, not in timed unit tests.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
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
TARGETS = {"sample_all_s": 0.2, "all_1000_cold_s": 1.0, "preview_edit_s": 0.3, "payload_gzip_kib": 40.0,
           "first_interaction_ms_sample": 150.0, "first_interaction_ms_phone": 1000.0, "suspend_data_250": 4096}


def seconds(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_builds(courses: list[tuple[str, Path]], workdir: Path, runs: int) -> list[dict]:
    """Each format alone and all four together, built cold. Times are the best of the rounds
    (timeit's rule: noise only ever adds time); the median is shown beside it."""
    rows = []
    for name, course in courses:
        scenes = len(list((course / "scenes").glob("*.md")))
        for fmt in [*STANDARDS, "all"]:
            keys = list(STANDARDS) if fmt == "all" else [fmt]
            out = workdir / f"dist-{name}-{fmt}"
            build(course, keys, out)  # warm: imports, templates
            times = [seconds(partial(build, course, keys, out)) for _ in range(runs)]
            row = {"course": name, "scenes": scenes, "format": fmt, "cold_s": round(min(times), 4),
                   "cold_median_s": round(statistics.median(times), 4),
                   "ms_per_scene": round(1000 * min(times) / scenes, 3),
                   "bytes": sum(path.stat().st_size for path in out.glob("*.zip"))}
            if fmt == "all":
                tracemalloc.start()
                build(course, keys, out)
                row["peak_python_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                tracemalloc.stop()
            rows.append(row)
    return rows


def payload(workdir: Path) -> list[dict]:
    """The player's HTML + JS + CSS for the sample course, per standard, raw and gzip: index.html
    and the scripts and style sheets it loads (none since the player is inlined in the page)."""
    rows = []
    for package in build(SAMPLE, list(STANDARDS), workdir / "payload"):
        files = read_zip(package.path)
        page = files["index.html"].decode("utf-8")
        loaded = re.findall(r'<script[^>]*\ssrc="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', page)
        player = {"index.html": files["index.html"], **{a or b: files[a or b] for a, b in loaded}}
        raw = b"".join(player[n] for n in sorted(player))
        rows.append({"format": package.standard.key, "files": len(player), "raw_kib": round(len(raw) / 1024, 1),
                     "gzip_kib": round(len(gzip.compress(raw, 9)) / 1024, 1)})
    return rows


class Browser:
    """Debian's Chromium through Playwright, and a local web server, as in the tests."""

    def __enter__(self) -> Browser:
        import functools
        import threading

        from playwright.sync_api import sync_playwright
        from support.paths import HARNESS, SCORM_AGAIN
        from support.web import QuietHandler, Server, WebRoot

        self.folder = Path(tempfile.mkdtemp(prefix="scormbuild-bench-web-"))
        shutil.copy(HARNESS, self.folder / "lms.html")
        shutil.copy(SCORM_AGAIN, self.folder / "scorm-again.min.js")
        class Compressing(QuietHandler):
            """Text files gzip-compressed when the browser accepts it, as LMS web servers usually send them."""

            def send_head(self):  # noqa: ANN202
                path = self.translate_path(self.path)
                if ("gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path)
                        or not path.endswith((".html", ".js", ".css", ".json"))):
                    return super().send_head()
                body = gzip.compress(Path(path).read_bytes())
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return io.BytesIO(body)

        self.server = Server(("127.0.0.1", 0), functools.partial(Compressing, directory=str(self.folder)))
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


# A mid-range phone on a slow mobile network, as Lighthouse's mobile profile applies it in DevTools:
# the CPU slowed 4x, 562.5 ms of latency per request, 1.47 Mbit/s down and 0.68 up.
PHONE = {"cpu_slowdown": 4, "latency_ms": 562.5, "down_kbps": 1474.56, "up_kbps": 675.0}


def first_interaction_on_a_phone(browser: Browser, workdir: Path, runs: int) -> dict:
    """The sample's first interaction (navigation start to the first scene's working buttons) with
    the PHONE profile, at a phone's size, each run in a fresh context (nothing cached)."""
    [package] = build(SAMPLE, ["scorm12"], workdir / "phone-dist")
    path = browser.web.add_package(package.path, "phone")
    times = []
    for _ in range(runs):
        context = browser.chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE["cpu_slowdown"]})
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": PHONE["latency_ms"],
            "downloadThroughput": PHONE["down_kbps"] * 1024 / 8, "uploadThroughput": PHONE["up_kbps"] * 1024 / 8})
        page.goto(f"{browser.web.base}/{path}", timeout=60000)
        page.wait_for_function("performance.getEntriesByName('scormbuild:interactive').length > 0", timeout=60000)
        times.append(page.evaluate("performance.getEntriesByName('scormbuild:interactive')[0].startTime"))
        context.close()
    return {"profile": "CPU 4x, 562.5 ms, 1.47/0.68 Mbit/s", "runs": runs,
            "median_ms": round(statistics.median(times)), "min_ms": round(min(times)), "max_ms": round(max(times))}


def preview_edit(browser: Browser, workdir: Path, runs: int) -> dict:
    """From saving a scene file to its new text shown in the browser: `scormbuild preview` runs
    in its own process, as an author runs it, and Chromium shows its page. Each run saves a new
    title for the scene on screen and waits until the course frame shows it. The edits are spaced
    unevenly, so that they do not keep in step with a file watcher that polls."""
    course = workdir / "preview-course"
    shutil.copytree(SAMPLE, course)
    scene = course / "scenes" / "01-welcome.md"
    original = scene.read_text("utf-8")
    process = subprocess.Popen([sys.executable, "-m", "scormbuild", "preview", str(course), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        address = re.search(r"http://127\.0\.0\.1:\d+/?", line)
        if address is None:
            raise RuntimeError(f"scormbuild preview did not start: {line}{process.stderr.read()}")
        page = browser.chromium.new_page()
        page.goto(address.group(0))
        heading = page.frame_locator("#course").locator("section.scene:not([hidden]) h1")
        heading.filter(has_text=re.compile("^Welcome$")).wait_for(timeout=10000)
        times = []
        for run in range(runs):
            title = f"Welcome, edit {run + 1}"
            time.sleep(0.6 + 0.07 * run)
            start = time.perf_counter()
            scene.write_text(original.replace("title: Welcome\n", f"title: {title}\n", 1), "utf-8")
            heading.filter(has_text=re.compile(f"^{re.escape(title)}$")).wait_for(timeout=10000)
            times.append(time.perf_counter() - start)
        page.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
    return {"runs": runs, "median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3)}


def chain_course(folder: Path, decisions: int) -> Path:
    from support.coursekit import decision_chain

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
    from support.lrs import BASIC_AUTH, RalphLRS

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
        courses = [("sample", SAMPLE)] + [(f"{size} scenes", generate(work / f"course-{size}", size))
                                          for size in args.sizes]
        results["build"] = bench_builds(courses, work, 1 if args.quick else 7)
        results["payload"] = payload(work)
        with Browser() as browser:
            results["first_interaction"] = first_interaction(browser, work, runs=3 if args.quick else 9, big=big)
            results["first_interaction_phone"] = first_interaction_on_a_phone(browser, work, runs=3 if args.quick else 7)
            results["preview_edit"] = preview_edit(browser, work, runs=3 if args.quick else 9)
            results["suspend_data"] = suspend_data(browser, work, [10] if args.quick else [50, 250, 1000])
            results["xapi_delivery"] = xapi_rate(browser, work, 20 if args.quick else 500)

    checks = {}
    all_formats = {row["course"]: row for row in results["build"] if row["format"] == "all"}
    checks["sample course, all four formats, s"] = (all_formats["sample"]["cold_s"], TARGETS["sample_all_s"])
    if "1000 scenes" in all_formats:
        checks["1,000 scenes, all four formats, cold, s"] = (all_formats["1000 scenes"]["cold_s"],
                                                             TARGETS["all_1000_cold_s"])
    checks["preview: an edit shown in the browser, median s"] = (results["preview_edit"]["median_s"],
                                                                 TARGETS["preview_edit_s"])
    checks["player payload, gzip KiB (largest format)"] = (max(r["gzip_kib"] for r in results["payload"]),
                                                           TARGETS["payload_gzip_kib"])
    checks["first interaction, sample, median ms"] = (results["first_interaction"][0]["median_ms"],
                                                      TARGETS["first_interaction_ms_sample"])
    checks["first interaction, sample, throttled phone, median ms"] = (
        results["first_interaction_phone"]["median_ms"], TARGETS["first_interaction_ms_phone"])
    for row in results["suspend_data"]:
        if row["decisions"] == 250:
            checks["suspend_data after 250 decisions, chars"] = (row["suspend_data_chars"], TARGETS["suspend_data_250"])
    results["targets"] = [{"what": what, "measured": value, "target": target, "met": value <= target}
                          for what, (value, target) in checks.items()]

    print_table("Build time, cold (best of rounds, s)", results["build"])
    print_table("Preview: a scene file saved, to its new text shown in Chromium (s)", [results["preview_edit"]])
    print_table("Player payload: index.html + JS + CSS of the sample course", results["payload"])
    print_table("Navigation to first interactive scene (headless Chromium)", results["first_interaction"])
    print_table("The same on a throttled mid-range phone (sample course)", [results["first_interaction_phone"]])
    print_table("SCORM 1.2 suspend_data after N decisions", results["suspend_data"])
    print_table("xAPI delivery by the player's queue to Ralph", [results["xapi_delivery"]])
    print_table("Targets", results["targets"])
    args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
