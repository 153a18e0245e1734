"""A quiz: single-choice, multiple-choice, true-false, matching, ordering and fill-in questions, each scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from scormbuild.content.fields import Fields, Key, suggest
from scormbuild.errors import ContentError, Location, describe
from scormbuild.interactions import interaction_definition, interaction_id
from scormbuild.kinds.base import Inline, SceneKind, default_id, unique_ids
from scormbuild.model import Course, Scene
from scormbuild.state_keys import state_key

QuestionKind = Literal["single", "multiple", "true-false", "matching", "ordering", "fill-in"]
QUESTION_KINDS: tuple[str, ...] = ("single", "multiple", "true-false", "matching", "ordering", "fill-in")
MAX_PAIRS = 36  # SCORM 2004 keeps at most 36 matching pairs or sequencing steps in a response
MAX_ACCEPTED = 10
MAX_ACCEPTED_CHARS = 250  # one SCORM 2004 fill-in pattern (localized_string_type(250))
MAX_SCORM12_RESPONSE = 255  # SCORM 1.2 CMIFeedback

ANSWER_KEYS = (
    Key("id", "identifier", "The option's id. Default: a, b, c …"),
    Key("text", "text", "The option's text.", required=True),
    Key("correct", "boolean", "`true` for a right option.", default=False),
)
PAIR_KEYS = (
    Key("id", "identifier", "The pair's id, for its prompt and its answer in the LMS. Default: a, b, c …"),
    Key("prompt", "text", "What the learner matches.", required=True, example="Gifts"),
    Key("answer", "text", "Its right answer (offered to every prompt).", required=True,
        example="Politely declined and logged"),
)
ITEM_KEYS = (
    Key("id", "identifier", "The item's id. Default: a, b, c …"),
    Key("text", "text", "The item's text.", required=True, example="Listen"),
)
QUESTION_KEYS = (
    Key("id", "identifier", "The question's id. Default: q1, q2 …"),
    Key("kind", "text", "`single` (default), `multiple`, `true-false`, `matching`, `ordering` or `fill-in`.",
        default="single", json=(("enum", list(QUESTION_KINDS)),)),
    Key("text", "text", "The question.", required=True, example="Is it ever right to ...?"),
    Key("options", "items", "For single and multiple: the options, each with `text:` and `correct:`.",
        items=ANSWER_KEYS),
    Key("answer", "boolean", "For true-false: `true` or `false`."),
    Key("pairs", "items", f"For matching: 2 to {MAX_PAIRS} pairs, each a `prompt:` and its `answer:`.",
        items=PAIR_KEYS),
    Key("items", "items", f"For ordering: 2 to {MAX_PAIRS} items, each with `text:`, in the right order "
        "(the learner sees them shuffled).", items=ITEM_KEYS),
    Key("accepted", "texts", f"For fill-in: 1 to {MAX_ACCEPTED} accepted answers (compared trimmed, "
        f"and ignoring case unless `case_sensitive: true`), at most {MAX_ACCEPTED_CHARS} characters each."),
    Key("case_sensitive", "boolean", "For fill-in: `true` if the case of the letters counts.", default=False),
    Key("shuffle", "boolean", "`true` shows the options in a new random order each time the quiz is shown "
        "(always so for matching answers and ordering items).", default=False),
    Key("points", "integer", "Points for a right answer.", default=1, low=0, high=1000),
    Key("feedback_correct", "text", "Shown after “Correct.” when the answer is right."),
    Key("feedback_incorrect", "text", "Shown after “Incorrect.” when it is not."),
)
# Which list each kind of question takes (true-false and fill-in take none).
LIST_KEY = {"single": "options", "multiple": "options", "matching": "pairs", "ordering": "items"}
KIND_ONLY_KEYS = {"options": ("single", "multiple"), "answer": ("true-false",), "pairs": ("matching",),
                  "items": ("ordering",), "accepted": ("fill-in",), "case_sensitive": ("fill-in",)}


@dataclass(frozen=True)
class Option:
    """One answer option of a quiz question (a matching pair's prompt, an ordering item)."""

    id: str
    text: str
    correct: bool
    answer: str = ""  # a matching pair's answer


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    text: str
    options: tuple[Option, ...]  # choices; matching pairs; ordering items in the right order
    points: int
    feedback_correct: str
    feedback_incorrect: str
    location: Location
    accepted: tuple[str, ...] = ()
    case_sensitive: bool = False
    shuffle: bool = False

    @property
    def correct_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options if option.correct)


