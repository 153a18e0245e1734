"""A small course whose story depends on what the learner did: variables changed by choices,
choices and speech lines shown under a condition, and an ending chosen by the variables."""

from __future__ import annotations

from pathlib import Path

from support.coursekit import write
from support.people import PNG

COURSE = """
    id: story
    title: A story that remembers
    pass_mark: 50
    variables:
      trust:
        initial: 0
        min: 0
        max: 3
        label: Trust built
      told: false
    """

MEET = """
    ---
    kind: decision
    title: Meeting Sam
    choices:
      - id: listen
        text: Listen to what Sam says.
        correct: true
        goto: talk
        add: {trust: 2}
      - id: leave
        text: Walk away.
        goto: regret
        add: {trust: -1}
      - id: letter
        text: Ask Sam about the letter.
        if: trust >= 2
        goto: talk
        image: media/letter.png
        alt: A letter in a brown envelope
        image_position: beside
    ---
    Sam is waiting by the door.
    """

REGRET = """
    ---
    kind: feedback
    title: Sam looks hurt
    options:
      - id: again
        text: Try again
        goto: meet
      - id: go-on
        text: Go on anyway
        goto: talk
      - id: apologise
        text: Say sorry first
        if: trust == 0
        goto: talk
        set: {trust: 1}
    ---
    Walking away says more than you meant.
    """

TALK = """
    ---
    kind: dialogue
    title: Talking it over
    raw_html: true
    lines:
      - text: You sit down together.
      - text: Sam smiles.
        if: trust >= 2
      - text: Sam looks away.
        if: trust < 2
    ---
    <p data-when="note" data-sb-when="not json">The author's own HTML may carry any attribute.</p>
    """

TELL = """
    ---
    kind: decision
    title: Who to tell
    next: other-end
    branches:
      - if: told and trust >= 2
        goto: good-end
    choices:
      - id: tell
        text: Tell your manager.
        correct: true
        set: {told: true}
      - id: keep
        text: Keep it to yourself.
    ---
    """

GOOD_END = """
    ---
    kind: end
    title: Sam trusts you
    ---
    """

OTHER_END = """
    ---
    kind: end
    title: Sam keeps their distance
    ---
    """

SCENES = {"01-meet.md": MEET, "02-regret.md": REGRET, "03-talk.md": TALK, "04-tell.md": TELL,
          "05-good-end.md": GOOD_END, "06-other-end.md": OTHER_END}


def story_course(folder: Path) -> Path:
    write(folder / "course.yaml", COURSE)
    for name, text in SCENES.items():
        write(folder / "scenes" / name, text)
    (folder / "media").mkdir(exist_ok=True)
    (folder / "media" / "letter.png").write_bytes(PNG)
    return folder
