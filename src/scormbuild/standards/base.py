"""The one interface every output standard implements.

A Standard knows which runtime adapter the player needs and which extra files
(manifest, schemas) its package carries; everything else (player, media, zip)
is the same for all standards.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

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
    def validate(self, files: dict[str, bytes]) -> list[str]:
        """Problems with a built package's files; empty when it is valid."""

    @abstractmethod
    def recognises(self, files: dict[str, bytes]) -> bool:
        """Whether a package's files are of this standard (by its manifest)."""

    def zip_name(self, course: Course) -> str:
        return f"{course.package_name}-{self.key}.zip"