@dataclass
class QuizScene(Scene):
    questions: list[Question] = field(default_factory=list)


def _plural(key: str) -> str:
    return {"options": "options", "pairs": "pairs", "items": "items"}[key]


class Quiz(SceneKind):
    name = "quiz"
    order = 5
    doc = "Questions checked one by one, with feedback; each becomes an interaction and counts towards the score."
    model = QuizScene
    keys = (Key("questions", "items", "One or more questions.", required=True, items=QUESTION_KEYS),)
    leads_on = True
    interactions_in_order = False  # each question has its own Check button
    graph_shape = "component"
    graph_fill = "#e3f0fb"

    def build(self, fields: Fields, values: dict[str, Any], common: dict[str, Any], inline: Inline) -> Scene:
        items = values.get("questions")
        if items is not None:
            fields.check(bool(items), "questions", "a quiz needs at least one question")
        questions = [q for index, item in enumerate(items or [])
                     if (q := self.question(Fields(item, QUESTION_KEYS, "a question", fields.errors), index))]
        unique_ids([(q.id, q.location) for q in questions], "question", fields)
        return QuizScene(**common, questions=questions)

    @staticmethod
    def question(fields: Fields, index: int) -> Question | None:
        values = fields.read()
        kind = values.get("kind")
        if kind is not None and not fields.check(kind in QUESTION_KINDS, "kind",
                                                 f"unknown question kind `{describe(kind, 40)}`"
                                                 f"{suggest(kind[:100], set(QUESTION_KINDS))}",
                                                 "use single, multiple, true-false, matching, ordering or fill-in"):
            return None
        ok = True
        for key, kinds in KIND_ONLY_KEYS.items():
            if key in fields.data and kind not in kinds:
                message = ("a true-false question takes `answer: true` or `answer: false`, not options"
                           if kind == "true-false" and key == "options"
                           else f"`{key}:` is only for {' and '.join(kinds)} questions")
                ok = fields.check(False, key, message, Quiz.hint(kind)) and ok
        options: tuple[Option, ...] = ()
        accepted: tuple[str, ...] = ()
        if kind == "true-false":
            if ok:
                ok = fields.check(fields.has("answer"), None,
                                  "a true-false question needs `answer: true` or `answer: false`")
            answer = bool(values.get("answer"))
            options = (Option("true", "True", answer), Option("false", "False", not answer))
        elif kind == "fill-in":
            accepted = Quiz.accepted(fields, values, ok)
            ok = ok and bool(accepted)
        elif kind in LIST_KEY:
            read = Quiz.listed(fields, values, kind, ok)
            if read is None:
                return None
            ok, options = read
        if not ok or not {"id", "text", "points"} <= values.keys() or kind is None:
            return None
        return Question(id=values["id"] or f"q{index + 1}", kind=kind, text=values["text"], options=options,
                        points=values["points"] or 0, feedback_correct=values.get("feedback_correct") or "",
                        feedback_incorrect=values.get("feedback_incorrect") or "", location=fields.where(),
                        accepted=accepted, case_sensitive=bool(values.get("case_sensitive")),
                        shuffle=bool(values.get("shuffle")) or kind in ("matching", "ordering"))

    @staticmethod
    def hint(kind: str | None) -> str:
        return {"single": "mark the right option with `correct: true`",
                "multiple": "mark the right options with `correct: true`",
                "true-false": "write `answer: true` or `answer: false`",
                "matching": "write `pairs:`, each with `prompt:` and `answer:`",
                "ordering": "write `items:` in the right order",
                "fill-in": "write `accepted:` with the answers that count as right"}.get(kind or "", "")

    @staticmethod
    def accepted(fields: Fields, values: dict[str, Any], ok: bool) -> tuple[str, ...]:
        """A fill-in question's accepted answers; () when there is a problem (reported)."""
        if not fields.has("accepted"):
            if ok:
                fields.check(False, None, "a fill-in question needs `accepted:` answers",
                             "add a line like `accepted: [safeguarding lead, safeguarding officer]`")
            return ()
        if "accepted" not in values:  # not a list of texts: reported already
            return ()
        answers: list[str] = values["accepted"]
        good = fields.check(bool(answers) and all(answers), "accepted",
                            "a fill-in question needs at least one accepted answer, none of them empty")
        good = fields.check(len(answers) <= MAX_ACCEPTED, "accepted",
                            f"a fill-in question takes at most {MAX_ACCEPTED} accepted answers") and good
        long = next((a for a in answers if len(a) > MAX_ACCEPTED_CHARS), None)
        good = fields.check(long is None, "accepted",
                            f"the accepted answer `{describe(long or '', 40)}` is longer than "
                            f"{MAX_ACCEPTED_CHARS} characters", "the LMS keeps no longer answers") and good
        seen: set[str] = set()
        for answer in answers:
            same = answer if values.get("case_sensitive") else answer.casefold()
            good = fields.check(same not in seen, "accepted", f"the accepted answer `{describe(answer, 40)}` "
                                "is given twice", "write each answer once"
                                + ("" if values.get("case_sensitive") else " (case does not count)")) and good
            seen.add(same)
        return tuple(answers) if good else ()

    @staticmethod
    def listed(fields: Fields, values: dict[str, Any], kind: str, ok: bool) -> tuple[bool, tuple[Option, ...]] | None:
        """The options, pairs or items of a question; None when they cannot be counted (reported)."""
        key = LIST_KEY[kind]
        if not fields.has(key):
            if ok:
                fields.check(False, None, f"a {kind} question needs `{key}`",
                             f"add a line like `{key}: (a list of items, each starting with `- `)`")
            return None
        if key not in values:  # not a list: reported already
            return None
        items = values[key]
        reader = {"options": Quiz.option, "pairs": Quiz.pair, "items": Quiz.item}[key]
        what = {"options": "an answer option", "pairs": "a matching pair", "items": "an ordering item"}[key]
        options = tuple(option for i, item in enumerate(items)
                        if (option := reader(Fields(item, {"options": ANSWER_KEYS, "pairs": PAIR_KEYS,
                                                           "items": ITEM_KEYS}[key], what, fields.errors), i)))
        if len(options) < len(items):  # an item with a problem, reported already: nothing to count
            return None
        ok = fields.check(len(options) >= 2, key, f"a {kind} question needs at least two {_plural(key)}") and ok
        if key != "options":
            ok = fields.check(len(options) <= MAX_PAIRS, key,
                              f"a {kind} question can have at most {MAX_PAIRS} {_plural(key)}",
                              "split it into two questions") and ok
        unique_ids([(o.id, fields.where(key)) for o in options], {"options": "option", "pairs": "pair",
                                                                   "items": "item"}[key], fields)
        if kind == "matching":
            ok = Quiz.distinct(fields, [(o.text, item) for o, item in zip(options, items, strict=True)],
                               "prompt", "two pairs have the prompt") and ok
            ok = Quiz.distinct(fields, [(o.answer, item) for o, item in zip(options, items, strict=True)],
                               "answer", "two pairs have the answer") and ok
            response = ",".join(f"{o.id}.{o.id}" for o in options)
        elif kind == "ordering":
            ok = Quiz.distinct(fields, [(o.text, item) for o, item in zip(options, items, strict=True)],
                               "text", "two items have the text") and ok
            response = ",".join(o.id for o in options)
        else:
            response = ""
            right = sum(o.correct for o in options)
            if len(options) >= 2:
                ok = fields.check(right > 0 and (kind != "single" or right == 1), "options",
                                  f"a {kind}-choice question needs "
                                  f"{'exactly one' if kind == 'single' else 'at least one'} "
                                  f"option with `correct: true`") and ok
        ok = fields.check(len(response) <= MAX_SCORM12_RESPONSE, key,
                          f"the {_plural(key)}' ids make an answer longer than SCORM 1.2's "
                          f"{MAX_SCORM12_RESPONSE} characters", "give them shorter `id:`s") and ok
        return ok, options

    @staticmethod
    def distinct(fields: Fields, texts: list[tuple[str, Any]], key: str, message: str) -> bool:
        """Report each text written twice in one list, at the later item's line."""
        seen: set[str] = set()
        ok = True
        for text, item in texts:
            if text.casefold() in seen:
                fields.report(ContentError(item.where(key), f"{message} `{describe(text, 40)}`",
                                           "the learner could not tell them apart: make each one different"))
                ok = False
            seen.add(text.casefold())
        return ok

    @staticmethod
    def option(fields: Fields, index: int) -> Option | None:
        values = fields.read()
        if not fields.complete(values):
            return None
        return Option(values["id"] or default_id(index, "o"), values["text"], values["correct"])

    @staticmethod
    def pair(fields: Fields, index: int) -> Option | None:
        values = fields.read()
        if not fields.complete(values):
            return None
        return Option(values["id"] or default_id(index, "p"), values["prompt"], True, values["answer"])

    @staticmethod
    def item(fields: Fields, index: int) -> Option | None:
        values = fields.read()
        if not fields.complete(values):
            return None
        return Option(values["id"] or default_id(index, "i"), values["text"], True)

    def player_data(self, scene: QuizScene) -> dict[str, Any]:
        return {"questions": [{
            "id": q.id, "kind": q.kind, "text": q.text, "points": q.points,
            "feedbackCorrect": q.feedback_correct, "feedbackIncorrect": q.feedback_incorrect,
            "options": [{"id": o.id, "correct": o.correct} for o in q.options],
            "accepted": list(q.accepted), "caseSensitive": q.case_sensitive, "shuffle": q.shuffle,
            "key": state_key("question", scene.id, q.id), "interactionId": interaction_id(scene.id, q.id),
        } for q in scene.questions]}

    def interactions(self, course: Course, scene: QuizScene) -> dict[str, dict[str, Any]]:
        definitions = {}
        for question in scene.questions:
            common: dict[str, Any] = {"description": scene.title}
            if question.kind == "true-false":
                common.update(interaction="true-false", correct=[question.correct_ids[0]])
            elif question.kind == "matching":
                common.update(interaction="matching",
                              correct=["[,]".join(f"{o.id}[.]{o.id}" for o in question.options)],
                              source=[(o.id, o.text) for o in question.options],
                              target=[(o.id, o.answer) for o in question.options])
            elif question.kind == "ordering":
                common.update(interaction="sequencing", correct=["[,]".join(o.id for o in question.options)],
                              choices=[(o.id, o.text) for o in question.options])
            elif question.kind == "fill-in":
                prefix = "{case_matters=true}" if question.case_sensitive else ""
                common.update(interaction="fill-in", correct=[prefix + answer for answer in question.accepted])
            else:
                common.update(interaction="choice", correct=["[,]".join(question.correct_ids)],
                              choices=[(o.id, o.text) for o in question.options])
            definitions[interaction_id(scene.id, question.id)] = interaction_definition(
                course, question.text, kind=self.name, **common)
        return definitions

    def state_shape(self, scene: QuizScene) -> list[str]:
        return [f"{q.id}:{len(q.options)}" for q in scene.questions]


KIND = Quiz()
