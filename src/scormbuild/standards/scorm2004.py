"""SCORM 2004 4th edition, with sequencing that leaves status to the SCO."""

from __future__ import annotations

from lxml import etree

from scormbuild.model import Course
from scormbuild.standards.base import XSI
from scormbuild.standards.scorm import ScormStandard

IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"


def _decimal(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value else "0"


class Scorm2004(ScormStandard):
    key = "scorm2004"
    label = "SCORM 2004 4th edition"
    runtime_scripts = ("runtime/common.js", "runtime/scorm.js", "runtime/scorm2004.js",
                       "runtime/xapi-core.js", "runtime/xapi-mirror.js")
    namespaces = {None: IMSCP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS,
                  "xsi": XSI}
    schema_locations = ((IMSCP, "imscp_v1p1.xsd"), (ADLCP, "adlcp_v1p3.xsd"), (ADLSEQ, "adlseq_v1p3.xsd"),
                        (ADLNAV, "adlnav_v1p3.xsd"), (IMSSS, "imsss_v1p0.xsd"))
    schema_version = "2004 4th Edition"
    schema_folder = "scorm2004_4th"
    scorm_type_attribute = "scormType"

    def add_item_details(self, item: etree._Element, course: Course) -> None:
        # The SCO reports completion and success itself (completionSetByContent,
        # objectiveSetByContent); the primary objective is not satisfied by the
        # score, so the LMS never overrides the SCO's own success_status. Its
        # minNormalizedMeasure is the pass mark: an LMS hands it to the SCO as
        # cmi.scaled_passing_score (Moodle defaults a missing one to 1.0, which would
        # fail every learner if Moodle ever judged by it). Without a pass mark there
        # is no objective to pass.
        sequencing = etree.SubElement(item, self.ns("imsss", "sequencing"))
        if course.pass_mark is not None:
            objectives = etree.SubElement(sequencing, self.ns("imsss", "objectives"))
            primary = etree.SubElement(objectives, self.ns("imsss", "primaryObjective"),
                                       objectiveID=f"{course.id}-passed", satisfiedByMeasure="false")
            etree.SubElement(primary, self.ns("imsss", "minNormalizedMeasure")).text = _decimal(course.pass_mark / 100)
        etree.SubElement(sequencing, self.ns("imsss", "deliveryControls"),
                         completionSetByContent="true", objectiveSetByContent="true")

    def add_organization_details(self, organization: etree._Element, course: Course) -> None:
        sequencing = etree.SubElement(organization, self.ns("imsss", "sequencing"))
        etree.SubElement(sequencing, self.ns("imsss", "controlMode"), choice="true", flow="true")
