"""The official XSDs (unmodified) and offline validation against them."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

SCHEMAS_DIR = Path(str(resources.files("scormbuild.schemas")))
ENTRY_POINTS = {
    "scorm12": SCHEMAS_DIR / "scorm12" / "manifest_all.xsd",
    "scorm2004": SCHEMAS_DIR / "scorm2004_4th" / "manifest_all.xsd",
    "cmi5": SCHEMAS_DIR / "cmi5" / "CourseStructure.xsd",
}


class _LocalResolver(etree.Resolver):
    """Serve schema imports from the bundled files, never from the network."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):  # noqa: ANN001 - lxml's signature
        if url and url.endswith("ims_xml.xsd"):
            # SCORM 1.2's ims_xml.xsd declares the xml namespace as its default
            # namespace, which libxml2 rejects; W3C's xml.xsd defines the same attributes.
            return self.resolve_filename(str(self.folder / "xml.xsd"), context)
        if url and url.startswith(("http://", "https://")):
            local = self.folder / url.rsplit("/", 1)[-1]
            if local.exists():
                return self.resolve_filename(str(local), context)
        return None


@lru_cache(maxsize=None)
def load_schema(kind: str) -> etree.XMLSchema:
    entry = ENTRY_POINTS[kind]
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    parser.resolvers.add(_LocalResolver(entry.parent))
    return etree.XMLSchema(etree.parse(str(entry), parser))


def validate_xml(kind: str, data: bytes) -> list[str]:
    """Problems of an XML document against a standard's schema, as 'line N: message'."""
    try:
        document = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False)).getroottree()
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: not well-formed XML: {exc.msg}"]
    schema = load_schema(kind)
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


OWN_ENTRY_POINT = "manifest_all.xsd"  # scormbuild's, not official: used to validate, never shipped


def _official_paths(folder: str) -> dict[str, Path]:
    base = SCHEMAS_DIR / folder
    return {path.relative_to(base).as_posix(): path for path in sorted(base.rglob("*"))
            if path.is_file() and path.name != OWN_ENTRY_POINT}


def schema_names(folder: str) -> set[str]:
    """Package paths of the official schema files of one folder."""
    return set(_official_paths(folder))


def schema_files(folder: str) -> dict[str, bytes]:
    """The official schema files of one folder, by path relative to it, for shipping in a package."""
    return {name: path.read_bytes() for name, path in _official_paths(folder).items()}
