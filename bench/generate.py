"""Generate realistic branching courses of any size, for benchmarks and scale tests.

A course is a run of "episodes" like the sample course's: an information page,
a decision with one right and two wrong choices, feedback for each (the wrong
one with a reflection, points, a download and "what now?" options), and every
few episodes a quick quiz; it ends with an end scene. Text is varied but
deterministic (seeded), so runs are comparable.
"""

from __future__ import annotations

import argparse
import random
import textwrap
from pathlib import Path

WORDS = ("support worker service user boundary professional relationship care manager supervision record "
         "consent privacy social media friend request message family visit plan review handover team "
         "confidential risk trust duty code practice organisation policy report concern respond safely").split()

SCENES_PER_EPISODE = 6  # page, decision, right feedback, wrong reflection, wrong feedback, (quiz or page)


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return textwrap.fill(" ".join(sentence(rng) for _ in range(sentences)), 78)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def generate(target: Path, scenes: int, seed: int = 1) -> Path:
    """Write a course of about ``scenes`` scenes (at least 7) into ``target``."""
    rng = random.Random(seed)
    episodes = max(1, (scenes - 1) // SCENES_PER_EPISODE)
    write(target / "course.yaml", f"id: generated-{scenes}\ntitle: Generated course ({scenes} scenes)\n"
                                  f"version: 1.0.0\nlanguage: en\npass_mark: 70\n")
    number = 0

    def scene(name: str, text: str) -> None:
        nonlocal number
        number += 1
        write(target / "scenes" / f"{number:05d}-{name}.md", text)

    count = 0
    for e in range(episodes):
        following = f"page-{e + 1}" if e + 1 < episodes else "end"
        scene(f"page-{e}", f"---\nkind: page\ntitle: Part {e + 1}\n---\n{paragraph(rng)}\n\n{paragraph(rng)}\n")
        scene(f"decision-{e}", f"""---
kind: decision
title: Decision {e + 1}
choices:
  - id: right
    text: {sentence(rng, 10)}
    correct: true
    score: 10
    goto: right-{e}
  - id: wrong
    text: {sentence(rng, 10)}
    goto: reflect-{e}
  - id: other
    text: {sentence(rng, 10)}
    goto: reflect-{e}
---
{paragraph(rng, 3)}

**What do you do?**
""")
        after = f"quiz-{e}" if e % 3 == 2 else f"extra-{e}"
        scene(f"right-{e}", f"---\nkind: feedback\ntitle: Well done\nnext: {after}\npoints:\n"
                            f"  - {sentence(rng)}\n  - {sentence(rng)}\n---\n{paragraph(rng, 2)}\n")
        scene(f"reflect-{e}", f"---\nkind: reflection\ntitle: Think it through\nnext: wrong-{e}\n---\n{paragraph(rng, 2)}\n")
        scene(f"wrong-{e}", f"""---
kind: feedback
title: Not the best choice
reflection: reflect-{e}
download: true
points:
  - {sentence(rng)}
  - {sentence(rng)}
  - {sentence(rng)}
options:
  - text: Try again
    goto: decision-{e}
  - text: Continue
    goto: {after}
---
{paragraph(rng, 2)}
""")
        if after.startswith("quiz"):
            scene(f"quiz-{e}", f"""---
kind: quiz
title: Quick quiz {e + 1}
next: {following}
questions:
  - kind: true-false
    text: {sentence(rng, 9)}
    answer: {'true' if rng.random() < 0.5 else 'false'}
  - kind: single
    text: {sentence(rng, 9)}
    options:
      - text: {sentence(rng, 5)}
        correct: true
      - text: {sentence(rng, 5)}
      - text: {sentence(rng, 5)}
---
{sentence(rng)}
""")
        else:
            scene(f"extra-{e}", f"---\nkind: page\ntitle: Good to know\nnext: {following}\n---\n{paragraph(rng, 3)}\n")
        count += SCENES_PER_EPISODE
    scene("end", "---\nkind: end\ntitle: The end\n---\nThank you.\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--scenes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.target, args.scenes, args.seed)
    print(f"wrote a course of about {args.scenes} scenes to {args.target}")


if __name__ == "__main__":
    main()
