"""The benchmark runs end to end on the smallest size (its figures are checked by the benchmark, not here)."""

from __future__ import annotations

import json
import subprocess
import sys

from support.paths import ROOT


def test_the_benchmark_runs_on_the_smallest_size(tmp_path, ralph):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "10", "--quick", "--json",
                             str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    data = json.loads(out.read_text())
    assert {r["format"] for r in data["build"]} == {"scorm12", "scorm2004", "xapi", "cmi5", "all"}
    assert {r["course"] for r in data["build"]} == {"sample", "10 scenes"}
    assert all(r["cold_s"] > 0 for r in data["build"])
    assert data["preview_edit"]["runs"] == 3 and data["preview_edit"]["min_s"] > 0
    assert {r["format"] for r in data["payload"]} == {"scorm12", "scorm2004", "xapi", "cmi5"}
    assert data["first_interaction"][0]["median_ms"] > 0
    assert data["suspend_data"][0]["suspend_data_chars"] == data["suspend_data"][0]["lms_stored_chars"] > 0
    assert data["xapi_delivery"]["stored_in_lrs"] == data["xapi_delivery"]["statements"]
    assert {t["what"] for t in data["targets"]} >= {"sample course, all four formats, s",
                                                    "preview: an edit shown in the browser, median s"}
    assert "Targets" in result.stdout


def test_the_report_benchmark_runs_on_the_smallest_size(tmp_path):
    out = tmp_path / "report.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "report_scale.py"), "--learners", "40", "--json",
                             str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    [row] = json.loads(out.read_text())["report_scale"]
    assert row["learners"] == 40 and row["statements"] > 40 * 10
    for source in ("moodle", "paged", "ralph"):
        assert row[f"{source}_peak_mib"] > 0
    assert row["moodle_events"] > 40 * 5 and row["paged_per_s"] > 0 and row["ralph_raw_per_s"] > 0
    assert "learners | statements" in result.stdout
