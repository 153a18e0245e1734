"""The official XSDs (unmodified) and offline validation against them."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

SCHEMAS_DIR = Path(str(resources.files("scormbuild.schemas")))
OWN_ENTRY_POINT = "manifest_all.xsd"  # scormbuild's, not official: used to validate, never shipped


def entry_point(folder: str) -> Path:
    """The XSD a schema folder validates with: OWN_ENTRY_POINT where the official XSDs are
    several (SCORM's import each other), else the folder's one XSD (cmi5's CourseStructure.xsd)."""
    own = SCHEMAS_DIR / folder / OWN_ENTRY_POINT
    if own.is_file():
        return own
    [only] = sorted((SCHEMAS_DIR / folder).glob("*.xsd"))
    return only


class _LocalResolver(etree.Resolver):
    """Serve schema imports from the bundled files, never from the network."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    # lxml-stubs give Resolver.resolve two parameters and no resolve_filename; lxml calls
    # resolve(url, pubid, context) and resolve_filename returns its opaque input document.
    def resolve(self, url: str | None, pubid: str | None, context: object) -> object:  # type: ignore[override]
        if url and url.endswith("ims_xml.xsd"):
            # SCORM 1.2's ims_xml.xsd declares the xml namespace as its default
            # namespace, which libxml2 rejects; W3C's xml.xsd defines the same attributes.
            return self.resolve_filename(str(self.folder / "xml.xsd"), context)  # type: ignore[attr-defined]
        if url and url.startswith(("http://", "https://")):
            local = self.folder / url.rsplit("/", 1)[-1]
            if local.exists():
                return self.resolve_filename(str(local), context)  # type: ignore[attr-defined]
        return None


@cache
def load_schema(folder: str) -> etree.XMLSchema:
    entry = entry_point(folder)
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    parser.resolvers.add(_LocalResolver(entry.parent))
    return etree.XMLSchema(etree.parse(str(entry), parser))


MAX_MESSAGE_CHARS = 300  # of one parser or schema message (they can quote the document)

# "<!DOCTYPE" as it looks in the encodings a manifest may come in (ASCII-compatible ones, UTF-16/32).
_DOCTYPE_MARKERS = tuple(dict.fromkeys("<!DOCTYPE".encode(encoding) for encoding in
                                       ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")))


class UntrustedXmlError(ValueError):
    """An XML document from elsewhere that is refused or not well-formed; str() is 'line N: message'."""


def _message(text: str) -> str:
    text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text[:MAX_MESSAGE_CHARS + 1])
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS] + "\u2026"


def untrusted_parser() -> etree.XMLParser:
    """A parser for XML from elsewhere: no entity is substituted, no DTD or other document is
    loaded, nothing is fetched, and libxml2's size and depth limits stay on."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, attribute_defaults=False)


def parse_untrusted_xml(data: bytes) -> etree._Element:
    """The root of an XML document from elsewhere (a package's manifest). A document with a
    DOCTYPE is refused before it is parsed (a manifest needs no DTD, and entity declarations are
    how XXE and billion-laughs attacks begin); raises UntrustedXmlError."""
    for marker in _DOCTYPE_MARKERS:
        at = data.find(marker)
        if at >= 0:
            line = data.count(b"\n", 0, at) + 1
            raise UntrustedXmlError(f"line {line}: has a <!DOCTYPE>; a manifest must not "
                                    "declare a DTD or entities (scormbuild never resolves them, but an LMS might)")
    try:
        root = etree.fromstring(data, untrusted_parser())
    except etree.LxmlError as exc:
        line = getattr(exc, "lineno", None) or 1
        message = _message(getattr(exc, "msg", None) or str(exc))
        raise UntrustedXmlError(f"line {line}: not well-formed XML: {message}") from None
    docinfo = root.getroottree().docinfo
    # A DOCTYPE in an encoding the byte search missed. (lxml-stubs lack DocInfo.doctype, which lxml has.)
    if docinfo.doctype or docinfo.internalDTD is not None:  # type: ignore[union-attr]
        raise UntrustedXmlError("line 1: has a <!DOCTYPE>; a manifest must not declare a DTD or entities")
    return root


def validate_xml(folder: str, data: bytes) -> list[str]:
    """Problems of an XML document against the schema of a folder under SCHEMAS_DIR (a
    standard's ``schema_folder``), as 'line N: message'."""
    try:
        document = parse_untrusted_xml(data).getroottree()
    except UntrustedXmlError as exc:
        return [str(exc)]
    schema = load_schema(folder)
    try:
        if schema.validate(document):
            return []
    except etree.Error as exc:
        return [f"line 1: could not be checked against the schema ({_message(str(exc))})"]
    # lxml-stubs do not declare _ErrorLog iterable; lxml iterates over its _LogEntry items.
    return [f"line {error.line}: {_message(error.message)}"
            for error in schema.error_log]  # type: ignore[attr-defined]


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
