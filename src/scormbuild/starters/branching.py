"""A branching decision scenario: a situation, a decision whose choices lead to different places
(one of them to a second decision), a consequence for each, and a way back to try again."""

from __future__ import annotations

from scormbuild.starters import Starter, StarterScene

STARTER = Starter(
    description="A branching scenario made by `scormbuild new --template branching`. Replace it with yours.",
    settings={"pass_mark": 70},
    scenes=(
        StarterScene("01-the-situation.md", {"kind": "page", "title": "The situation"}, """\
Set the scene in a few sentences: who the learner is, where they are, what is
happening. For example:

You are on the morning shift at a care home. The doorbell rings, and a man you
have never seen says he has come to take his aunt, Mrs Ahmed, out for lunch.

Continue leads to the decision. Each file in `scenes/` is one scene; its name
without the number is its id (`02-at-the-door.md` is `at-the-door`).
"""),
        StarterScene("02-at-the-door.md", {
            "kind": "decision",
            "title": "At the door",
            "choices": [
                {"id": "check", "text": "Ask for his name and check the visitors' list.", "correct": True,
                 "goto": "not-on-the-list"},
                {"id": "let-in", "text": "Let him in: he knows her name.", "goto": "let-in"},
                {"id": "turn-away", "text": "Tell him visitors are not allowed today.", "goto": "turned-away"},
            ],
        }, """\
The man smiles and says: "I'm her nephew, she's expecting me."

**What do you do?** Each choice goes to the scene named by its `goto:`; the right
one has `correct: true` and counts towards the pass mark.
"""),
        StarterScene("03-not-on-the-list.md", {
            "kind": "decision",
            "title": "He is not on the list",
            "choices": [
                {"id": "ask-mrs-ahmed", "text": "Ask Mrs Ahmed, and tell the nurse in charge, before anything else.",
                 "correct": True, "goto": "well-done"},
                {"id": "let-in-anyway", "text": "Let him in this once: he seems genuine.", "goto": "let-in"},
            ],
        }, """\
His name is not on Mrs Ahmed's visitors' list. A branch can lead to another
decision: the scenario goes on from the learner's choice.

**What now?**
"""),
        StarterScene("04-let-in.md", {
            "kind": "feedback",
            "title": "You let in someone you could not vouch for",
            "points": [
                "Anyone can know a resident's name.",
                "The visitors' list and the resident's own wishes protect people who may not be able to say no.",
            ],
            "options": [
                {"id": "try-again", "text": "Try the decision again", "goto": "at-the-door"},
                {"id": "continue", "text": "Continue", "goto": "end"},
            ],
        }, "Feedback shows what a choice led to. Its options can lead back, so the learner can try again.\n"),
        StarterScene("05-turned-away.md", {
            "kind": "feedback",
            "title": "Mrs Ahmed missed a visit she may have wanted",
            "points": ["Residents have a right to visitors; checking is safer than a blanket no."],
            "options": [
                {"id": "try-again", "text": "Try the decision again", "goto": "at-the-door"},
                {"id": "continue", "text": "Continue", "goto": "end"},
            ],
        }, "Turning everyone away is safe for you, not for the people you support.\n"),
        StarterScene("06-well-done.md", {
            "kind": "feedback",
            "title": "You kept Mrs Ahmed safe and listened to her",
            "next": "end",
            "points": ["You checked the list, asked the resident, and told the person in charge."],
        }, "That is what the policy asks of you.\n"),
        StarterScene("07-end.md", {"kind": "end", "title": "Scenario complete"}, """\
You have reached the end. The player adds the learner's result and their journey
through the scenario.
"""),
    ),
)
