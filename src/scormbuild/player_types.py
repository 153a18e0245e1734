"""The player data's shape on the Python side: the same names and keys as the JSDoc typedefs in
templates/assets/types.js, which TypeScript checks the player against. A test compares the two
declarations key by key, and the data a build emits against both."""

from __future__ import annotations

from typing import Any, TypedDict


class ChoiceData(TypedDict):
    id: str
    goto: str | None
    correct: bool | None
    score: int
    key: str


class QuestionOptionData(TypedDict):
    id: str
    correct: bool


class QuestionData(TypedDict):
    id: str
    kind: str
    text: str
    points: int
    feedbackCorrect: str
    feedbackIncorrect: str
    options: list[QuestionOptionData]
    accepted: list[str]
    caseSensitive: bool
    shuffle: bool
    key: str
    interactionId: str


class MediaData(TypedDict):
    type: str
    id: str
    title: str
    requireComplete: bool


class BranchData(TypedDict):
    when: list[Any]
    goto: str


class VariableData(TypedDict):
    name: str
    type: str
    initial: int | bool
    min: int | None
    max: int | None
    label: str
    key: str


class _SceneCommon(TypedDict):
    id: str
    kind: str
    title: str
    next: str | None
    key: str


class SceneData(_SceneCommon, total=False):
    """Every scene has the common keys; the others belong to one kind each (its ``player_data``)."""

    interactionId: str
    maxScore: int
    choices: list[ChoiceData]
    reflection: str | None
    minLength: int
    selfCheckId: str | None
    questions: list[QuestionData]
    media: list[MediaData]
    branches: list[BranchData]


class XapiActivity(TypedDict):
    id: str
    objectType: str
    definition: dict[str, Any]


class XapiCourseData(TypedDict):
    course: XapiActivity
    interactionBase: str
    sceneBase: str
    interactions: dict[str, dict[str, Any]]


class CourseData(TypedDict):
    id: str
    title: str
    version: str
    language: str
    start: str
    passMark: int | None
    scoring: str
    fingerprint: str
    legacyFingerprint: str
    stateKeyLength: int
    choiceKeyLength: int
    mainPath: list[str]
    messages: dict[str, str]
    languages: list[str]
    reflectionMaxLength: int
    scenes: list[SceneData]
    variables: list[VariableData]
    xapi: XapiCourseData
