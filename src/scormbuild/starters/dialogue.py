"""A dialogue-led scenario: characters declared in course.yaml speak in speech bubbles; a decision
sets a variable, and the last dialogue's `branches:` choose the ending from it."""

from __future__ import annotations

from scormbuild.starters import Starter, StarterScene

STARTER = Starter(
    description="A dialogue-led scenario made by `scormbuild new --template dialogue`. Replace it with yours.",
    settings={
        "pass_mark": 50,
        "characters": [
            {"id": "alex", "name": "Alex", "role": "New support worker"},
            {"id": "morgan", "name": "Morgan", "role": "Team leader"},
        ],
        "variables": {
            "asked_for_help": {"initial": False, "label": "Asked for help"},
        },
    },
    scenes=(
        StarterScene("01-first-shift.md", {
            "kind": "dialogue",
            "title": "Your first shift",
            "lines": [
                {"text": "It is 8 o'clock on Alex's first morning. Morgan is showing them round."},
                {"speaker": "morgan", "text": "Welcome! The morning medication round starts in ten minutes."},
                {"speaker": "alex", "text": "I did the training last week, but I've never done it *for real*."},
                {"speaker": "morgan", "text": "That's fine. Shout if anything looks wrong."},
            ],
        }, "A dialogue shows its lines one after the other, then Continue. A line without `speaker:` is narration.\n"),
        StarterScene("02-the-chart.md", {
            "kind": "decision",
            "title": "Something looks wrong",
            "speech": [
                {"speaker": "alex", "text": "This chart says 5 mg, but the box says 50 mg…"},
            ],
            "choices": [
                {"id": "ask", "text": "Stop, and ask Morgan to check with you.", "correct": True,
                 "set": {"asked_for_help": True}, "goto": "end-of-shift"},
                {"id": "guess", "text": "Give the dose on the chart: it is probably a typing mistake.",
                 "goto": "end-of-shift"},
            ],
        }, "Speech lines in a decision are shown before its choices. **What should Alex do?**\n"),
        StarterScene("03-end-of-shift.md", {
            "kind": "dialogue",
            "title": "End of the shift",
            "lines": [
                {"speaker": "morgan", "if": "asked_for_help",
                 "text": "Good call this morning. The chart was wrong, and the pharmacy has fixed it."},
                {"speaker": "morgan", "if": "not asked_for_help",
                 "text": "The chart was wrong this morning. Next time, stop and ask before you give anything."},
                {"speaker": "alex", "text": "Thanks, Morgan."},
            ],
            "branches": [
                {"if": "asked_for_help", "goto": "well-done"},
            ],
            "next": "revisit",
        }, """\
Lines with `if:` are shown only while their condition holds: here, what Morgan
says depends on the variable `asked_for_help`, which the right choice set. The
`branches:` choose where Continue leads: the first whose `if:` holds, else `next:`.
"""),
        StarterScene("04-well-done.md", {"kind": "end", "title": "Well done"}, """\
You stopped and asked. In medication, a question is never a nuisance.
"""),
        StarterScene("05-revisit.md", {"kind": "end", "title": "Worth another look"}, """\
When something on a chart looks wrong, stop and ask before you act. Try the
scenario again to see the other way it can go.
"""),
    ),
)
