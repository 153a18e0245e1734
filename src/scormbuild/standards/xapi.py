"""xAPI (Tin Can) packages, key `xapi`: tincan.xml + the player with the xAPI adapter.

No official XSD for tincan.xml was found, so validation checks what an LMS
relies on: well-formed XML in the Tin Can namespace, one course activity with
a launch file that exists in the package, unique activity ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from lxml import etree

from scormbuild.model import Course
from scormbuild.package_reader import listed_path_problem, shown
from scormbuild.schemas import UntrustedXmlError, parse_untrusted_xml
from scormbuild.standards.base import LAUNCH_FILE, XmlManifestStandard
from scormbuild.xapi_activities import COURSE_TYPE, interaction_definitions, interaction_iri

TINCAN_NS = "http://projecttincan.com/tincan.xsd"
MANIFEST = "tincan.xml"


def _t(name: str) -> str:
    return f"{{{TINCAN_NS}}}{name}"


class Xapi(XmlManifestStandard):
    key = "xapi"
    label = "xAPI (Tin Can)"
    manifest_name = MANIFEST
    detect_priority = 20
    runtime_scripts = ("runtime/common.js", "runtime/xapi-core.js", "runtime/xapi.js")

    def manifest(self, course: Course) -> bytes:
        # lxml-stubs type nsmap keys as str; lxml takes None for the default namespace.
        root = etree.Element(_t("tincan"), nsmap={None: TINCAN_NS})  # type: ignore[dict-item]
        activities = etree.SubElement(root, _t("activities"))
        activity = etree.SubElement(activities, _t("activity"), id=course.iri, type=COURSE_TYPE)
        etree.SubElement(activity, _t("name"), lang=course.language).text = course.title
        etree.SubElement(activity, _t("description"), lang=course.language).text = course.description or course.title
        etree.SubElement(activity, _t("launch"), lang=course.language).text = LAUNCH_FILE
        for identifier, definition in interaction_definitions(course).items():
            item = etree.SubElement(activities, _t("activity"), id=interaction_iri(course, identifier),
                                    type=definition["type"])
            etree.SubElement(item, _t("name"), lang=course.language).text = definition["name"][course.language]
            if "description" in definition:
                description = definition["description"][course.language]
                etree.SubElement(item, _t("description"), lang=course.language).text = description
            etree.SubElement(item, _t("interactionType")).text = definition["interactionType"]
            if "correctResponsesPattern" in definition:
                patterns = etree.SubElement(item, _t("correctResponsePatterns"))
                for pattern in definition["correctResponsesPattern"]:
                    etree.SubElement(patterns, _t("correctResponsePattern")).text = pattern
            for components in ("choices", "source", "target"):  # matching questions have source and target
                if components not in definition:
                    continue
                listed = etree.SubElement(item, _t(components))
                for choice in definition[components]:
                    component = etree.SubElement(listed, _t("component"))
                    etree.SubElement(component, _t("id")).text = choice["id"]
                    description = choice["description"][course.language]
                    etree.SubElement(component, _t("description"), lang=course.language).text = description
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def validate_manifest(self, manifest: bytes, files: Mapping[str, bytes]) -> list[str]:
        try:
            root = parse_untrusted_xml(manifest)
        except UntrustedXmlError as exc:
            return [f"{MANIFEST} {exc}"]
        if root.tag != _t("tincan"):
            return [f"{MANIFEST}: the root element must be <tincan> in {TINCAN_NS}"]
        problems = []
        activities = root.findall(f"{_t('activities')}/{_t('activity')}")
        counts = Counter(a.get("id") for a in activities)
        problems += [f"{MANIFEST}: activity id {shown(str(i))} appears more than once"
                     for i in sorted((i for i, n in counts.items() if n > 1), key=str)]
        launches = [a.findtext(_t("launch")) or "" for a in activities if a.find(_t("launch")) is not None]
        if len(launches) != 1:
            problems.append(f"{MANIFEST}: exactly one activity must have a <launch>, found {len(launches)}")
        for href in launches:
            reason = listed_path_problem(href)
            if reason:
                problems.append(f"{MANIFEST}: launch file {shown(href)} {reason}")
            elif href not in files:
                problems.append(f"{MANIFEST}: launch file {shown(href)} is not in the package")
        return problems
