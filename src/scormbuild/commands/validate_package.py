"""scormbuild validate-package: check a zip against the XSDs and its file list before it goes to an LMS.

The zip is untrusted: package.read_package checks it from its central directory (entry count,
sizes, compression ratio, names, compression methods, encryption) before anything is
decompressed, verifies every entry's data in bounded chunks, and keeps only the manifests in
memory. Manifests are parsed without DTDs, entities or network access (schemas.parse_untrusted_xml).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from scormbuild.errors import PackageError
from scormbuild.package_reader import at_most_shown, read_package
from scormbuild.standards import DETECTION_ORDER, Standard

KNOWN_MANIFESTS = ", ".join(dict.fromkeys(standard.manifest_name for standard in DETECTION_ORDER))


def detect_standard(files: Mapping[str, bytes]) -> Standard | None:
    return next((standard for standard in DETECTION_ORDER if standard.recognises(files)), None)


def validate_package(path: Path) -> Standard:
    """Return the package's standard, or raise PackageError listing its problems."""
    files = read_package(path)
    standard = detect_standard(files)
    if standard is None:
        raise PackageError(path, [f"no manifest of a known standard ({KNOWN_MANIFESTS}) at the top of the zip"])
    problems = standard.validate(files)
    if problems:
        raise PackageError(path, at_most_shown(problems))
    return standard
