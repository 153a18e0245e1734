"""cmi5: a course structure (cmi5.xml) with one AU, the player with the cmi5 adapter."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from scormbuild.model import Course
from scormbuild.package_reader import listed_path_problem, shown
from scormbuild.schemas import parse_untrusted_xml, validate_xml
from scormbuild.standards.base import LAUNCH_FILE, XmlManifestStandard

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MANIFEST = "cmi5.xml"


def _c(name: str) -> str:
    return f"{{{CMI5_NS}}}{name}"


def au_iri(course: Course) -> str:
    return f"{course.iri}/au"


class Cmi5(XmlManifestStandard):
    key = "cmi5"
    label = "cmi5"
    manifest_name = MANIFEST
    detect_priority = 30
    schema_folder = "cmi5"  # validated against CourseStructure.xsd, not shipped
    runtime_scripts = ("runtime/common.js", "runtime/xapi-core.js", "runtime/cmi5.js")

    def _text(self, parent: etree._Element, name: str, value: str, language: str) -> None:
        element = etree.SubElement(parent, _c(name))
        etree.SubElement(element, _c("langstring"), lang=language).text = value

    def manifest(self, course: Course) -> bytes:
        # lxml-stubs type nsmap keys as str; lxml takes None for the default namespace.
        root = etree.Element(_c("courseStructure"), nsmap={None: CMI5_NS})  # type: ignore[dict-item]
        course_element = etree.SubElement(root, _c("course"), id=course.iri)
        self._text(course_element, "title", course.title, course.language)
        self._text(course_element, "description", course.description or course.title, course.language)
        au = etree.SubElement(root, _c("au"), id=au_iri(course), launchMethod="AnyWindow")
        if course.pass_mark is None:
            au.set("moveOn", "Completed")
        else:
            # The LMS passes this to the AU in LMS.LaunchData; the AU judges with it.
            au.set("moveOn", "CompletedAndPassed")
            au.set("masteryScore", f"{course.pass_mark / 100:g}")
        self._text(au, "title", course.title, course.language)
        self._text(au, "description", course.description or course.title, course.language)
        etree.SubElement(au, _c("url")).text = LAUNCH_FILE
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def validate_manifest(self, manifest: bytes, files: Mapping[str, bytes]) -> list[str]:
        problems = [f"{MANIFEST} {p}" for p in validate_xml(self.schema_folder, manifest)]
        if problems:
            return problems
        root = parse_untrusted_xml(manifest)  # validate_xml has parsed it: no error here
        problems = []
        for url in (u.text or "" for u in root.iter(_c("url"))):
            if "://" in url:
                continue  # an AU on another server
            reason = listed_path_problem(url)
            if reason:
                problems.append(f"{MANIFEST}: AU url {shown(url)} {reason}")
            elif url.split("?")[0] not in files:
                problems.append(f"{MANIFEST}: AU url {shown(url)} is not in the package")
        return problems
