"""How `scormbuild report` scales: statements per second and peak memory, from Moodle's
download, from an LRS with indexed paging, and from a real Ralph LRS.

    .venv/bin/python bench/report_scale.py                        # 1,000, 10,000, 100,000 learners
    .venv/bin/python bench/report_scale.py --learners 1000 --json out.json

Simulated learners (bench/learners.py, the default chances) take the sample course once
each: about 30 statements per learner, so 100,000 learners are the issue's 3 million
statements. For each size the benchmark writes their statements (Ralph's file format)
and Moodle's Interactions report download, then times `scormbuild report --format summary`
in a child process and reads the child's peak memory (ru_maxrss):

* from Moodle's download (``--moodle``): rows and events per second;
* from an LRS that pages by index (bench/paged_lrs.py, as Ralph on ClickHouse or
  Elasticsearch, or Learning Locker, would): our rate, beside the rate of reading the same
  pages and doing nothing with them (the LRS's own rate over HTTP);
* from Ralph with its file-system backend, up to ``--ralph-max`` statements: Ralph reads its
  whole file for every page, so its rate falls as the file grows; both rates are printed.

Targets (issue 18): at least 20,000 statements/s from CSV; LRS-bound from an LRS; peak memory
that does not grow with the number of statements.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the real LRS helper the tests use
sys.path.insert(0, str(ROOT / "bench"))

SAMPLE = ROOT / "content" / "professional-boundaries"


def child_main(argv: list[str]) -> None:
    """Run `scormbuild ARGV` in this process, then write its peak memory (KiB) to stderr's last line."""
    from scormbuild.cli import main

    try:
        main(argv, standalone_mode=False)
    finally:
        print(f"maxrss_kib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)


def timed_report(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and peak MiB of one `scormbuild report` in a child process."""
    started = time.perf_counter()
    ended = subprocess.run([sys.executable, __file__, "--child", "report", *args], capture_output=True, text=True,
                           env={**os.environ, **(env or {})}, timeout=6 * 3600)
    seconds = time.perf_counter() - started
    if ended.returncode != 0:
        raise SystemExit(f"report failed: {ended.stderr[-2000:]}")
    peak = next(line for line in reversed(ended.stderr.splitlines()) if line.startswith("maxrss_kib="))
    return seconds, int(peak.split("=")[1]) / 1024


def read_pages(port: int, path: str = "/xAPI/statements", auth: str = "") -> tuple[int, float]:
    """Read every page as the report would, doing nothing with the statements: the LRS's own rate."""
    started = time.perf_counter()
    count, target = 0, f"{path}?limit=500&ascending=true"
    while target:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        connection.request("GET", target, headers={"Authorization": auth, "X-Experience-API-Version": "1.0.3"})
        page = json.loads(connection.getresponse().read())
        connection.close()
        count += len(page["statements"])
        target = page.get("more") or ""
    return count, time.perf_counter() - started


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port}")


def generate(folder: Path, learners: int) -> tuple[Path, Path, int, int]:
    """Statements (Ralph's file) and Moodle's download of ``learners`` simulated learners."""
    from learners import MoodleInteractionsReport, XapiWriter, interaction_count, ralph_lines, simulate

    from scormbuild.course import load_course

    course = load_course(SAMPLE)
    statements, moodle = folder / "fs_lrs.jsonl", folder / "interactions.txt"
    writer, count = XapiWriter(course), 0
    with statements.open("w", encoding="utf-8") as out:
        for attempt in simulate(course, learners, seed=18):
            for line in ralph_lines(writer.statements(attempt)):
                out.write(line)
                count += 1
    questions = interaction_count(simulate(course, learners, seed=18))
    with moodle.open("w", encoding="utf-8", newline="") as out:
        report = MoodleInteractionsReport(out, course, questions, qtext=True, result=True)
        for attempt in simulate(course, learners, seed=18):
            report.write(attempt)
    return statements, moodle, count, questions


def measure(learners: int, ralph_max: int, work: Path) -> dict[str, object]:
    from support.lrs import BASIC_AUTH, PASSWORD, USER, RalphLRS, free_port

    folder = work / str(learners)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    statements, moodle, count, questions = generate(folder, learners)
    row: dict[str, object] = {"learners": learners, "statements": count, "moodle_columns": questions,
                              "generate_s": round(time.perf_counter() - started, 1),
                              "moodle_bytes": moodle.stat().st_size, "statements_bytes": statements.stat().st_size}
    course = ["--course", str(SAMPLE), "--format", "summary", "-o", str(folder / "summary.json")]

    seconds, peak = timed_report([*course, "--moodle", str(moodle)])
    events = sum(s["events"] for s in json.loads((folder / "summary.json").read_text())["sources"])
    row.update(moodle_s=round(seconds, 2), moodle_rows_per_s=round(learners / seconds),
               moodle_events=events, moodle_events_per_s=round(events / seconds), moodle_peak_mib=round(peak, 1))

    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "paged_lrs.py"), str(statements), str(port)])
    try:
        wait_for_port(port)
        read, raw_seconds = read_pages(port)
        seconds, peak = timed_report([*course, "--endpoint", f"http://127.0.0.1:{port}/xAPI/", "--user", "u"],
                                     {"SCORMBUILD_LRS_PASSWORD": "p", "SCORMBUILD_REPORT_MAX_PAGES": "100000"})
    finally:
        server.terminate()
        server.wait()
    row.update(paged_lrs_raw_per_s=round(read / raw_seconds), paged_s=round(seconds, 2),
               paged_per_s=round(count / seconds), paged_peak_mib=round(peak, 1))

    if count <= ralph_max:
        lrs = RalphLRS(folder / "ralph", "http://127.0.0.1")
        (folder / "ralph" / "data" / "fs_lrs.jsonl").write_bytes(statements.read_bytes())
        lrs.env["RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT"] = "500"
        lrs.start()
        try:
            read, raw_seconds = read_pages(lrs.port, auth=BASIC_AUTH)
            seconds, peak = timed_report([*course, "--endpoint", lrs.endpoint, "--user", USER],
                                         {"SCORMBUILD_LRS_PASSWORD": PASSWORD})
        finally:
            lrs.stop()
        row.update(ralph_raw_per_s=round(read / raw_seconds), ralph_s=round(seconds, 2),
                   ralph_per_s=round(count / seconds), ralph_peak_mib=round(peak, 1))
    return row


