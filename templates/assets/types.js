/* The contracts between scormbuild's Python side, the player and the runtime adapters, as
 * JSDoc types. Types only: tsc reads this file (tsconfig.json); no package ships it.
 *
 * Course data: what src/scormbuild/player_data.py (course_data, scene_data, each kind's
 * player_data) and src/scormbuild/xapi_activities.py (player_xapi_data) write into the page's
 * #course-data. The same shapes are declared for Python in src/scormbuild/player_types.py;
 * tests/unit/runtime/test_contract.py compares the two, key by key.
 */

/* ---- Course data (Python -> player) ------------------------------------------------ */

/**
 * @typedef {"page" | "decision" | "dialogue" | "feedback" | "reflection" | "quiz" | "end"} SceneKind
 */

/**
 * A decision's choice (kinds/decision.py player_data).
 * @typedef {object} ChoiceData
 * @property {string} id
 * @property {string | null} goto     the scene this choice leads to; null: where Continue leads (the branches)
 * @property {boolean} correct
 * @property {number} score
 * @property {string} key      8 base64url characters; state.js S3 uses the first choiceKeyLength
 */

/**
 * @typedef {object} QuestionOptionData
 * @property {string} id       for true-false questions "true" or "false"
 * @property {boolean} correct
 */

/**
 * A quiz question (kinds/quiz.py player_data).
 * @typedef {object} QuestionData
 * @property {string} id
 * @property {"single" | "multiple" | "true-false" | "matching" | "ordering" | "fill-in"} kind
 * @property {string} text
 * @property {number} points
 * @property {string} feedbackCorrect
 * @property {string} feedbackIncorrect
 * @property {QuestionOptionData[]} options   matching: the pairs; ordering: the items in the right order
 * @property {string[]} accepted       fill-in: the accepted answers
 * @property {boolean} caseSensitive   fill-in: whether the case of the letters counts
 * @property {boolean} shuffle         options shown in a random order
 * @property {string} key
 * @property {string} interactionId   computed in Python (interactions.interaction_id); never rebuilt in JS
 */

/**
 * One scene as the player reads it. Every scene has the first six properties; the others
 * belong to one kind each. index is added by the player (the scene's position).
 * @typedef {object} SceneData
 * @property {string} id
 * @property {SceneKind | string} kind
 * @property {string} title
 * @property {string | null} next
 * @property {string} key
 * @property {number} [index]
 * @property {string} [interactionId]   decision and reflection
 * @property {number} [maxScore]        decision
 * @property {ChoiceData[]} [choices]   decision
 * @property {string | null} [reflection]  feedback: the reflection scene whose text its copy quotes
 * @property {number} [minLength]       reflection
 * @property {string | null} [selfCheckId]  reflection: the interaction id of "did your answer cover the points?"
 * @property {QuestionData[]} [questions]  quiz
 * @property {MediaData[]} [media]      any kind: its `video:` then `audio:` (media.js)
 * @property {BranchData[]} [branches]  any kind but end: where Continue leads while a condition holds
 */

/**
 * A compiled condition (content/conditions.py): ["and", a, b …], ["or", a, b …], ["not", a],
 * [op, left, right] with op one of == != < <= > >=, and operands ["var", name], ["score"],
 * ["passed"] or ["lit", value]. player.js `holds` evaluates it.
 * @typedef {any[]} ConditionData
 */

/**
 * @typedef {object} BranchData
 * @property {ConditionData} when
 * @property {string} goto
 */

/**
 * A course variable (course.yaml `variables:`).
 * @typedef {object} VariableData
 * @property {string} name
 * @property {"number" | "boolean" | string} type
 * @property {number | boolean} initial
 * @property {number | null} min   numbers: always given (the player keeps values within); yes/no: null
 * @property {number | null} max
 * @property {string} label   shown with its value in the end's journey ("" : not shown)
 * @property {string} key     state.js S3 uses the first stateKeyLength characters
 */

/**
 * A scene's video or audio (player_data.media_data).
 * @typedef {object} MediaData
 * @property {"video" | "audio"} type
 * @property {string} id              the media's xAPI activity IRI, under the scene's
 * @property {string} title
 * @property {boolean} requireComplete  Continue waits for the end (not in review, nor once done)
 */

/**
 * @typedef {SceneData & {questions: QuestionData[]}} QuizSceneData
 */

/**
 * xAPI data of a course (xapi_activities.player_xapi_data).
 * @typedef {object} XapiCourseData
 * @property {XapiActivity} course
 * @property {string} interactionBase   IRI prefix of interaction activities
 * @property {string} sceneBase         IRI prefix of scene activities
 * @property {Object<string, object>} interactions  activity definition by interaction id
 */

