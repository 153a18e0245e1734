"""What SCORM 1.2 and SCORM 2004 share: an IMS content package with one SCO."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping

from lxml import etree

from scormbuild.model import Course
from scormbuild.package_reader import listed_path_problem, shown
from scormbuild.schemas import UntrustedXmlError, parse_untrusted_xml, schema_files, schema_names, validate_xml
from scormbuild.standards.base import LAUNCH_FILE, XSI, Standard

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
MANIFEST = "imsmanifest.xml"


class ScormStandard(Standard):
    namespaces: dict[str | None, str]
    schema_locations: tuple[tuple[str, str], ...]
    schema_version: str
    schema_folder: str      # shipped in the package, and validates its manifest
    scorm_type_attribute: str  # adlcp:scormtype (1.2) or adlcp:scormType (2004)
    manifest_name = MANIFEST
    reads_lrs_config = True
    detect_priority = 10  # before xAPI and cmi5: a SCORM zip may carry their manifests too

    def ns(self, prefix: str | None, name: str) -> str:
        return f"{{{self.namespaces[prefix]}}}{name}"

    @abstractmethod
    def add_item_details(self, item: etree._Element, course: Course) -> None:
        """Per-standard children of the course's item (mastery score, sequencing)."""

    def add_organization_details(self, organization: etree._Element, course: Course) -> None:
        """Per-standard children of the organization, after its items."""

    def manifest(self, course: Course, content_files: list[str]) -> bytes:
        E = self.ns
        # lxml-stubs type nsmap keys as str; lxml takes None for the default namespace.
        root = etree.Element(E(None, "manifest"), nsmap=self.namespaces)  # type: ignore[arg-type]
        root.set("identifier", f"MANIFEST-{course.id}")
        root.set("version", course.version)
        root.set(f"{{{XSI}}}schemaLocation", " ".join(f"{ns} {xsd}" for ns, xsd in self.schema_locations))

        metadata = etree.SubElement(root, E(None, "metadata"))
        etree.SubElement(metadata, E(None, "schema")).text = "ADL SCORM"
        etree.SubElement(metadata, E(None, "schemaversion")).text = self.schema_version

        organizations = etree.SubElement(root, E(None, "organizations"), default=f"ORG-{course.id}")
        organization = etree.SubElement(organizations, E(None, "organization"), identifier=f"ORG-{course.id}")
        etree.SubElement(organization, E(None, "title")).text = course.title
        item = etree.SubElement(organization, E(None, "item"), identifier=f"ITEM-{course.id}",
                                identifierref=f"RES-{course.id}", isvisible="true")
        etree.SubElement(item, E(None, "title")).text = course.title
        self.add_item_details(item, course)
        self.add_organization_details(organization, course)

        resources = etree.SubElement(root, E(None, "resources"))
        resource = etree.SubElement(resources, E(None, "resource"), identifier=f"RES-{course.id}",
                                    type="webcontent", href=LAUNCH_FILE)
        resource.set(E("adlcp", self.scorm_type_attribute), "sco")
        for path in sorted(content_files):
            etree.SubElement(resource, E(None, "file"), href=path)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def package_files(self, course: Course, content_files: list[str]) -> dict[str, bytes]:
        return {MANIFEST: self.manifest(course, content_files), **schema_files(self.schema_folder)}

    def recognises(self, files: Mapping[str, bytes]) -> bool:
        if MANIFEST not in files:
            return False
        try:
            return etree.QName(parse_untrusted_xml(files[MANIFEST])).namespace == self.namespaces[None]
        except UntrustedXmlError:
            return True  # let validation report it

    def validate(self, files: Mapping[str, bytes]) -> list[str]:
        if MANIFEST not in files:
            return [f"{MANIFEST} is missing"]
        problems = [f"{MANIFEST} {p}" for p in validate_xml(self.schema_folder, files[MANIFEST])]
        if problems:
            return problems
        return self._check_file_list(files)

    def _check_file_list(self, files: Mapping[str, bytes]) -> list[str]:
        """Every path the manifest lists is a plain relative path, every file it lists is in the
        zip, and every content file is listed."""
        root = parse_untrusted_xml(files[MANIFEST])  # validate_xml has parsed it: no error here
        # The schema requires href on <file> (validate_xml has checked it), so none is left out here.
        listed = {href for f in root.iter(self.ns(None, "file")) if (href := f.get("href")) is not None}
        launch = {href for r in root.iter(self.ns(None, "resource")) if (href := r.get("href")) is not None}
        bases = {base for e in root.iter(etree.Element) if (base := e.get(XML_BASE)) is not None}
        unsafe = {href: reason for href in listed | launch | bases if (reason := listed_path_problem(href))}
        problems = [f"the manifest lists {shown(href)}, which {reason}" for href, reason in sorted(unsafe.items())]
        listed -= unsafe.keys()
        launch -= unsafe.keys()
        shipped_schemas = schema_names(self.schema_folder)
        problems += [f"the manifest lists {shown(href)}, which is not in the package"
                     for href in sorted(listed - set(files))]
        problems += [f"the launch file {shown(href)} is not in the package" for href in sorted(launch - set(files))]
        unlisted = set(files) - listed - shipped_schemas - {MANIFEST}
        problems += [f"{shown(path)} is in the package but not listed in the manifest" for path in sorted(unlisted)]
        return problems
