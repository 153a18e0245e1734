"""Manifests against the official XSDs, deterministic zips, atomic writes."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from support.coursekit import copy_sample, run
from support.learner_kinds import stress_course
from support.paths import SAMPLE, SHARED
from support.questions import question_course
from tincan import ActivityDefinition, InteractionComponent, InteractionComponentList, LanguageMap

from scormbuild.commands.build import build, package_files
from scormbuild.commands.new import new_course
from scormbuild.commands.validate_package import validate_package
from scormbuild.course import load_course
from scormbuild.errors import PackageError
from scormbuild.fsutil import write_atomically
from scormbuild.messages import messages
from scormbuild.package import write_zips
from scormbuild.package_reader import read_zip
from scormbuild.render import TEMPLATES_DIR, Player, player_asset, shipped
from scormbuild.schemas import SCHEMAS_DIR, validate_xml
from scormbuild.standards import STANDARDS
from scormbuild.xapi_activities import SCENE_KIND_EXTENSION, interaction_definitions, interaction_id

SHARED_SCHEMAS = SHARED / "schemas"


def manifest_of(zip_path: Path) -> etree._Element:
    return etree.fromstring(read_zip(zip_path)["imsmanifest.xml"])


@pytest.mark.parametrize("standard", ["scorm12", "scorm2004"])
def test_built_manifests_are_valid_against_the_official_xsds(sample_dist, standard):
    files = read_zip(sample_dist[standard])
    assert validate_xml(STANDARDS[standard].schema_folder, files["imsmanifest.xml"]) == []
    assert validate_package(sample_dist[standard]).key == standard


def test_the_validator_rejects_a_known_invalid_manifest():
    sample = SCHEMAS_DIR.parent / "schemas"  # bundled copy, not ../shared
    bad = b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="1bad"><organizations/><resources/></manifest>'
    problems = validate_xml(STANDARDS["scorm2004"].schema_folder, bad)
    assert problems and any("1bad" in p or "identifier" in p for p in problems)
    assert sample.is_dir()


def test_scorm12_manifest_carries_the_mastery_score_and_every_file(sample_dist):
    root = manifest_of(sample_dist["scorm12"])
    ns = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "1.2"
    assert root.findtext(".//adlcp:masteryscore", namespaces=ns) == str(load_course(SAMPLE).pass_mark)
    resource = root.find(".//cp:resource", ns)
    assert resource.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"
    listed = {f.get("href") for f in resource.findall("cp:file", ns)}
    assert {"index.html", "content/media/friend-request.svg", "content/media/boundaries-checklist.txt"} <= listed


def test_scorm2004_manifest_leaves_status_to_the_sco(sample_dist):
    root = manifest_of(sample_dist["scorm2004"])
    ns = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "imsss": "http://www.imsglobal.org/xsd/imsss"}
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "2004 4th Edition"
    primary = root.find(".//imsss:primaryObjective", ns)
    assert primary.get("satisfiedByMeasure") == "false"
    # P19: the pass mark as minNormalizedMeasure (Moodle defaults a missing one to 1.0, and hands
    # it to the SCO as cmi.scaled_passing_score).
    assert float(primary.findtext("imsss:minNormalizedMeasure", namespaces=ns)) == load_course(SAMPLE).pass_mark / 100
    delivery = root.find(".//imsss:deliveryControls", ns)
    assert delivery.get("completionSetByContent") == "true" and delivery.get("objectiveSetByContent") == "true"


def test_a_scorm2004_course_without_a_pass_mark_has_no_objective_to_pass(tmp_path):
    course = copy_sample(tmp_path)
    (course / "course.yaml").write_text((course / "course.yaml").read_text("utf-8").replace("pass_mark: 70\n", ""))
    [package] = build(course, ["scorm2004"], tmp_path / "dist")
    root = manifest_of(package.path)
    ns = {"imsss": "http://www.imsglobal.org/xsd/imsss"}
    assert root.find(".//imsss:objectives", ns) is None
    assert root.find(".//imsss:deliveryControls", ns) is not None
    assert validate_xml(STANDARDS["scorm2004"].schema_folder, read_zip(package.path)["imsmanifest.xml"]) == []


def test_strict_scorm12_is_a_setting_of_the_scorm12_runtime_only(tmp_path):
    result = run("build", str(SAMPLE), "--strict-scorm12", "--format", "scorm12", "--format", "scorm2004",
                 "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    course = load_course(SAMPLE)
    bundles = {key: read_zip(tmp_path / STANDARDS[key].zip_name(course))["index.html"].decode()
               for key in ("scorm12", "scorm2004")}
    assert 'window.ScormbuildRuntimeConfig = {"choiceLetters":true};' in bundles["scorm12"]
    assert "ScormbuildRuntimeConfig =" not in bundles["scorm2004"]
    plain = read_zip(build(SAMPLE, ["scorm12"], tmp_path / "plain")[0].path)["index.html"].decode()
    assert "ScormbuildRuntimeConfig =" not in plain


@pytest.mark.parametrize("standard, folder", [("scorm12", "scorm12"), ("scorm2004", "scorm2004_4th")])
def test_packages_carry_the_official_schema_files_unmodified(sample_dist, standard, folder):
    files = read_zip(sample_dist[standard])
    official = SHARED_SCHEMAS / folder
    if not official.is_dir():
        pytest.skip("../shared/schemas is not beside this checkout")
    for path in official.rglob("*.xsd"):
        if path.name == "manifest_all.xsd":  # scormbuild's own entry point, not shipped
            continue
        name = path.relative_to(official).as_posix()
        assert files[name] == path.read_bytes(), name


def test_building_twice_gives_byte_identical_zips(tmp_path):
    first = build(SAMPLE, ["scorm12", "scorm2004"], tmp_path / "one")
    second = build(SAMPLE, ["scorm12", "scorm2004"], tmp_path / "two")
    for a, b in zip(first, second, strict=True):
        assert a.path.name == b.path.name
        assert a.path.read_bytes() == b.path.read_bytes()
    with zipfile.ZipFile(first[0].path) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {(i.external_attr >> 16) & 0o777 for i in infos} == {0o644}


def test_zip_names_follow_id_version_and_format(tmp_path):
    built = build(SAMPLE, ["scorm12", "scorm2004"], tmp_path)
    assert sorted(p.path.name for p in built) == [
        "professional-boundaries-1.0.0-scorm12.zip", "professional-boundaries-1.0.0-scorm2004.zip"]


def test_a_failed_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out.zip"
    with pytest.raises(TypeError):
        write_atomically(target, [b"PK\x03\x04 partial", None])  # type: ignore[list-item]  # fails mid-write
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_previous_zip(tmp_path):
    target = tmp_path / "out.zip"
    write_zips([(target, {"a.txt": b"old"})])
    before = target.read_bytes()
    with pytest.raises(TypeError):
        write_atomically(target, [b"PK\x03\x04 partial", None])  # type: ignore[list-item]
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.zip"]


def test_one_bad_package_stops_every_zip_before_any_is_written(tmp_path):
    with pytest.raises(TypeError):
        write_zips([(tmp_path / "a.zip", {"a.txt": b"fine"}), (tmp_path / "b.zip", {"b.txt": object()})])  # type: ignore[dict-item]
    assert list(tmp_path.iterdir()) == []


def test_a_package_over_the_zip_entry_limit_is_refused_before_any_zip_is_written(tmp_path):
    """Without ZIP64 (which not every LMS importer reads) a zip holds at most 65,535 entries."""
    too_many = {f"content/f{i:05}.txt": b"" for i in range(65_536)}
    with pytest.raises(PackageError) as info:
        write_zips([(tmp_path / "a.zip", {"a.txt": b"fine"}), (tmp_path / "b.zip", too_many)])
    assert info.value.path == tmp_path / "b.zip" and "65,535" in info.value.problems[0]
    assert list(tmp_path.iterdir()) == []


def test_a_package_over_the_zip_size_limit_is_refused_before_any_zip_is_written(tmp_path, monkeypatch):
    from scormbuild import package

    monkeypatch.setattr(package, "MAX_ZIP_BYTES", 10_000)  # 4 GiB, made small enough to test
    with pytest.raises(PackageError) as info:
        write_zips([(tmp_path / "a.zip", {"a.txt": b"fine"}), (tmp_path / "b.zip", {"b.bin": b"x" * 10_000})])
    assert info.value.path == tmp_path / "b.zip" and "over 4 GiB" in info.value.problems[0]
    assert list(tmp_path.iterdir()) == []


def test_a_failure_writing_a_later_zip_leaves_every_zip_as_it_was(tmp_path, monkeypatch):
    """Security review L6(b): zips were renamed one by one as each was written, so a failure (or a
    kill) part way left a mixed set, some from the new source and some from the old."""
    from scormbuild import fsutil

    write_zips([(tmp_path / "a.zip", {"a.txt": b"old a"}), (tmp_path / "b.zip", {"b.txt": b"old b"})])
    before = {name: (tmp_path / name).read_bytes() for name in ("a.zip", "b.zip")}
    real = fsutil._temporary_beside

    def disk_full_on_b(path, write):  # noqa: ANN001, ANN202
        if path.name == "b.zip":
            raise OSError(28, "No space left on device")
        return real(path, write)

    monkeypatch.setattr(fsutil, "_temporary_beside", disk_full_on_b)
    with pytest.raises(OSError):
        write_zips([(tmp_path / "a.zip", {"a.txt": b"new a"}), (tmp_path / "b.zip", {"b.txt": b"new b"})])
    assert {name: (tmp_path / name).read_bytes() for name in ("a.zip", "b.zip")} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip", "b.zip"]


def test_temporary_files_a_killed_build_left_are_cleared(tmp_path):
    """Security review L6(a): a build killed while writing left hidden .part files for good."""
    from scormbuild.fsutil import STALE_PART_SECONDS

    stale = tmp_path / ".a.zip.k1ll3d.part"
    fresh = tmp_path / ".a.zip.running.part"  # another build writing right now: left alone
    for path in (stale, fresh):
        path.write_bytes(b"half a zip")
    old = time.time() - STALE_PART_SECONDS - 60
    os.utime(stale, (old, old))
    write_zips([(tmp_path / "a.zip", {"a.txt": b"a"})])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".a.zip.running.part", "a.zip"]


def test_zips_hold_every_file_with_fixed_dates_and_modes(tmp_path):
    """The zips read back with Python's zipfile and with `unzip -t`."""
    picture = bytes(range(256)) * 64  # compresses: deflated
    noise = os.urandom(5000)  # does not compress: stored as it is
    files = {"index.html": b"<p>hi</p>" * 100, "media/noise.bin": noise, "media/pic.bin": picture,
             "empty.txt": b"", "content/caf\u00e9.txt": "d\u00e9j\u00e0".encode(),
             # much bigger than the part that decides whether a file is deflated
             "big.html": b"".join(b"<p>scene %d: %s</p>\n" % (i, noise[i % 4000:i % 4000 + 8].hex().encode())
                                  for i in range(2 * 256 * 1024 // 20))}
    assert len(files["big.html"]) > 2 * 256 * 1024
    write_zips([(tmp_path / "one.zip", files), (tmp_path / "two.zip", {"index.html": files["index.html"]})])
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert archive.testzip() is None
        infos = {info.filename: info for info in archive.infolist()}
        assert sorted(infos) == sorted(files)
        assert {name: archive.read(name) for name in infos} == files
        assert infos["media/noise.bin"].compress_type == zipfile.ZIP_STORED
        assert infos["index.html"].compress_type == zipfile.ZIP_DEFLATED
        assert infos["big.html"].compress_type == zipfile.ZIP_DEFLATED
        assert {info.date_time for info in infos.values()} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in infos.values()} == {0o100644}
    assert read_zip(tmp_path / "two.zip") == {"index.html": files["index.html"]}
    assert shutil.which("unzip"), "scripts/setup.sh installs Debian's unzip"
    check = subprocess.run(["unzip", "-t", str(tmp_path / "one.zip")], capture_output=True, text=True)
    assert check.returncode == 0 and "No errors detected" in check.stdout, check.stdout + check.stderr


def test_all_formats_share_one_page_and_differ_only_in_the_runtime_bundle_inlined_in_it(tmp_path):
    built = {p.standard.key: read_zip(p.path) for p in build(SAMPLE, list(STANDARDS), tmp_path)}
    bundles, rest = {}, set()
    for key, files in built.items():
        page = files["index.html"].decode()
        bundles[key] = re.search(r"<script>(/\* scormbuild runtime adapter: .*?)</script>", page, re.S).group(1)
        rest.add(page.replace(bundles[key], ""))
        for script in STANDARDS[key].runtime_scripts:
            assert f"/* ---- {script} ---- */" in bundles[key]
            assert shipped(script, (TEMPLATES_DIR / "assets" / script).read_text("utf-8")).strip() in bundles[key]
        assert "assets/runtime.js" not in files
    assert len(rest) == 1 and len(set(bundles.values())) == len(built)


def test_a_package_page_carries_the_player_and_requests_nothing_before_the_first_scene(tmp_path):
    """index.html inlines the style sheet and every script; it links to no file of the package
    (the interface languages and the media are fetched later, by the player)."""
    [package] = build(SAMPLE, ["scorm12"], tmp_path)
    files = read_zip(package.path)
    page = files["index.html"].decode()
    for name in ("player.css", "state.js", "player.js", "media.js"):
        assert player_asset(name).decode() in page, name
        assert f"assets/{name}" not in files
    assert not re.search(r"<script[^>]*\ssrc=|<link[^>]*stylesheet", page)
    head = page.partition("</head>")[0]
    assert "<style>" in head and "root.ScormbuildState" in head and "scormbuild runtime adapter" in head
    # Every inline script ends where the page means it to: as many "</script" as "<script".
    assert len(re.findall("<script", page, re.IGNORECASE)) == len(re.findall("</script", page, re.IGNORECASE)) == 5


def test_the_preview_player_loads_its_scripts_from_files():
    course = load_course(SAMPLE)
    files = package_files(Player(course, inline=False), STANDARDS["scorm12"])
    page = files["index.html"].decode()
    for name in ("player.css", "state.js", "runtime.js", "player.js", "media.js"):
        assert f"assets/{name}" in files and f'"assets/{name}"' in page, name
    assert "<style>" not in page


def _tincanpython_definition(course, scene, question=None) -> dict:
    """The activity definition built with TinCanPython, the reference for the JSON scormbuild writes."""
    text = lambda value: LanguageMap({course.language: value})  # noqa: E731
    if question is None and scene.kind == "decision":
        interaction, kind, name, description = "choice", "decision", scene.title, ""
        right = [c.id for c in scene.choices if c.correct]
        correct = right or None  # one pattern per right choice: a decision takes one choice
        choices = [(c.id, c.text) for c in scene.choices]
    elif question is None:
        interaction, kind, name, description, correct, choices = "long-fill-in", "reflection", scene.title, "", None, None
    else:
        interaction = {"true-false": "true-false", "matching": "matching", "ordering": "sequencing",
                       "fill-in": "fill-in"}.get(question.kind, "choice")
        kind, name, description = "quiz", question.text, scene.title
        correct = [question.correct_ids[0]] if question.kind == "true-false" else ["[,]".join(question.correct_ids)]
        choices = None if question.kind == "true-false" else [(o.id, o.text) for o in question.options]
        if question.kind == "matching":  # each prompt's right answer has the prompt's id
            correct, choices = ["[,]".join(f"{o.id}[.]{o.id}" for o in question.options)], None
        if question.kind == "fill-in":
            case = "{case_matters=true}" if question.case_sensitive else ""
            correct, choices = [case + answer for answer in question.accepted], None
    definition = ActivityDefinition(name=text(name), type="http://adlnet.gov/expapi/activities/cmi.interaction",
                                    interaction_type=interaction, extensions={SCENE_KIND_EXTENSION: kind})
    if question is not None and question.kind == "matching":
        definition.source = InteractionComponentList(
            [InteractionComponent(id=o.id, description=text(o.text)) for o in question.options])
        definition.target = InteractionComponentList(
            [InteractionComponent(id=o.id, description=text(o.answer)) for o in question.options])
    if description:
        definition.description = text(description)
    if correct is not None:
        definition.correct_responses_pattern = correct
    if choices:
        definition.choices = InteractionComponentList(
            [InteractionComponent(id=cid, description=text(value)) for cid, value in choices])
    return json.loads(definition.to_json())


def _tincanpython_self_check(course, scene) -> dict:
    """A reflection's "did your answer cover these points?", in the course's language."""
    words = messages(course.language)
    text = lambda value: LanguageMap({course.language: value})  # noqa: E731
    definition = ActivityDefinition(name=text(f"{scene.title}: {words['self_check_question']}"),
                                    type="http://adlnet.gov/expapi/activities/cmi.interaction",
                                    interaction_type="choice", extensions={SCENE_KIND_EXTENSION: "reflection"})
    definition.choices = InteractionComponentList(
        [InteractionComponent(id=cid, description=text(words[f"self_check_{cid}"])) for cid in ("all", "some", "none")])
    return json.loads(definition.to_json())


@pytest.mark.parametrize("which", ["sample", "starter", "stress", "questions"])
def test_xapi_definitions_are_what_tincanpython_builds(tmp_path, which):
    folder = {"sample": SAMPLE, "starter": tmp_path / "starter", "stress": tmp_path / "stress",
              "questions": tmp_path / "questions"}[which]
    if which == "questions":
        question_course(folder)  # matching, ordering (sequencing), fill-in
    if which == "starter":
        new_course(folder)  # every scene kind and all three question kinds
    if which == "stress":
        stress_course(folder)  # a decision with two right choices
    course = load_course(folder)
    expected = {}
    for scene in course.scene_list:
        if scene.kind in ("decision", "reflection"):
            expected[interaction_id(scene.id)] = _tincanpython_definition(course, scene)
        if scene.kind == "reflection" and scene.points and scene.self_check:
            expected[interaction_id(scene.id, "self-check")] = _tincanpython_self_check(course, scene)
        for question in getattr(scene, "questions", []):
            expected[interaction_id(scene.id, question.id)] = _tincanpython_definition(course, scene, question)
    assert expected and interaction_definitions(course) == expected
    kinds = {d["interactionType"] for d in expected.values()}
    if which == "questions":
        assert kinds == {"choice", "matching", "sequencing", "fill-in"}
    else:
        assert {"choice", "long-fill-in", "true-false"} <= kinds  # every kind the comparison must cover
    if which == "stress":  # P14: "a[,]b" would mean both at once
        assert interaction_definitions(course)["two-right"]["correctResponsesPattern"] == ["tell-the-manager",
                                                                                           "write-it-down"]


def problems_of(files: dict[str, bytes], tmp_path: Path) -> list[str]:
    """What validate-package says of a zip of these files (which must be broken)."""
    broken = tmp_path / "broken.zip"
    write_zips([(broken, files)])
    with pytest.raises(PackageError) as info:
        validate_package(broken)
    return info.value.problems


def test_validate_package_finds_unlisted_and_missing_files(tmp_path):
    course = load_course(SAMPLE)
    files = package_files(course, STANDARDS["scorm12"])
    files["extra/secret.txt"] = b"not in the manifest"
    del files["assets/messages/fr.json"]
    problems = "\n".join(problems_of(files, tmp_path))
    assert "extra/secret.txt is in the package but not listed" in problems
    assert "lists assets/messages/fr.json, which is not in the package" in problems


def test_validate_package_reports_an_invalid_manifest(tmp_path):
    course = load_course(SAMPLE)
    files = package_files(course, STANDARDS["scorm2004"])
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(b"<organizations", b"<organisations", 1).replace(
        b"</organizations>", b"</organisations>", 1)
    assert any("organisations" in p for p in problems_of(files, tmp_path))


def test_cmi5_course_structure_is_valid_and_carries_the_mastery_score(sample_dist):
    files = read_zip(sample_dist["cmi5"])
    assert validate_xml(STANDARDS["cmi5"].schema_folder, files["cmi5.xml"]) == []
    root = etree.fromstring(files["cmi5.xml"])
    ns = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
    course = load_course(SAMPLE)
    au = root.find("c:au", ns)
    assert root.find("c:course", ns).get("id") == course.iri
    assert au.get("masteryScore") == f"{course.pass_mark / 100:g}" and au.get("moveOn") == "CompletedAndPassed"
    assert au.findtext("c:url", namespaces=ns) == "index.html"
    assert validate_package(sample_dist["cmi5"]).key == "cmi5"


def test_tincan_xml_describes_the_course_and_every_interaction(sample_dist):
    files = read_zip(sample_dist["xapi"])
    root = etree.fromstring(files["tincan.xml"])
    ns = {"t": "http://projecttincan.com/tincan.xsd"}
    course = load_course(SAMPLE)
    activities = root.findall("t:activities/t:activity", ns)
    assert activities[0].get("id") == course.iri and activities[0].findtext("t:launch", namespaces=ns) == "index.html"
    ids = {a.get("id").rsplit("/", 1)[-1] for a in activities[1:]}
    assert {"friend-request", "jenny-message", "accept-reflect", "disclosure-reflect"} <= ids
    assert validate_package(sample_dist["xapi"]).key == "xapi"


def test_tincan_xml_lists_a_matching_questions_prompts_and_answers(tmp_path):
    course = load_course(question_course(tmp_path / "questions"))
    root = etree.fromstring(package_files(course, STANDARDS["xapi"])["tincan.xml"])
    ns = {"t": "http://projecttincan.com/tincan.xsd"}
    match = next(a for a in root.findall("t:activities/t:activity", ns) if a.get("id").endswith("/quiz_match-it"))
    assert match.findtext("t:interactionType", namespaces=ns) == "matching"
    for components, text in (("source", "A client offers you a gift card"), ("target", "Decline politely and log it")):
        assert [c.findtext("t:id", namespaces=ns) for c in match.findall(f"t:{components}/t:component", ns)] == [
            "gift-card", "chocolates", "friend-request"]
        assert match.findtext(f"t:{components}/t:component/t:description", namespaces=ns) == text
    steps = next(a for a in root.findall("t:activities/t:activity", ns) if a.get("id").endswith("/quiz_steps"))
    assert steps.findtext("t:correctResponsePatterns/t:correctResponsePattern", namespaces=ns) == "listen[,]record[,]report"


def test_a_cmi5_structure_that_breaks_the_xsd_is_reported(tmp_path):
    course = load_course(SAMPLE)
    files = package_files(course, STANDARDS["cmi5"])
    files["cmi5.xml"] = files["cmi5.xml"].replace(b'moveOn="CompletedAndPassed"', b'moveOn="Whenever"')
    assert any("moveOn" in p for p in problems_of(files, tmp_path))


def test_a_tincan_xml_with_a_repeated_activity_is_reported(tmp_path):
    course = load_course(SAMPLE)
    files = package_files(course, STANDARDS["xapi"])
    root = etree.fromstring(files["tincan.xml"])
    activities = root[0]
    activities.append(copy.deepcopy(activities[1]))
    repeated = activities[1].get("id")
    files["tincan.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert problems_of(files, tmp_path) == [f"tincan.xml: activity id {repeated} appears more than once"]


@pytest.mark.slow
def test_ctrl_c_while_the_zips_are_written_leaves_no_temporary_file(tmp_path):
    """The zips are written side by side in threads; Ctrl-C in the main thread meanwhile must
    still clear every temporary file, and leave the old zips as they were."""
    script = tmp_path / "interrupted.py"
    script.write_text(textwrap.dedent(f"""
        import os, signal, threading, time
        from pathlib import Path
        from scormbuild.fsutil import replace_all
        folder = Path({str(tmp_path / "out")!r}); folder.mkdir()
        for name in "abc":
            (folder / name).write_bytes(b"old")
        def slow(stream):
            stream.write(b"new"); time.sleep(1.5)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
        threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        try:
            replace_all([(folder / name, slow) for name in "abc"])
        except KeyboardInterrupt:
            print("interrupted")
    """), "utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert "interrupted" in result.stdout, result.stderr
    out = tmp_path / "out"
    assert sorted(path.name for path in out.iterdir()) == ["a", "b", "c"]
    assert all((out / name).read_bytes() == b"old" for name in "abc")
