"""`video:` and `audio:`, the keys every scene has: read, checked and turned into packaged files.

A media file is a course asset like an image (packaged, listed in every manifest, read with
the same limits); its type is checked by its extension and by its first bytes, so that a file
renamed by mistake is refused at build time rather than failing silently in the learner's
browser. Captions (WebVTT) are checked well enough to catch the usual mistakes (a missing
header, SRT's comma before the milliseconds, cues out of order) at their line and column.
Speech must be accessible: a video needs captions and an audio a transcript, unless the
author says there is none (`no_speech: true`). An address on another host is refused unless
the author asks for it (`external: true`); lint then warns that the package makes outside requests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from scormbuild.content.fields import Fields, Key, require_mapping
from scormbuild.content.files import MAX_SOURCE_BYTES, decode_source, read_regular_file
from scormbuild.content.markdown import MarkdownRenderer, resolve_local_file
from scormbuild.errors import ContentError, Location
from scormbuild.model import Asset, CaptionTrack, Media

# extension -> (MIME type, check of the file's first bytes)
Magic = Callable[[bytes], bool]


def _mp4(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


def _webm(head: bytes) -> bool:
    return head.startswith(b"\x1a\x45\xdf\xa3")


def _ogg(head: bytes) -> bool:
    return head.startswith(b"OggS")


def _mp3(head: bytes) -> bool:
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _wav(head: bytes) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WAVE"


MEDIA_TYPES: dict[str, dict[str, tuple[str, Magic]]] = {
    "video": {".mp4": ("video/mp4", _mp4), ".m4v": ("video/mp4", _mp4), ".webm": ("video/webm", _webm),
              ".ogv": ("video/ogg", _ogg), ".ogg": ("video/ogg", _ogg)},
    "audio": {".mp3": ("audio/mpeg", _mp3), ".m4a": ("audio/mp4", _mp4), ".wav": ("audio/wav", _wav),
              ".ogg": ("audio/ogg", _ogg), ".oga": ("audio/ogg", _ogg), ".webm": ("audio/webm", _webm)},
}
POSTER_FILES = (".jpg", ".jpeg", ".png", ".webp", ".svg")
LANGUAGE = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")

CAPTION_KEYS = (
    Key("src", "text", "A WebVTT file (.vtt) in the course folder.", required=True, example="media/intro.en.vtt"),
    Key("language", "text", "The captions' language tag, e.g. `en` or `fr-CA`.", required=True, example="en"),
    Key("label", "text", "The name the player's captions menu shows, e.g. `English`.", required=True,
        example="English"),
)
_SHARED_KEYS = (
    Key("src", "text", "The file in the course folder (packaged), or an http(s) address with `external: true`.",
        required=True, example="media/intro.mp4"),
    Key("title", "text", "What the media is, for the player and the xAPI statements.", required=True,
        example="Jenny's story"),
    Key("transcript", "text", "The words spoken (Markdown), shown under the player in a disclosure."),
    Key("no_speech", "boolean", "`true`: nothing is said, so no captions or transcript are needed.",
        default=False),
    Key("require_complete", "boolean", "`true`: Continue waits until the learner has played it to the end "
        "(not in review, nor again once done).", default=False),
    Key("external", "boolean", "`true` allows an http(s) `src` on another server (build warns: the package "
        "then makes outside requests).", default=False),
)
VIDEO_KEYS = _SHARED_KEYS + (
    Key("captions", "items", "WebVTT captions, one item per language; required unless `no_speech: true`.",
        items=CAPTION_KEYS),
    Key("poster", "text", "An image (.jpg, .png, .webp, .svg) shown before the video plays."),
)
AUDIO_KEYS = _SHARED_KEYS
LoadedMedia = tuple[Media, list[Asset]]


def media_type(kind: str, path: str, where: Location) -> tuple[str, Magic]:
    """The MIME type and first-bytes check of a media file, from its extension."""
    suffix = Path(urlsplit(path).path).suffix.lower()
    types = MEDIA_TYPES[kind]
    if suffix not in types:
        raise ContentError(where, f"`{kind}` file `{path}` is not in a {kind} format the player can play",
                           f"use one of {', '.join(sorted(types))} (convert it, e.g. with ffmpeg)")
    return types[suffix]


def check_magic(asset: Asset, kind: str, mime: str, magic: Magic) -> None:
    """Refuse a file whose first bytes are not those of its extension's type."""
    if not magic(_head(asset.source)):
        raise ContentError(asset.location,
                           f"`{asset.source.name}` does not hold {mime} data, whatever its extension says",
                           f"export the {kind} again in that format, or give the file the extension of its real type")


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(16)
    except OSError as exc:
        raise ContentError(Location(path), f"cannot read file: {exc.strerror or 'input/output error'}") from None