COLUMNS = [("learners", "learners"), ("statements", "statements"),
           ("moodle_events_per_s", "CSV events/s"), ("moodle_rows_per_s", "CSV rows/s"), ("moodle_peak_mib", "CSV MiB"),
           ("paged_per_s", "LRS st/s"), ("paged_lrs_raw_per_s", "LRS alone st/s"), ("paged_peak_mib", "LRS MiB"),
           ("ralph_per_s", "Ralph fs st/s"), ("ralph_raw_per_s", "Ralph alone st/s"), ("ralph_peak_mib", "Ralph MiB")]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", default="1000,10000,100000", help="comma-separated sizes")
    parser.add_argument("--ralph-max", type=int, default=30_000,
                        help="read from Ralph's file backend only up to this many statements (its time grows as N²)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="scormbuild-report-bench-") as work:
        for size in (int(s) for s in args.learners.split(",")):
            rows.append(measure(size, args.ralph_max, Path(work)))
            print(json.dumps(rows[-1]), flush=True)
    print()
    print(" | ".join(title for _, title in COLUMNS))
    print(" | ".join("---" for _ in COLUMNS))
    for row in rows:
        print(" | ".join(f"{row[key]:,}" if isinstance(row.get(key), (int, float)) else "-" for key, _ in COLUMNS))
    if args.json:
        machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "processor": platform.machine()}
        args.json.write_text(json.dumps({"machine": machine, "report_scale": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