/**
 * @typedef {object} XapiActivity
 * @property {string} id
 * @property {"Activity"} objectType
 * @property {object} [definition]
 */

/**
 * The course data (player_data.py course_data).
 * @typedef {object} CourseData
 * @property {string} id
 * @property {string} title
 * @property {string} version
 * @property {string} language
 * @property {string} start
 * @property {number | null} passMark   percent
 * @property {"first-attempt" | "best-attempt" | "last-attempt" | string} scoring   which answer counts
 * @property {string} fingerprint       state.js S2
 * @property {string} legacyFingerprint
 * @property {number} stateKeyLength    0: save positionally (S2)
 * @property {number} choiceKeyLength
 * @property {string[]} mainPath
 * @property {Messages} messages
 * @property {string[]} languages   the interface languages bundled as assets/messages/<tag>.json
 * @property {number} reflectionMaxLength
 * @property {SceneData[]} scenes
 * @property {VariableData[]} variables
 * @property {XapiCourseData} xapi
 */

/** @typedef {Object<string, string>} Messages */

/* ---- Saved state (state.js) -------------------------------------------------------- */

/**
 * A learner's progress in memory. first: scene index -> choice index; quiz:
 * "scene index-question index" -> 0 | 1.
 * @typedef {object} PlayerState
 * @property {number} seq
 * @property {number | null} current
 * @property {number[]} visited
 * @property {Object<string, number>} first
 * @property {Object<string, number>} quiz
 * @property {number[]} reflected
 * @property {Object<string, number | boolean>} vars   variables whose value is not the initial one, by name
 * @property {boolean} [completed]
 */

/**
 * @typedef {object} StatePlan
 * @property {string[]} fingerprints
 * @property {number} sceneCount
 * @property {SceneData[]} scenes
 * @property {number} keyLength
 * @property {number} choiceKeyLength
 * @property {number[]} decisions
 * @property {string[]} questions
 * @property {number[]} reflections
 * @property {VariableData[]} variables
 * @property {Object<string, (kind: string, key: string) => any>} lookups
 */

/**
 * @typedef {object} StateApi
 * @property {(state: PlayerState, plan: StatePlan) => string} encode
 * @property {(text: string, plan: StatePlan) => PlayerState | null} decode
 * @property {(course: {scenes: SceneData[], fingerprint: string, legacyFingerprint?: string,
 *             stateKeyLength?: number, choiceKeyLength?: number, variables?: VariableData[]}) => StatePlan} layout
 * @property {(current: number | null) => PlayerState} empty
 * @property {(text: string) => number} seqOf
 * @property {number} KEYED_LIMIT
 */

/* ---- Scene-kind handlers (kinds/*.js) ---------------------------------------------- */

/**
 * What the player hands every kind handler.
 * @typedef {object} PlayerApi
 * @property {CourseData} course
 * @property {() => Messages} t               the interface texts (they change with the learner's language)
 * @property {(text: string, values: Object<string, any>) => string} format
 * @property {(value: number) => string} percent
 * @property {(sceneId: string) => HTMLElement} section
 * @property {(sceneId: string | null) => (SceneData | undefined)} scene   a scene's data by id
 * @property {(parent: ParentNode, selector: string) => any} find   an element of the page's own markup
 * @property {() => PlayerState} state
 * @property {() => Object<string, string>} reflections   texts by reflection scene id
 * @property {() => string} mode
 * @property {() => boolean} readOnly
 * @property {(scene: SceneData) => KindHandler} kindOf
 * @property {(rec: InteractionRecord) => void} record   timestamp and latency are added
 * @property {() => void} persist
 * @property {(sceneId: string) => void} show
 * @property {() => void} restartClock         latency of the next record counts from now
 * @property {(sceneId: string, text: string) => void} saveReflection
 * @property {() => {score: number | null, passed: boolean | null, passMark: number | null}} complete
 * @property {(answered: boolean, points: number, had: number) => boolean} counts  whether a new answer replaces
 *   the one that counts, by the course's scoring policy
 * @property {(scene: SceneData, choiceId: string, correct: boolean | null) => void} chose  the choice that leads on
 * @property {() => ({scene: string, choice: string, correct: boolean | null} | null)} takeChoice  the last
 *   decision's choice, once: the feedback scene that says whether it was right takes it
 * @property {() => string} learnerName   as the LMS or LRS gave it ("" if not)
 * @property {(fileName: string, title: string, meta: string[], bodyHtml: string) => void} download
 * @property {(text: unknown) => string} escapeHtml
 * @property {() => string} today   the date, written for the learner's language
 * @property {(scene: SceneData) => string} onward   where Continue leads: the first branch that holds, else next
 * @property {() => Object<string, number | boolean>} variables   every variable's value now, by name
 */

