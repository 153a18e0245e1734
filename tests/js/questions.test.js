/* Matching, ordering (sequencing) and fill-in answers as each standard writes them (quiz.js records
 * them; runtime/common.js encodeResponse with each standard's table of formats). */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain, settle, tinCan } = require("./harness");

const AT = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const BASE = { description: "Q", result: "incorrect", weighting: 1, points: 0, timestamp: AT, latencyMs: 1000 };
const RECORDS = {
  matching: { ...BASE, id: "quiz_match", type: "matching", options: ["gift-rule", "b", "c"],
              response: [["gift-rule", "b"], ["b", "gift-rule"], ["c", "c"]],
              patterns: [[["gift-rule", "gift-rule"], ["b", "b"], ["c", "c"]]] },
  sequencing: { ...BASE, id: "quiz_order", type: "sequencing", options: ["listen", "log-it", "report"],
                response: ["log-it", "listen", "report"], patterns: [["listen", "log-it", "report"]] },
  fillIn: { ...BASE, id: "quiz_who", type: "fill-in", options: [], caseSensitive: false,
            response: "{the} lead[,] or\nmanager", patterns: ["Safeguarding lead", "DSL"] },
  fillInCase: { ...BASE, id: "quiz_code", type: "fill-in", options: [], caseSensitive: true,
                response: "dsl", patterns: ["DSL"] }
};
const COURSE = { id: "course", version: "1", language: "en", scenes: [{ id: "quiz", title: "Quiz" }],
                 xapi: { course: { id: "https://example.org/course", objectType: "Activity", definition: {} },
                         interactionBase: "https://example.org/course/interactions/",
                         sceneBase: "https://example.org/course/scenes/", interactions: {} } };

function scorm(version, config) {
  const names = version === "1.2"
    ? ["LMSInitialize", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSFinish", "LMSGetLastError", "LMSGetErrorString"]
    : ["Initialize", "GetValue", "SetValue", "Commit", "Terminate", "GetLastError", "GetErrorString"];
  const data = { "cmi.interactions._count": "0", "cmi.core.entry": "ab-initio", "cmi.entry": "ab-initio",
                 "cmi.comments_from_learner._count": "0" };
  const sets = [];
  const api = {};
  api[names[0]] = () => "true";
  api[names[1]] = (element) => (element in data ? data[element] : "");
  api[names[2]] = (element, value) => { sets.push([element, String(value)]); data[element] = String(value); return "true"; };
  [3, 4].forEach((i) => { api[names[i]] = () => "true"; });
  api[names[5]] = () => "0";
  api[names[6]] = () => "";
  const file = version === "1.2" ? "runtime/scorm12.js" : "runtime/scorm2004.js";
  const page = load(["state.js", "runtime/common.js", "runtime/scorm.js", file],
                    version === "1.2" ? { API: api, ScormbuildRuntimeConfig: config } : { API_1484_11: api });
  page.ScormbuildRuntime.start(COURSE, () => {});
  return (rec) => {
    const before = sets.length;
    page.ScormbuildRuntime.recordInteraction(rec);
    const fields = Object.fromEntries(sets.slice(before).map(([e, v]) => [e.replace("cmi.interactions.0.", ""), v]));
    const response = fields.student_response === undefined ? fields.learner_response : fields.student_response;
    const patterns = Object.keys(fields).filter((e) => e.startsWith("correct_responses")).map((e) => fields[e]);
    return { type: fields.type, response, patterns };
  };
}

test("SCORM 2004: matching as source[.]target[,]..., sequencing as a[,]b, ids with underscores", () => {
  const write = scorm("2004");
  assert.deepEqual(write(RECORDS.matching), { type: "matching", response: "gift_rule[.]b[,]b[.]gift_rule[,]c[.]c",
                                              patterns: ["gift_rule[.]gift_rule[,]b[.]b[,]c[.]c"] });
  assert.deepEqual(write(RECORDS.sequencing), { type: "sequencing", response: "log_it[,]listen[,]report",
                                                patterns: ["listen[,]log_it[,]report"] });
});

test("SCORM 2004 fill-in: one blank (a typed [,] escaped), encoded text, case_matters only when case counts", () => {
  const write = scorm("2004");
  assert.deepEqual(write(RECORDS.fillIn), { type: "fill-in", response: "\u241b{the} lead[\u241b,] or\u2424manager",
                                            patterns: ["Safeguarding lead", "DSL"] });
  assert.deepEqual(write(RECORDS.fillInCase).patterns, ["{case_matters=true}DSL"]);
  assert.equal(write({ ...RECORDS.fillIn, response: "z".repeat(400) }).response.length, 250);
});

test("SCORM 1.2: matching as source.target, sequencing with commas, letters under --strict-scorm12, fill-in", () => {
  const write = scorm("1.2");
  assert.deepEqual(write(RECORDS.matching), { type: "matching", response: "gift-rule.b,b.gift-rule,c.c",
                                              patterns: ["gift-rule.gift-rule,b.b,c.c"] });
  assert.deepEqual(write(RECORDS.sequencing), { type: "sequencing", response: "log-it,listen,report",
                                                patterns: ["listen,log-it,report"] });
  const strict = scorm("1.2", { choiceLetters: true });
  assert.deepEqual(strict(RECORDS.matching), { type: "matching", response: "a.b,b.a,c.c", patterns: ["a.a,b.b,c.c"] });
  assert.deepEqual(strict(RECORDS.sequencing), { type: "sequencing", response: "b,a,c", patterns: ["a,b,c"] });
  assert.deepEqual(write(RECORDS.fillInCase), { type: "fill-in", response: "dsl", patterns: ["DSL"] });
  assert.equal(write({ ...RECORDS.fillIn, response: "z".repeat(400) }).response.length, 255);
});

test("xAPI: matching [.] and [,], sequencing [,], fill-in as typed", async () => {
  const { runtime, statements } = await tinCan(COURSE);
  [RECORDS.matching, RECORDS.sequencing, RECORDS.fillIn].forEach((rec) => runtime.recordInteraction(rec));
  await settle();
  const responses = statements().filter((s) => s.verb.id.endsWith("/answered")).map((s) => plain(s.result).response);
  assert.deepEqual(responses, ["gift-rule[.]b[,]b[.]gift-rule[,]c[.]c", "log-it[,]listen[,]report",
                               "{the} lead[,] or\nmanager"]);
});
