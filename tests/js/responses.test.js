/* Each standard's interactions as the LMS or LRS receives them, through the runtime interface
 * (window.ScormbuildRuntime) with a fake LMS API or a fake LRS. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain, settle, tinCan: launchTinCan } = require("./harness");

const COURSE = { id: "course", version: "1", language: "en", scenes: [{ id: "pick", title: "Pick" }],
                 xapi: { course: { id: "https://example.org/course", objectType: "Activity", definition: {} },
                         interactionBase: "https://example.org/course/interactions/",
                         sceneBase: "https://example.org/course/scenes/", interactions: {} } };

const AT = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const RECORDS = {
  choice: { id: "pick", type: "choice", description: "Pick\n one", response: ["b-2"], patterns: [["a-1"], ["c-3"]],
            options: ["a-1", "b-2", "c-3"], result: "incorrect", weighting: 10, points: 0, timestamp: AT, latencyMs: 61500 },
  trueFalse: { id: "quiz_q1", type: "true-false", description: "True?", response: false, patterns: [true],
               options: ["true", "false"], result: "incorrect", weighting: 1, points: 0, timestamp: AT, latencyMs: 1000 },
  multiple: { id: "quiz_q2", type: "choice", description: "Which?", response: ["a", "c"], patterns: [["a", "c"]],
              options: ["a", "b", "c"], result: "correct", weighting: 2, points: 2, timestamp: AT, latencyMs: 2000 },
  text: { id: "think", type: "text", description: "Think", response: "{line one\nline two", patterns: null,
          result: "neutral", weighting: 0, points: 0, timestamp: AT, latencyMs: 3000 }
};

/* An LMS API object (SCORM 1.2 or 2004 names) that takes everything and remembers it. */
function fakeLms(calls, values) {
  const data = { "cmi.interactions._count": "0", ...values };
  const sets = [];
  const commits = { ok: true, count: 0 };
  const api = {};
  api[calls.init] = () => "true";
  api[calls.get] = (element) => (element in data ? data[element] : "");
  api[calls.set] = (element, value) => { sets.push([element, value]); data[element] = value; return "true"; };
  api[calls.commit] = () => { commits.count += 1; return commits.ok ? "true" : "false"; };
  api[calls.finish] = () => "true";
  api[calls.error] = () => "0";
  api[calls.errorString] = () => "";
  return { api, sets, commits };
}

const CALLS_12 = { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
                   finish: "LMSFinish", error: "LMSGetLastError", errorString: "LMSGetErrorString" };
const CALLS_2004 = { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
                     finish: "Terminate", error: "GetLastError", errorString: "GetErrorString" };

function scorm12(config) {
  const lms = fakeLms(CALLS_12, { "cmi.core.lesson_status": "not attempted", "cmi.core.entry": "ab-initio",
                                  "cmi.core.lesson_mode": "normal", "cmi.core.credit": "credit" });
  const page = load(["state.js", "runtime/common.js", "runtime/scorm.js", "runtime/scorm12.js"],
                    { API: lms.api, ScormbuildRuntimeConfig: config });
  page.ScormbuildRuntime.start(COURSE, () => {});
  return { page, lms, runtime: page.ScormbuildRuntime };
}

function scorm2004() {
  const lms = fakeLms(CALLS_2004, { "cmi.completion_status": "unknown", "cmi.entry": "ab-initio", "cmi.mode": "normal",
                                    "cmi.credit": "credit", "cmi.comments_from_learner._count": "0" });
  const statuses = [];
  const page = load(["state.js", "runtime/common.js", "runtime/scorm.js", "runtime/scorm2004.js"], { API_1484_11: lms.api });
  page.ScormbuildRuntime.start({ ...COURSE, language: "en-GB" }, (level, code) => statuses.push(code));
  return { page, lms, statuses, runtime: page.ScormbuildRuntime };
}

/* The interaction elements set for one record, without the "cmi.interactions.0." prefix. */
function interaction(session, rec) {
  const before = session.lms.sets.length;
  session.runtime.recordInteraction(rec);
  return session.lms.sets.slice(before).map(([element, value]) => [element.replace("cmi.interactions.0.", ""), value]);
}

const localTime = (date) => [date.getHours(), date.getMinutes(), date.getSeconds()]
  .map((n) => String(n).padStart(2, "0")).join(":");

test("SCORM 1.2 writes a decision's choice with its correct responses in the RTE's order", () => {
  assert.deepEqual(interaction(scorm12(), RECORDS.choice), [
    ["id", "pick"], ["type", "choice"], ["time", localTime(AT)], ["weighting", "10"],
    ["correct_responses.0.pattern", "a-1"], ["correct_responses.1.pattern", "c-3"],
    ["student_response", "b-2"], ["result", "wrong"], ["latency", "00:01:01.50"]
  ]);
});

