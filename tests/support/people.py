"""A small course with characters, a dialogue, a decision with speech and pictures (tests of issue 16's people)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from support.coursekit import write


def png(width: int, height: int) -> bytes:
    """A real (one-colour) PNG, so that a browser shows it and its header gives its size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\x1f\x5f\xa8" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = png(40, 30)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30"/></svg>'

COURSE = """
id: people
title: People
pass_mark: 50
characters:
  - id: sam
    name: Sam
    role: Support worker
    portrait: media/sam.svg
    portrait_alt: Sam, smiling, with a lanyard
    colour: "#1d6b3a"
  - id: jenny
    name: Jenny
"""
DIALOGUE = """
---
kind: dialogue
title: A message from Jenny
background: media/street.png
background_decorative: true
lines:
  - text: It is Friday evening.
  - speaker: jenny
    text: Hi Sam, can we be *friends* now?
  - speaker: sam
    text: I'm glad you got in touch.
---
"""
DECISION = """
---
kind: decision
title: What do you answer?
next: end
background: media/street.png
background_alt: A quiet street at dusk
speech:
  - speaker: jenny
    text: Please say yes.
choices:
  - id: accept
    text: Accept it.
    image: media/accept.png
    alt: A thumbs-up
    image_size: small
    image_position: beside
  - id: decline
    text: Decline kindly.
    correct: true
---
![A phone with a friend request](media/sam.svg "The request on Sam's phone")

What do you do?
"""
END = "---\nkind: end\ntitle: Done\n---\nThe end.\n"


def people_course(folder: Path, course: str = COURSE, dialogue: str = DIALOGUE, decision: str = DECISION) -> Path:
    write(folder / "course.yaml", course)
    write(folder / "scenes" / "01-talk.md", dialogue)
    write(folder / "scenes" / "02-answer.md", decision)
    write(folder / "scenes" / "03-end.md", END)
    write(folder / "media" / "sam.svg", SVG)
    for name in ("street.png", "accept.png"):
        (folder / "media" / name).write_bytes(PNG)
    return folder