/**
 * One line of the end scene's summary, as a kind sums up a scene.
 * @typedef {object} SummaryEntry
 * @property {string} term               the scene's title
 * @property {string} detail             what the learner answered
 * @property {boolean | null} [verdict]  right or wrong, when the scene has a right answer
 * @property {string} [goto]             a scene to see again (a decision's feedback)
 * @property {string} [quote]            the learner's own text (a reflection)
 * @property {Element | null} [points]   model points to show beside it
 * @property {{text: string, verdict: boolean}[]} [results]   a quiz's questions, each right or wrong
 */

/**
 * One scene kind's behaviour; every member is optional (a kind with none behaves like a page).
 * @typedef {object} KindHandler
 * @property {(section: HTMLElement, scene: SceneData, api: PlayerApi) => void} [prepare]  before it is shown
 * @property {(section: HTMLElement, scene: SceneData, api: PlayerApi) => void} [shown]    once it is on screen
 * @property {(section: HTMLElement, scene: SceneData, api: PlayerApi) => void} [relabel]  the interface language
 *   changed while it is on screen: write again what it wrote itself (data-t texts change by themselves)
 * @property {(target: HTMLElement, section: HTMLElement, scene: SceneData, api: PlayerApi) => boolean} [click]
 * @property {(section: HTMLElement, scene: SceneData, api: PlayerApi) => void} [submit]
 * @property {(scene: SceneData, api: PlayerApi) => (SummaryEntry | null)} [summary]  its line on the end scene
 * @property {boolean} [keepsText]   the LMS's saved reflection texts for this kind are taken back
 */

/* ---- Runtime interface (window.ScormbuildRuntime) ---------------------------------- */

/**
 * An answer as the player records it.
 * @typedef {object} InteractionRecord
 * @property {string} id            the interactionId from the course data
 * @property {"choice" | "true-false" | "text" | "matching" | "sequencing" | "fill-in"} type
 * @property {string} description
 * @property {string[] | boolean | string | string[][]} response   matching: [source, target] pairs
 * @property {Array<string[] | boolean | string | string[][]> | null} patterns   correct responses
 * @property {string[]} [options]   choice ids (matching: the pairs' ids, ordering: the items'), in order
 * @property {boolean} [caseSensitive]   fill-in: the case of the letters counts
 * @property {"correct" | "incorrect" | "neutral"} result
 * @property {number} weighting
 * @property {number} points
 * @property {Date} [timestamp]
 * @property {number} [latencyMs]
 * @property {Object<string, number | boolean>} [variables]   the course's variables after the answer (xAPI:
 *   a result extension)
 */

/**
 * @typedef {object} ResultRecord
 * @property {boolean} completed
 * @property {number | null} scorePercent
 * @property {boolean | null} passed
 */

/**
 * What start() resolves to.
 * @typedef {object} LaunchResult
 * @property {boolean} [connected]
 * @property {boolean} [resumed]
 * @property {string} [mode]        "normal", "review" or "browse"
 * @property {boolean} [completed]
 * @property {string} [location]
 * @property {string} [suspendData]
 * @property {Object<string, string>} [reflections]
 * @property {string} [learnerName]
 * @property {string} [learnerId]
 * @property {number | null} [passMark]
 * @property {string} [language]
 * @property {boolean} [audioOff]
 * @property {boolean} [canExit]
 * @property {boolean} [ended]
 * @property {boolean} [restoredLocally]
 */

/** @typedef {(level: string, code: string) => void} StatusCallback */

/**
 * What the learner did with a video or audio (media.js), for the xAPI Video Profile.
 * @typedef {object} MediaEvent
 * @property {"initialized" | "played" | "paused" | "seeked" | "completed"} verb
 * @property {MediaData} media
 * @property {string} sessionId     one per showing of the scene
 * @property {number} time          seconds into the media (seeked: where it went)
 * @property {number} [timeFrom]    seeked: where it was
 * @property {number} length        seconds (0 before the browser knows)
 * @property {number} progress      0..1, the share of the media played
 * @property {string} playedSegments  "0[.]5.2[,]7[.]9.5" (Video Profile format)
 * @property {number} [durationMs]  completed: time since initialized
 */

