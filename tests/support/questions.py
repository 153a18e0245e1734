"""A small course with one question of each new kind (matching, ordering, fill-in), for the
unit tests of the quiz kind and the browser tests that answer them in every format."""

from __future__ import annotations

from pathlib import Path

from support.coursekit import write_course

QUIZ = """---
kind: quiz
title: Gifts and records
questions:
  - id: match-it
    kind: matching
    text: Match each situation with what you do.
    points: 3
    pairs:
      - id: gift-card
        prompt: A client offers you a gift card
        answer: Decline politely and log it
      - id: chocolates
        prompt: A family leaves chocolates for the team
        answer: Share them and note it in the gifts book
      - id: friend-request
        prompt: A client sends you a friend request
        answer: Decline and explain the policy
  - id: steps
    kind: ordering
    text: Put the steps in order.
    points: 2
    items:
      - id: listen
        text: Listen
      - id: record
        text: Write it down
      - id: report
        text: Tell your manager
  - id: who
    kind: fill-in
    text: Who do you tell first about a safeguarding worry?
    accepted: [Safeguarding lead, DSL]
    feedback_correct: Correct, the safeguarding lead.
  - id: pick
    text: Which one is a boundary?
    shuffle: true
    options:
      - id: rule
        text: Not lending money
        correct: true
      - id: habit
        text: Drinking tea
---
Four questions.
"""
START = "---\nkind: page\ntitle: Start\n---\nHello.\n"
END = "---\nkind: end\ntitle: End\n---\nBye.\n"
# What a learner who answers everything right gives, in the player's terms.
RIGHT = {"match-it": {"gift-card": "gift-card", "chocolates": "chocolates", "friend-request": "friend-request"},
         "steps": ["listen", "record", "report"], "who": "  safeguarding LEAD ", "pick": ["rule"]}
# And one who gets each wrong.
WRONG = {"match-it": {"gift-card": "chocolates", "chocolates": "gift-card", "friend-request": "friend-request"},
         "steps": ["record", "listen", "report"], "who": "{anyone} or [,]{my friend}", "pick": ["habit"]}


def question_course(folder: Path) -> Path:
    return write_course(folder, {"01-start.md": START, "02-quiz.md": QUIZ, "03-end.md": END},
                        "id: questions\ntitle: Questions\nlanguage: en-GB\npass_mark: 50\n")
