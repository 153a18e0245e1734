"""SCORM 1.2: the package Moodle plays fully."""

from __future__ import annotations

from lxml import etree

from scormbuild.model import Course
from scormbuild.standards.base import XSI
from scormbuild.standards.scorm import ScormStandard

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


class Scorm12(ScormStandard):
    key = "scorm12"
    label = "SCORM 1.2"
    runtime_scripts = ("runtime/common.js", "runtime/scorm.js", "runtime/scorm12.js",
                       "runtime/xapi-core.js", "runtime/xapi-mirror.js")
    namespaces = {None: IMSCP, "adlcp": ADLCP, "xsi": XSI}
    schema_locations = ((IMSCP, "imscp_rootv1p1p2.xsd"), (IMSMD, "imsmd_rootv1p2p1.xsd"), (ADLCP, "adlcp_rootv1p2.xsd"))
    schema_version = "1.2"
    schema_folder = "scorm12"
    scorm_type_attribute = "scormtype"

    def runtime_config(self, strict_scorm12: bool = False) -> dict[str, object]:
        # The 1.2 RTE's choice responses are single characters 0-9, a-z; Moodle takes any text.
        return {"choiceLetters": True} if strict_scorm12 else {}

    def add_item_details(self, item: etree._Element, course: Course) -> None:
        if course.pass_mark is not None:
            # The LMS compares cmi.core.score.raw (0-100, as the player reports it) with this.
            etree.SubElement(item, self.ns("adlcp", "masteryscore")).text = str(course.pass_mark)
