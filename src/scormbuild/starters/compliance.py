"""A compliance course: information pages to read, then a quiz; the quiz's score decides whether
the learner passes (the pass mark is in course.yaml)."""

from __future__ import annotations

from scormbuild.starters import Starter, StarterScene

STARTER = Starter(
    description="A compliance course made by `scormbuild new --template compliance`. Replace it with yours.",
    settings={"pass_mark": 80},
    scenes=(
        StarterScene("01-welcome.md", {"kind": "page", "title": "Welcome"}, """\
This course takes about **10 minutes**. Read the next pages, then answer the quiz
at the end: you need **80%** to pass (`pass_mark: 80` in `course.yaml`).

Each page leads to the next file; write as many as you need, in **Markdown**.
"""),
        StarterScene("02-why-it-matters.md", {"kind": "page", "title": "Why it matters"}, """\
Explain why the rule exists, with an example your learners will recognise.

* Personal information about the people you support belongs to them.
* A record left open on a screen, or a conversation overheard, can harm them.
* The law (for example data protection law) and your employer's policy say what you must do.
"""),
        StarterScene("03-what-to-do.md", {"kind": "page", "title": "What to do"}, """\
Give the steps in order:

1. Share information only with people who need it to support the person.
2. Lock your screen when you leave it, and keep paper records locked away.
3. If information goes to the wrong place, tell your manager **the same day**.
"""),
        StarterScene("04-check-your-knowledge.md", {
            "kind": "quiz",
            "title": "Check your knowledge",
            "questions": [
                {"id": "screen", "kind": "true-false", "text": "It is fine to leave your screen unlocked for a minute.",
                 "answer": False, "feedback_incorrect": "Lock it every time you leave it, however briefly."},
                {"id": "who-to-tell", "kind": "single", "text": "An email went to the wrong person. What do you do?",
                 "options": [
                     {"text": "Tell your manager the same day.", "correct": True},
                     {"text": "Wait and see whether anyone notices."},
                     {"text": "Delete your copy of the email."},
                 ]},
                {"id": "need-to-know", "kind": "multiple",
                 "text": "Who may you share a care plan with? Choose all that apply.", "options": [
                     {"text": "A colleague who supports the person today", "correct": True},
                     {"text": "The person themselves", "correct": True},
                     {"text": "A neighbour who asks how they are"},
                 ]},
                {"id": "order", "kind": "ordering", "text": "Put the steps in order.", "items": [
                    {"text": "Notice the mistake"},
                    {"text": "Tell your manager"},
                    {"text": "Record what happened"},
                ]},
            ],
        }, "Each question counts towards the score; the learner checks one answer at a time.\n"),
        StarterScene("05-end.md", {"kind": "end", "title": "Course complete"}, """\
The player shows the learner's score and whether it reaches the pass mark, and
tells the LMS.
"""),
    ),
)
