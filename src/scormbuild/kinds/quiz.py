"""A quiz: single-choice, multiple-choice and true-false questions, each scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from scormbuild.content.fields import Fields, Key, suggest
from scormbuild.errors import Location, describe
from scormbuild.interactions import interaction_definition, interaction_id
from scormbuild.kinds.base import Inline, SceneKind, default_id, unique_ids
from scormbuild.model import Course, Scene
from scormbuild.state_keys import state_key

QuestionKind = Literal["single", "multiple", "true-false"]
QUESTION_KINDS: tuple[str, ...] = ("single", "multiple", "true-false")

ANSWER_KEYS = (
    Key("id", "identifier", "The option's id. Default: a, b, c …"),
    Key("text", "text", "The option's text.", required=True),
    Key("correct", "boolean", "`true` for a right option.", default=False),
)
QUESTION_KEYS = (
    Key("id", "identifier", "The question's id. Default: q1, q2 …"),
    Key("kind", "text", "`single` (default), `multiple` or `true-false`.", default="single",
        json=(("enum", list(QUESTION_KINDS)),)),
    Key("text", "text", "The question.", required=True, example="Is it ever right to ...?"),
    Key("options", "items", "For single and multiple: the options, each with `text:` and `correct:`.",
        items=ANSWER_KEYS),
    Key("answer", "boolean", "For true-false: `true` or `false`."),
    Key("points", "integer", "Points for a right answer.", default=1, low=0, high=1000),
    Key("feedback_correct", "text", "Shown after “Correct.” when the answer is right."),
    Key("feedback_incorrect", "text", "Shown after “Incorrect.” when it is not."),
)


@dataclass(frozen=True)
class Option:
    """One answer option of a quiz question."""

    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    text: str
    options: tuple[Option, ...]
    points: int
    feedback_correct: str
    feedback_incorrect: str
    location: Location

    @property
    def correct_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options if option.correct)


@dataclass
class QuizScene(Scene):
    questions: list[Question] = field(default_factory=list)


class Quiz(SceneKind):
    name = "quiz"
    order = 5
    doc = "Questions checked one by one, with feedback; each becomes an interaction and counts towards the score."
    model = QuizScene
    keys = (Key("questions", "items", "One or more questions.", required=True, items=QUESTION_KEYS),)
    leads_on = True
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
                                                 "use single, multiple or true-false"):
            return None
        if kind == "true-false":
            ok = fields.check("options" not in fields.data, "options",
                              "a true-false question takes `answer: true` or `answer: false`, not options")
            if ok:
                ok = fields.check(fields.has("answer"), None,
                                  "a true-false question needs `answer: true` or `answer: false`")
            answer = bool(values.get("answer"))
            options: tuple[Option, ...] = (Option("true", "True", answer), Option("false", "False", not answer))
        else:
            ok = fields.check("answer" not in fields.data, "answer", "`answer:` is only for true-false questions",
                              "mark the right options with `correct: true`")
            if not fields.has("options"):
                if ok:
                    fields.check(False, None, "a question needs `options`",
                                 "add a line like `options: (a list of items, each starting with `- `)`")
                return None
            if "options" not in values:  # not a list: reported already
                return None
            items = values["options"]
            options = tuple(option for i, item in enumerate(items)
                            if (option := Quiz.option(Fields(item, ANSWER_KEYS, "an answer option", fields.errors), i)))
            if len(options) < len(items):  # an option with a problem, reported already: nothing to count
                return None
            ok = fields.check(len(options) >= 2, "options", "a question needs at least two options") and ok
            unique_ids([(o.id, fields.where("options")) for o in options], "option", fields)
            right = sum(o.correct for o in options)
            if len(options) >= 2 and kind in ("single", "multiple"):
                ok = fields.check(right > 0 and (kind != "single" or right == 1), "options",
                                  f"a {kind}-choice question needs "
                                  f"{'exactly one' if kind == 'single' else 'at least one'} "
                                  f"option with `correct: true`") and ok
        if not ok or not {"id", "text", "points"} <= values.keys() or kind is None:
            return None
        return Question(id=values["id"] or f"q{index + 1}", kind=kind, text=values["text"], options=options,
                        points=values["points"] or 0, feedback_correct=values.get("feedback_correct") or "",
                        feedback_incorrect=values.get("feedback_incorrect") or "", location=fields.where())

    @staticmethod
    def option(fields: Fields, index: int) -> Option | None:
        values = fields.read()
        if not fields.complete(values):
            return None
        return Option(values["id"] or default_id(index, "o"), values["text"], values["correct"])

    def player_data(self, scene: QuizScene) -> dict[str, Any]:
        return {"questions": [{
            "id": q.id, "kind": q.kind, "text": q.text, "points": q.points,
            "feedbackCorrect": q.feedback_correct, "feedbackIncorrect": q.feedback_incorrect,
            "options": [{"id": o.id, "correct": o.correct} for o in q.options],
            "key": state_key("question", scene.id, q.id), "interactionId": interaction_id(scene.id, q.id),
        } for q in scene.questions]}

    def interactions(self, course: Course, scene: QuizScene) -> dict[str, dict[str, Any]]:
        definitions = {}
        for question in scene.questions:
            if question.kind == "true-false":
                definitions[interaction_id(scene.id, question.id)] = interaction_definition(
                    course, question.text, "true-false", self.name, description=scene.title,
                    correct=[question.correct_ids[0]])
            else:
                definitions[interaction_id(scene.id, question.id)] = interaction_definition(
                    course, question.text, "choice", self.name, description=scene.title,
                    correct=["[,]".join(question.correct_ids)],
                    choices=[(o.id, o.text) for o in question.options])
        return definitions

    def state_shape(self, scene: QuizScene) -> list[str]:
        return [f"{q.id}:{len(q.options)}" for q in scene.questions]


KIND = Quiz()
