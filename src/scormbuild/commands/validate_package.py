"""scormbuild validate-package: check a built zip against the XSDs and its file list."""

from __future__ import annotations

import zipfile
from pathlib import Path

from scormbuild.errors import PackageError
from scormbuild.package import read_zip
from scormbuild.standards import STANDARDS, Standard


def detect_standard(files: dict[str, bytes]) -> Standard | None:
    # A SCORM zip that also carries other manifests is still SCORM: check SCORM first.
    return next((standard for standard in STANDARDS.values() if standard.recognises(files)), None)


def validate_package(path: Path) -> Standard:
    """Return the package's standard, or raise PackageError listing its problems."""
    try:
        files = read_zip(path)
    except FileNotFoundError:
        raise PackageError(path, ["no such file"]) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(path, [f"not a readable zip file ({exc})"]) from None
    standard = detect_standard(files)
    if standard is None:
        raise PackageError(path, ["no manifest of a known standard (imsmanifest.xml, tincan.xml, cmi5.xml) at the top of the zip"])
    problems = standard.validate(files)
    if problems:
        raise PackageError(path, problems)
    return standard