/**
 * window.ScormbuildRuntime: the one interface the player talks to, whatever the standard.
 * @typedef {object} Runtime
 * @property {string} standard
 * @property {(course: CourseData, onStatus?: StatusCallback) => LaunchResult | Promise<LaunchResult>} start
 * @property {(rec: InteractionRecord) => void} recordInteraction
 * @property {(sceneId: string, text: string) => void} saveReflection
 * @property {(location: string, suspendData: string) => void} saveState
 * @property {(result: ResultRecord) => void} setResult
 * @property {() => any} commit
 * @property {() => void} pause
 * @property {(completed: boolean) => void} finish
 * @property {(completed: boolean) => Promise<string | null>} [exit]   xAPI and cmi5: end, then where to go
 * @property {(event: MediaEvent) => void} [recordMedia]   xAPI Video Profile statements; SCORM's data model has no place
 * @property {any} [rejected]
 * @property {any} [queue]
 * @property {Runtime} [xapi]
 */

/* ---- SCORM data models (runtime/scorm12.js, scorm2004.js) --------------------------- */

/** @typedef {[string, string | number]} Field  an element and its value */

/**
 * get/set on the LMS, as the session hands them to a data model.
 * @typedef {object} ScormIo
 * @property {(element: string) => string} get
 * @property {(element: string, value: any) => boolean} set
 */

/**
 * What the data model reads at launch.
 * @typedef {object} ScormLaunch
 * @property {string} [status]
 * @property {boolean} [completed]
 * @property {string} entry
 * @property {boolean} [resumed]
 * @property {string} [mode]
 * @property {string} [credit]
 * @property {string} location
 * @property {string} suspendData
 * @property {any} comments
 * @property {Object<string, string>} [reflections]
 * @property {string} [learnerId]
 * @property {string} [learnerName]
 * @property {string} [language]
 * @property {boolean} [audioOff]
 * @property {number | null} [passMark]
 */

/**
 * One SCORM version's element names and formats (scorm.js createSession(model)).
 * @typedef {object} ScormDataModel
 * @property {string} name
 * @property {string} apiName
 * @property {{init: string, get: string, set: string, commit: string, finish: string, error: string, errorString: string}} calls
 * @property {string} interactionsCount
 * @property {boolean} commitsOnlyChanges
 * @property {string} [language]
 * @property {(element: string, value: string, confirmed: string | undefined) => string | null} [otherValue]
 * @property {(element: string, value: string) => string} [replayValue]
 * @property {(io: ScormIo) => void} [settle]
 * @property {(get: (element: string) => string) => ScormLaunch} readLaunch
 * @property {(comments: any) => Object<string, string>} readReflections
 * @property {(launch: ScormLaunch) => Field[]} startFields
 * @property {(launch: ScormLaunch, mode: string) => Field[]} readOnlyFields
 * @property {(rec: InteractionRecord, n: number) => Field[]} interactionFields
 * @property {(io: ScormIo, sceneId: string, text: string, reflections: Object<string, string>) => boolean} writeReflection
 * @property {(location: string, suspendData: string) => Field[]} stateFields
 * @property {(result: ResultRecord) => Field[]} resultFields
 * @property {(completed: boolean) => Field[]} exitFields
 * @property {(sessionMs: number) => Field[]} sessionFields
 */

/**
 * How one standard writes a response of each interaction type (after scorm-again's
 * LearnerResponses): type is the standard's interaction type name; true-false has the words
 * for true and false; a choice its delimiter and how it writes an id; a text its length limit.
 * @typedef {{
 *   "true-false": {type: string, values: string[]},
 *   choice: ListFormat, sequencing: ListFormat, matching: ListFormat,
 *   text: TextFormat, "fill-in": TextFormat
 * }} ResponseFormats
 */

/**
 * Ids joined by a delimiter (choice, sequencing), or pairs of ids (matching: source, pair, target).
 * @typedef {{type: string, delimiter: string, pair?: string, id?: (id: string, rec: InteractionRecord) => string}} ListFormat
 */

/**
 * A text: encoded, at most max characters; caseMatters prefixes a pattern whose case counts.
 * @typedef {{type: string, max?: number, encode?: (text: any) => string, caseMatters?: string}} TextFormat
 */

/* ---- xAPI profiles (runtime/xapi.js, cmi5.js, xapi-mirror.js) ----------------------- */

/**
 * @typedef {object} XapiLaunch
 * @property {string} [endpoint]
 * @property {string | null} [auth]
 * @property {object} actor
 * @property {string} [registration]
 * @property {string} [activityId]
 * @property {string} [sessionId]
 * @property {string} [mode]
 * @property {boolean} [continuing]
 * @property {number | null} [passMark]
 * @property {number | null} [lmsMastery]
 * @property {string} [language]
 * @property {boolean} [audioOff]
 * @property {boolean} [canExit]
 * @property {string | null} [returnURL]
 * @property {string} [fetchUrl]
 * @property {any} [launchData]
 * @property {boolean} [ended]
 */

