"""The one interface every output standard implements.

A Standard knows which runtime adapter the player needs and which extra files
(manifest, schemas) its package carries; everything else (player, media, zip)
is the same for all standards.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from scormbuild.model import Course

LAUNCH_FILE = "index.html"  # the player, at the top of every package
LRS_CONFIG_FILE = "lrs.json"  # beside LAUNCH_FILE: the LRS a SCORM package also sends xAPI statements to
XSI = "http://www.w3.org/2001/XMLSchema-instance"


class Standard(ABC):
    key: str              # used in --format and in the zip name, e.g. "scorm12"
    label: str            # for people, e.g. "SCORM 1.2"
    manifest_name: str    # at the top of the zip, e.g. "imsmanifest.xml"
    runtime_scripts: tuple[str, ...]  # under templates/assets/, loaded in this order
    # Whether the player reads LRS_CONFIG_FILE beside LAUNCH_FILE to also send xAPI
    # statements (SCORM); xAPI and cmi5 packages get their LRS from the launch URL.
    reads_lrs_config: bool = False
    # validate-package asks the standards whether they recognise a zip in this order, lowest
    # first (a SCORM zip that also carries another standard's manifest is still SCORM).
    detect_priority: int
    # A folder under scormbuild/schemas/ whose XSDs the manifest is validated against, if any.
    schema_folder: str | None = None

    @abstractmethod
    def package_files(self, course: Course, content_files: list[str]) -> dict[str, bytes]:
        """Files this standard adds to the player's (manifest, schemas), by package path."""

    @abstractmethod
    def validate(self, files: Mapping[str, bytes]) -> list[str]:
        """Problems with a built package's files; empty when it is valid."""

    @abstractmethod
    def recognises(self, files: Mapping[str, bytes]) -> bool:
        """Whether a package's files are of this standard (by its manifest)."""

    def runtime_config(self, strict_scorm12: bool = False) -> dict[str, object]:
        """Settings the runtime adapter reads (window.ScormbuildRuntimeConfig); none by default."""
        return {}

    def zip_name(self, course: Course) -> str:
        return f"{course.package_name}-{self.key}.zip"


class XmlManifestStandard(Standard):
    """A standard whose package adds one XML manifest to the player (xAPI, cmi5)."""

    @abstractmethod
    def manifest(self, course: Course) -> bytes:
        """The manifest document."""

    def package_files(self, course: Course, content_files: list[str]) -> dict[str, bytes]:
        return {self.manifest_name: self.manifest(course)}

    def recognises(self, files: Mapping[str, bytes]) -> bool:
        return self.manifest_name in files

    def validate(self, files: Mapping[str, bytes]) -> list[str]:
        if self.manifest_name not in files:
            return [f"{self.manifest_name} is missing"]
        return self.validate_manifest(files[self.manifest_name], files)

    @abstractmethod
    def validate_manifest(self, manifest: bytes, files: Mapping[str, bytes]) -> list[str]:
        """Problems with the manifest, given every file of the package."""
