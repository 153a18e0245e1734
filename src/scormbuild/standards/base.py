"""The one interface every output standard implements.

A Standard knows which runtime adapter the player needs and which extra files
(manifest, schemas) its package carries; everything else (player, media, zip)
is the same for all standards.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from scormbuild.model import Course


class Standard(ABC):
    key: str              # used in --format and in the zip name, e.g. "scorm12"
    label: str            # for people, e.g. "SCORM 1.2"
    runtime_scripts: tuple[str, ...]  # under templates/assets/, loaded in this order
    # Whether the player reads an lrs.json beside index.html to also send xAPI
    # statements (SCORM); xAPI and cmi5 packages get their LRS from the launch URL.
    reads_lrs_config: bool = False

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
    """A standard whose package adds one XML manifest to the player (Tin Can, cmi5)."""

    manifest_name: str

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
