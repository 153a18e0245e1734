/* state.js: the saved-progress formats S3 (by key) and S2 (by position), and seqOf. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain } = require("./harness");

const S = load(["state.js"]).ScormbuildState;

/* A course as render.course_data writes it, trimmed to what state.js reads. */
function course(overrides = {}) {
  return {
    fingerprint: "abcd1234", legacyFingerprint: "0ld0ld00", stateKeyLength: 3, choiceKeyLength: 2,
    scenes: [
      { id: "intro", kind: "page", key: "AAAAAAAA" },
      { id: "pick", kind: "decision", key: "BBBBBBBB",
        choices: [{ id: "yes", key: "CCCCCCCC" }, { id: "no", key: "DDDDDDDD" }, { id: "maybe", key: "EEEEEEEE" }] },
      { id: "think", kind: "reflection", key: "FFFFFFFF" },
      { id: "quiz", kind: "quiz", key: "GGGGGGGG",
        questions: [{ id: "q1", key: "HHHHHHHH" }, { id: "q2", key: "IIIIIIII" }] },
      { id: "end", kind: "end", key: "JJJJJJJJ" }
    ],
    ...overrides
  };
}

const progress = () => ({ seq: 41, current: 3, visited: [0, 1, 2, 3], first: { 1: 2 }, quiz: { "3-0": 1, "3-1": 0 },
                          reflected: [2], vars: {} });

test("S3 names scenes, choices and questions by key and reads them back", () => {
  const plan = S.layout(course());
  const text = S.encode(progress(), plan);
  assert.equal(text, "S3~15~3~2~GGG~AAABBBFFFGGG~BBBEE~HHH2III1~FFF");
  assert.deepEqual(plain(S.decode(text, plan)), progress());
});

test("S3 keeps what still exists in an updated course and drops the rest", () => {
  const text = S.encode(progress(), S.layout(course()));
  const updated = course();
  updated.scenes.splice(2, 1);  // the reflection is gone; the quiz moves up
  const back = plain(S.decode(text, S.layout(updated)));
  assert.equal(back.current, 2);
  assert.deepEqual(back.visited, [0, 1, 2]);
  assert.deepEqual(back.first, { 1: 2 });
  assert.deepEqual(back.quiz, { "2-0": 1, "2-1": 0 });
  assert.deepEqual(back.reflected, []);
});

test("S2 is written when the course has no unique keys, and read back", () => {
  const plan = S.layout(course({ stateKeyLength: 0, choiceKeyLength: 0 }));
  const text = S.encode(progress(), plan);
  assert.equal(text, "S2~abcd1234~15~3~P~3~21~B");
  assert.deepEqual(plain(S.decode(text, plan)), progress());
});

/* A course with variables: a yes/no, a number with bounds and a plain number. */
const VARIABLES = [
  { name: "told", type: "boolean", initial: false, min: null, max: null, label: "", key: "VVVVVVVV" },
  { name: "trust", type: "number", initial: 0, min: -5, max: 5, label: "", key: "WWWWWWWW" },
  { name: "count", type: "number", initial: 2, min: -999999, max: 999999, label: "", key: "XXXXXXXX" }
];

test("variables other than their initial value are saved by key in S3 and by position in S2", () => {
  const state = { ...progress(), vars: { told: true, trust: -3 } };
  const keyed = S.layout(course({ variables: VARIABLES }));
  const text = S.encode(state, keyed);
  assert.equal(text, "S3~15~3~2~GGG~AAABBBFFFGGG~BBBEE~HHH2III1~FFF~VVVt,WWW-3");
  assert.deepEqual(plain(S.decode(text, keyed)), state);
  const positional = S.layout(course({ variables: VARIABLES, stateKeyLength: 0, choiceKeyLength: 0 }));
  const s2 = S.encode({ ...state, vars: { count: 1000 } }, positional);
  assert.equal(s2, "S2~abcd1234~15~3~P~3~21~B~,,rs");
  assert.deepEqual(plain(S.decode(s2, positional)).vars, { count: 1000 });
});