/**
 * What differs between the xAPI flavours on top of xapi-core.js createSession(profile).
 * @typedef {object} XapiProfile
 * @property {string} name
 * @property {boolean} keepsState        the learner's state goes to the LRS's State resource
 * @property {(course: CourseData) => XapiLaunch | null | Promise<XapiLaunch | null>} launch
 * @property {(statement: any, kind: string, launch: XapiLaunch) => void} [decorate]
 * @property {(resumed: boolean) => string} [startVerb]   default: "resumed" or "initialized"
 * @property {(factory: any, result: ResultRecord, durationMs: number, launch?: XapiLaunch) => any[]} [resultStatements]
 * @property {(factory: any, completed: boolean, durationMs: number, launch?: XapiLaunch, explicit?: boolean) => any[]} [exitStatements]
 */

/**
 * The LRS client as the Queue uses it (a fake one in tests/js).
 * @typedef {object} StatementSender
 * @property {(statements: any[], keepalive?: boolean) => Promise<number>} postStatements
 * @property {(statement: any) => Promise<number>} putStatement
 */

/* ---- Shared helpers (runtime/common.js, runtime/xapi-core.js) ---------------------- */

/**
 * @typedef {object} SavedCopy
 * @property {string} location
 * @property {string} suspendData
 * @property {Object<string, string>} [reflections]
 * @property {boolean} [completed]
 * @property {boolean} [pending]
 * @property {Object<string, boolean>} [sent]
 * @property {string} [entry]
 */

/**
 * window.ScormbuildCommon.
 * @typedef {object} CommonApi
 * @property {(ms: number) => {h: number, m: number, s: number}} clock
 * @property {(n: number, width: number) => string} pad
 * @property {(text: any, max: number) => string} truncate
 * @property {(ms: number) => string} isoDuration
 * @property {(ms: number) => string} timespan12
 * @property {new () => Backoff} Backoff
 * @property {(value: number) => number} round4
 * @property {new (parts: string[]) => {key: string, read: () => SavedCopy | null, write: (value: object) => void}} LocalBackup
 * @property {(value: any) => SavedCopy} savedState
 * @property {(remote: SavedCopy, local: SavedCopy | null, connected: boolean) => LaunchResult} newerState
 * @property {(text: any) => string} encodeText
 * @property {(value: any) => string} decodeText
 * @property {(language: string) => string} langTag
 * @property {(value: any) => string} decodeLangString
 * @property {(id: string) => string} choiceId2004
 * @property {(formats: ResponseFormats, rec: InteractionRecord, value: any, isPattern?: boolean) => string} encodeResponse
 * @property {(sceneId: string, text: string) => string} reflectionBlock
 * @property {(text: string) => string[][]} parseComments
 */

/**
 * @typedef {object} Backoff
 * @property {number} attempt
 * @property {(fn: () => void) => boolean} schedule
 * @property {() => boolean} waiting
 * @property {() => number} lastDelay
 * @property {() => void} cancel
 * @property {() => void} reset
 */

/**
 * window.ScormbuildXapi: what the xAPI profiles use of xapi-core.js.
 * @typedef {object} XapiApi
 * @property {new (endpoint: string, auth: string | null) => any} Client
 * @property {new (scope: string[], session: string, client: StatementSender, onStatus?: StatusCallback) => any} Queue
 * @property {(profile: XapiProfile) => Runtime} createSession
 * @property {(text: string | null) => object | null} parseActor
 * @property {(name: string) => {id: string, display: Object<string, string>}} verb
 * @property {(percent: number) => {scaled: number, raw: number, min: number, max: number}} scoreResult
 * @property {<T>(value: T) => T} clone
 */

/* ---- The globals each script sets or reads ----------------------------------------- */

/**
 * @typedef {typeof globalThis & {
 *   ScormbuildState?: StateApi,
 *   ScormbuildCommon?: CommonApi,
 *   ScormbuildScorm?: {createSession: (model: ScormDataModel) => Runtime, findApi: (win: Window, name: string) => any},
 *   ScormbuildXapi?: XapiApi,
 *   ScormbuildRuntime?: Runtime,
 *   ScormbuildRuntimeConfig?: {choiceLetters?: boolean},
 *   ScormbuildKinds?: Object<string, KindHandler>,
 *   ScormbuildPlayer?: object
 * }} ScormbuildRoot
 */
