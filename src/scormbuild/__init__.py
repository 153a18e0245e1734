"""scormbuild: compile plain-text training scenarios into LMS packages."""

__version__ = "0.1.0"
