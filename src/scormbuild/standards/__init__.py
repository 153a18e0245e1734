"""Output standards, one module each, all behind standards.base.Standard."""

from __future__ import annotations

from scormbuild.standards.base import Standard
from scormbuild.standards.cmi5 import Cmi5
from scormbuild.standards.scorm12 import Scorm12
from scormbuild.standards.scorm2004 import Scorm2004
from scormbuild.standards.xapi import Xapi

STANDARDS: dict[str, Standard] = {
    standard.key: standard for standard in (Scorm12(), Scorm2004(), Xapi(), Cmi5())
}
# The order in which a package's standard is recognised (Standard.detect_priority).
DETECTION_ORDER: tuple[Standard, ...] = tuple(sorted(STANDARDS.values(), key=lambda s: s.detect_priority))

__all__ = ["DETECTION_ORDER", "STANDARDS", "Standard"]
