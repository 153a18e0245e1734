"""The default starter: one scene of every kind, to see what each does."""

from __future__ import annotations

from scormbuild.starters import Starter, StarterScene

STARTER = Starter(
    description="A short example course made by `scormbuild new`. Replace it with yours.",
    settings={"pass_mark": 70},
    scenes=(
        StarterScene("01-welcome.md", {"kind": "page", "title": "Welcome"}, """\
This is an information page. Write it in **Markdown**.

Pages lead to the next file unless they say `next:`.
"""),
        StarterScene("02-first-decision.md", {
            "kind": "decision",
            "title": "Your first decision",
            "choices": [
                {"id": "check-first", "text": "Check the policy before acting.", "correct": True, "score": 10,
                 "goto": "well-done"},
                {"id": "act-now", "text": "Act straight away without checking.", "goto": "think-again"},
            ],
        }, "Describe a situation, then ask: **what do you do?**\n"),
        StarterScene("03-think-again.md", {
            "kind": "reflection",
            "title": "Think it through",
            "next": "wrong-choice",
            "points": ["What could go wrong if you act without checking?", "Who else should know?"],
        }, "Write what you would do differently, and why.\n"),
        StarterScene("04-wrong-choice.md", {
            "kind": "feedback",
            "title": "That was not the best choice",
            "reflection": "think-again",
            "download": True,
            "points": ["Checking the policy first protects you and the people you support."],
            "options": [
                {"text": "Try the decision again", "goto": "first-decision"},
                {"text": "Continue", "goto": "quick-quiz"},
            ],
        }, "Here is what a good answer would have covered.\n"),
        StarterScene("05-well-done.md", {
            "kind": "feedback",
            "title": "Well done",
            "next": "quick-quiz",
            "points": ["You checked before acting."],
        }, "That was the right decision.\n"),
        StarterScene("06-quick-quiz.md", {
            "kind": "quiz",
            "title": "Quick quiz",
            "questions": [
                {"kind": "true-false", "text": "Policies only matter for new staff.", "answer": False},
                {"kind": "single", "text": "Who should you tell about a concern?", "options": [
                    {"text": "Your manager", "correct": True},
                    {"text": "Nobody"},
                ]},
                {"kind": "multiple", "text": "Which of these are good habits? Choose all that apply.", "options": [
                    {"text": "Asking when unsure", "correct": True},
                    {"text": "Writing things down", "correct": True},
                    {"text": "Guessing"},
                ]},
            ],
        }, "Answer each question and check it.\n"),
        StarterScene("07-end.md", {"kind": "end", "title": "Well done"}, "You have finished the example course.\n"),
    ),
)