test("SCORM 1.2 responses: t/f, ids joined by commas, letters under --strict-scorm12, text encoded", () => {
  const pick = (fields, name) => fields.filter(([element]) => element === name || element.startsWith("correct_responses"))
    .map(([, value]) => value);
  assert.deepEqual(pick(interaction(scorm12(), RECORDS.trueFalse), "student_response"), ["t", "f"]);
  assert.deepEqual(pick(interaction(scorm12(), RECORDS.multiple), "student_response"), ["a,c", "a,c"]);
  assert.deepEqual(pick(interaction(scorm12({ choiceLetters: true }), RECORDS.multiple), "student_response"), ["a,c", "a,c"]);
  assert.deepEqual(pick(interaction(scorm12({ choiceLetters: true }), RECORDS.choice), "student_response"), ["a", "c", "b"]);
  const text = interaction(scorm12(), { ...RECORDS.text, response: "x".repeat(300) });
  assert.deepEqual(text.filter(([e]) => e === "type" || e === "student_response").map(([, v]) => v.length),
                   ["fill-in".length, 255]);
  assert.deepEqual(pick(interaction(scorm12(), RECORDS.text), "student_response"), ["\u241b{line one\u2424line two"]);
});

test("SCORM 2004 writes ids with underscores, [,] between choices, localized descriptions", () => {
  assert.deepEqual(interaction(scorm2004(), RECORDS.choice), [
    ["id", "pick"], ["type", "choice"], ["description", "{lang=en-GB}Pick one"], ["timestamp", "2026-01-02T03:04:05.67Z"],
    ["weighting", "10"], ["correct_responses.0.pattern", "a_1"], ["correct_responses.1.pattern", "c_3"],
    ["learner_response", "b_2"], ["result", "incorrect"], ["latency", "PT1M1.50S"]
  ]);
  const value = (fields, name) => fields.find(([element]) => element === name)[1];
  assert.equal(value(interaction(scorm2004(), RECORDS.trueFalse), "learner_response"), "false");
  assert.equal(value(interaction(scorm2004(), RECORDS.trueFalse), "correct_responses.0.pattern"), "true");
  assert.equal(value(interaction(scorm2004(), RECORDS.multiple), "learner_response"), "a[,]c");
  const text = interaction(scorm2004(), RECORDS.text);
  assert.equal(value(text, "type"), "long-fill-in");
  assert.equal(value(text, "learner_response"), "\u241b{line one\u2424line two");
  assert.equal(value(interaction(scorm2004(), { ...RECORDS.text, response: "y".repeat(400) }), "learner_response").length, 250);
});

test("a commit the LMS refuses is retried with the shared back-off", () => {
  const session = scorm2004();
  session.lms.commits.ok = false;
  session.runtime.commit();
  assert.deepEqual(session.page.timers.delays(), [1000]);
  assert.equal(session.statuses[session.statuses.length - 1], "retrying");
  session.runtime.commit();  // a retry already waits
  assert.deepEqual(session.page.timers.delays(), [1000]);
  session.page.timers.runAll();
  assert.deepEqual(session.page.timers.delays(), [2000]);
  session.lms.commits.ok = true;
  session.page.timers.runAll();
  assert.deepEqual(session.page.timers.delays(), []);
  assert.equal(session.statuses[session.statuses.length - 1], "saved");
  session.lms.commits.ok = false;
  session.runtime.commit();
  assert.deepEqual(session.page.timers.delays(), [1000], "a confirmed commit resets the back-off");
});

function tinCan() { return launchTinCan(COURSE); }

async function answered(rec) {
  const session = await tinCan();
  session.runtime.recordInteraction(rec);
  await settle();
  const statement = session.statements().find((s) => s.verb.id.endsWith("/answered"));
  return plain(statement.result);
}

test("xAPI starts with initialized (the default start verb) and names its verbs by ADL id", async () => {
  const session = await tinCan();
  assert.equal(session.launch.connected, true);
  const [first] = session.statements();
  assert.deepEqual(plain(first.verb), { id: "http://adlnet.gov/expapi/verbs/initialized", display: { "en-US": "initialized" } });
  assert.deepEqual(plain(first.actor), { objectType: "Agent", name: "Ann", mbox: "mailto:ann@example.org" });
});

test("xAPI responses: true/false, [,] between choices, text as written; scaled scores to 4 decimals", async () => {
  assert.deepEqual(await answered(RECORDS.trueFalse),
                   { response: "false", duration: "PT1.00S", success: false, score: { raw: 0, min: 0, max: 1, scaled: 0 } });
  assert.deepEqual(await answered({ ...RECORDS.multiple, weighting: 3 }),
                   { response: "a[,]c", duration: "PT2.00S", success: true, score: { raw: 2, min: 0, max: 3, scaled: 0.6667 } });
  assert.deepEqual(await answered(RECORDS.choice).then((r) => r.response), "b-2");
  assert.deepEqual(await answered(RECORDS.text), { response: "{line one\nline two", duration: "PT3.00S" });
});

test("xAPI result statements: completed, then passed with the scaled score", async () => {
  const session = await tinCan();
  session.runtime.setResult({ completed: true, scorePercent: 57, passed: true });
  await settle();
  const verbs = session.statements().map((s) => s.verb.id.split("/").pop());
  assert.deepEqual(verbs, ["initialized", "completed", "passed"]);
  assert.deepEqual(plain(session.statements()[2].result.score), { scaled: 0.57, raw: 57, min: 0, max: 100 });
});