test("a course without variables saves as before, and reads a state written before variables existed", () => {
  assert.equal(S.encode(progress(), S.layout(course())), "S3~15~3~2~GGG~AAABBBFFFGGG~BBBEE~HHH2III1~FFF");
  const keyed = S.layout(course({ variables: VARIABLES }));
  assert.deepEqual(plain(S.decode("S3~15~3~2~GGG~AAABBBFFFGGG~BBBEE~HHH2III1~FFF", keyed)), progress());
});

test("saved values that no longer fit a variable (type, bounds, gone) are dropped", () => {
  const keyed = S.layout(course({ variables: VARIABLES }));
  const back = plain(S.decode("S3~15~3~2~GGG~~~~~VVV7,WWW9,XXX!,ZZZ1,WWW", keyed));
  assert.deepEqual(back.vars, {});
  const positional = S.layout(course({ variables: VARIABLES, stateKeyLength: 0, choiceKeyLength: 0 }));
  assert.deepEqual(plain(S.decode("S2~abcd1234~15~3~P~~~~t,-9,zzzzz,1", positional)).vars, { told: true });
});

test("S2 of the legacy fingerprint is read; of another course is not", () => {
  const plan = S.layout(course());
  assert.equal(S.decode("S2~0ld0ld00~5~1~D~2~~", plan).seq, 5);
  assert.equal(S.decode("S2~ffffffff~5~1~D~2~~", plan), null);
});

test("a state longer than KEYED_LIMIT is written positionally", () => {
  const many = course();
  for (let i = 0; i < 1100; i++) many.scenes.push({ id: "p" + i, kind: "page", key: ("K" + i + "xxxxxxx").slice(0, 8) });
  const plan = S.layout(many);
  const state = { ...progress(), visited: many.scenes.map((_, i) => i) };
  const text = S.encode(state, plan);
  assert.ok(text.startsWith("S2~abcd1234~15~"), text.slice(0, 20));
  assert.deepEqual(plain(S.decode(text, plan)).visited, state.visited);
});

test("damaged or foreign text decodes to null", () => {
  const plan = S.layout(course());
  for (const bad of ["", "S3~x", "S3~1~3~2~abc~ab~~~", "S3~1~9~2~abc~~~~", "hello", "S1~a~b", "S2~abcd1234~1~0~!~~~",
                     "S2~abcd1234~1~99~B~~~", "S2~abcd1234~1~0~B~9~~"]) {
    assert.equal(S.decode(bad, plan), null, bad);
  }
});

test("seqOf reads the save counter of either format, -1 for no state", () => {
  assert.equal(S.seqOf("S3~15~3~2~GGG~~~~"), 41);
  assert.equal(S.seqOf("S2~abcd1234~1z~3~P~~~"), 71);
  assert.equal(S.seqOf("S3~zz?~3"), 1295);
  assert.equal(S.seqOf("S3~!~3"), 0);
  assert.equal(S.seqOf(""), -1);
  assert.equal(S.seqOf(null), -1);
  assert.equal(S.seqOf("S3~1"), -1);
});

test("a variable named like an object's own property (constructor) is saved only when set", () => {
  const odd = [{ name: "constructor", type: "number", initial: 0, min: -999999, max: 999999, label: "", key: "VVVVVVVV" }];
  const plan = S.layout(course({ variables: odd }));
  assert.equal(S.encode(progress(), plan), "S3~15~3~2~GGG~AAABBBFFFGGG~BBBEE~HHH2III1~FFF~");
  const positional = S.layout(course({ variables: odd, stateKeyLength: 0, choiceKeyLength: 0 }));
  assert.equal(S.encode(progress(), positional), "S2~abcd1234~15~3~P~3~21~B~");
});