# ---- WebVTT ---------------------------------------------------------------------------------

TIMESTAMP = re.compile(r"(?:(\d{2,}):)?(\d{2}):(\d{2})\.(\d{3})")
TIMING = re.compile(r"(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t].*)?")
VTT_HINT = "write cue times as `00:01:02.500 --> 00:01:05.000` (hours optional, a dot before the milliseconds)"


def _seconds(text: str) -> float | None:
    match = TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    hours, minutes, seconds, millis = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def check_webvtt(text: str, path: Path) -> int:
    """Raise a ContentError at the first mistake of a WebVTT file; returns its number of cues."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.fullmatch(r"WEBVTT(?:[ \t].*)?", lines[0]):
        raise ContentError(Location(path, 1, 1), "a WebVTT file must start with the line `WEBVTT`",
                           "make `WEBVTT` the first line, then a blank line, then the cues")
    cues = 0
    previous_start = 0.0
    block_start: int | None = None
    for index, line in enumerate(lines[1:], start=2):
        if not line.strip():
            block_start = None
            continue
        if block_start is None:
            block_start = index
        if "-->" not in line:
            if index == block_start + 1 and not lines[block_start - 1].startswith(("NOTE", "STYLE", "REGION")) \
                    and "-->" not in lines[block_start - 1]:
                raise ContentError(Location(path, block_start, 1), "this cue has no timing line",
                                   VTT_HINT + "; a cue is an optional id line, the timing line, then its text")
            continue
        cues += 1
        match = TIMING.fullmatch(line)
        if match is None:
            raise ContentError(Location(path, index, 1), "this cue timing line is not `start --> end`", VTT_HINT)
        start, end = _seconds(match.group(1)), _seconds(match.group(2))
        for value, group in ((start, 1), (end, 2)):
            if value is None:
                raise ContentError(Location(path, index, match.start(group) + 1),
                                   f"`{match.group(group)}` is not a WebVTT time", VTT_HINT)
        assert start is not None and end is not None
        if end <= start:
            raise ContentError(Location(path, index, match.start(2) + 1),
                               f"the cue ends ({match.group(2)}) before it starts ({match.group(1)})",
                               "a cue's end time comes after its start time")
        if start < previous_start:
            raise ContentError(Location(path, index, 1),
                               f"this cue starts ({match.group(1)}) before the one above it",
                               "put the cues in the order of their start times")
        previous_start = start
    if not cues:
        raise ContentError(Location(path, 1, 1), "this WebVTT file has no cues", VTT_HINT)
    return cues


# ---- the keys' readers ----------------------------------------------------------------------

def _local(markdown: MarkdownRenderer, fields: Fields, key: str, what: str) -> Asset:
    return resolve_local_file(markdown.root, fields.text(key), fields.where(key), what)


def _captions(markdown: MarkdownRenderer, fields: Fields, assets: list[Asset]) -> list[CaptionTrack]:
    tracks = []
    for item in fields.mapping_list("captions"):
        caption = Fields(item, CAPTION_KEYS, "each item of `captions`", fields.errors)
        values = caption.read()
        if not caption.complete(values):
            continue
        if not LANGUAGE.fullmatch(values["language"]):
            caption.check(False, "language", f"`{values['language']}` is not a language tag",
                          "use a code such as `en`, `en-GB` or `fr`")
            continue
        try:
            if not values["src"].lower().endswith(".vtt"):
                raise ContentError(caption.where("src"), "captions must be a WebVTT file (.vtt)",
                                   "convert .srt captions, e.g. with ffmpeg -i captions.srt captions.vtt")
            asset = _local(markdown, caption, "src", "captions file")
            text = read_regular_file(asset.source, MAX_SOURCE_BYTES, "split the captions")
            check_webvtt(_decode(text, asset.source), asset.source)
        except ContentError as error:
            caption.report(error)
            continue
        assets.append(asset)
        tracks.append(CaptionTrack(asset.package_path, values["language"], values["label"]))
    return tracks


def _decode(data: bytes, path: Path) -> str:
    return decode_source(path, data)


def media_reader(kind: str) -> Callable[[Fields, Key], LoadedMedia | None]:
    """The reader of `video:` or `audio:` (fields.context: the scene's MarkdownRenderer).
    Every problem is reported; the value is None when there was one."""
    keys = VIDEO_KEYS if kind == "video" else AUDIO_KEYS

    def read(fields: Fields, key: Key) -> LoadedMedia | None:
        markdown: MarkdownRenderer = fields.context
        data = require_mapping(fields.data[key.name], fields.where(key.name), f"`{kind}`")
        problems = len(fields.errors.errors)
        media = Fields(data, keys, f"`{kind}`", fields.errors)
        values = media.read()
        assets: list[Asset] = []
        src = values.get("src", "")
        external = bool(values.get("external"))
        mime = ""
        try:
            if src:
                mime, magic = media_type(kind, src, media.where("src"))
                if urlsplit(src).scheme in ("http", "https"):
                    if not external:
                        raise ContentError(media.where("src"), f"`{kind}` `{src}` is on another server",
                                           "copy the file into the course folder, or add `external: true` if the "
                                           "package may make requests outside itself")
                else:
                    external = False
                    asset = _local(markdown, media, "src", f"{kind} file")
                    check_magic(asset, kind, mime, magic)
                    assets.append(asset)
        except ContentError as error:
            media.report(error)
        tracks = _captions(markdown, media, assets) if kind == "video" else []
        poster = None
        if values.get("poster"):
            try:
                if not values["poster"].lower().endswith(POSTER_FILES):
                    raise ContentError(media.where("poster"), "`poster` must be a picture",
                                       f"use a {', '.join(POSTER_FILES)} file")
                poster_asset = _local(markdown, media, "poster", "poster")
                assets.append(poster_asset)
                poster = poster_asset.package_path
            except ContentError as error:
                media.report(error)
        transcript = ""
        if values.get("transcript"):
            try:
                rendered = markdown.render(values["transcript"], media.where("transcript").file,
                                           media.where("transcript").line)
                transcript = rendered.html
                assets += rendered.assets
            except ContentError as error:
                media.report(error)
        no_speech = bool(values.get("no_speech"))
        if kind == "video" and not no_speech and not media.has("captions"):
            media.report(ContentError(fields.where(key.name), "a video needs captions for learners who cannot hear it",
                                      "add `captions:` with a WebVTT file, or `no_speech: true` if nothing "
                                      "is said in it"))
        if kind == "audio" and not no_speech and "transcript" in values and not values["transcript"]:
            media.report(ContentError(fields.where(key.name),
                                      "an audio needs a transcript for learners who cannot hear it",
                                      "add `transcript: |` and the words spoken, or `no_speech: true` if nothing "
                                      "is said in it"))
        if len(fields.errors.errors) > problems or not media.complete(values):
            return None
        return Media(kind=kind, src=src if external else assets[0].package_path, mime=mime, title=values["title"],
                     location=fields.where(key.name), captions=tuple(tracks), poster=poster,
                     transcript_html=transcript, no_speech=no_speech,
                     require_complete=bool(values["require_complete"]), external=external), assets

    return read
