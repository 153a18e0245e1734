/* runtime/common.js: durations, the back-off, which saved copy wins, rounding, response formats. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain } = require("./harness");

function common() { return load(["state.js", "runtime/common.js"]); }
const C = common().ScormbuildCommon;

test("SCORM 1.2 timespans and ISO 8601 durations round to hundredths before splitting", () => {
  const cases = [[0, "00:00:00.00", "PT0.00S"], [9996, "00:00:10.00", "PT10.00S"], [59999, "00:01:00.00", "PT1M0.00S"],
                 [3723450, "01:02:03.45", "PT1H2M3.45S"], [-5, "00:00:00.00", "PT0.00S"],
                 [100000 * 3600000, "9999:00:00.00", "PT100000H0.00S"]];
  for (const [ms, timespan, iso] of cases) {
    assert.equal(C.timespan12(ms), timespan, `${ms} ms`);
    assert.equal(C.isoDuration(ms), iso, `${ms} ms`);
  }
});

test("the back-off waits 1, 2, 4, 8, 15, then 30 s, one retry at a time, until reset", () => {
  const page = common();
  const backoff = new page.ScormbuildCommon.Backoff();
  const delays = [];
  let runs = 0;
  for (let i = 0; i < 8; i++) {
    assert.equal(backoff.schedule(() => { runs += 1; }), true);
    assert.equal(backoff.waiting(), true);
    assert.equal(backoff.schedule(() => { runs += 100; }), false, "a second retry waits for the first");
    delays.push(...page.timers.delays());
    assert.equal(backoff.lastDelay(), delays[delays.length - 1]);
    page.timers.runAll();
    assert.equal(backoff.waiting(), false);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 15000, 30000, 30000, 30000]);
  assert.equal(runs, 8);
  backoff.reset();
  backoff.schedule(() => {});
  assert.deepEqual(page.timers.delays(), [1000]);
  backoff.cancel();
  assert.deepEqual(page.timers.delays(), []);
  assert.equal(backoff.waiting(), false);
});

test("round4 rounds to four decimals", () => {
  assert.equal(C.round4(2 / 3), 0.6667);
  assert.equal(C.round4(0.57), 0.57);
  assert.equal(C.round4(1), 1);
});

test("newerState: the local copy wins only when newer, unfinished and usable", () => {
  const remote = { location: "a", suspendData: "S3~5~3~2~AAA~~~~", reflections: { r: "lms" }, entry: "resume" };
  const newer = { location: "b", suspendData: "S3~6~3~2~BBB~~~~", reflections: { r: "local" }, completed: false };
  assert.deepEqual(plain(C.newerState(remote, newer, true)),
                   { location: "b", suspendData: "S3~6~3~2~BBB~~~~", reflections: { r: "local" }, restoredLocally: true });
  const older = { ...newer, suspendData: "S3~4~3~2~BBB~~~~" };
  assert.deepEqual(plain(C.newerState(remote, older, true)),
                   { location: "a", suspendData: "S3~5~3~2~AAA~~~~", reflections: { r: "lms" } });
  assert.equal(C.newerState(remote, { ...newer, completed: true }, true).location, "a");
  assert.equal(C.newerState(remote, null, true).location, "a");
  // A new attempt (ab-initio) takes an older attempt's copy only if the LMS never confirmed it.
  const fresh = { location: "", suspendData: "", entry: "ab-initio" };
  assert.equal(C.newerState(fresh, newer, true).location, "");
  assert.equal(C.newerState(fresh, { ...newer, pending: true }, true).location, "b");
  // Without an LMS the local copy is all there is; S2 states compare by their own counter.
  assert.equal(C.newerState({ location: "", suspendData: "" }, newer, false).location, "b");
  assert.equal(C.newerState(remote, { ...newer, suspendData: "S2~abcd1234~6~0~B~~~" }, true).location, "b");
  assert.equal(C.newerState(remote, { ...newer, suspendData: "S2~abcd1234~5~0~B~~~" }, true).location, "a");
});

test("savedState keeps only well-formed fields of whatever was stored", () => {
  assert.deepEqual(plain(C.savedState({ location: 5, suspendData: "S3~1", reflections: { a: "x", b: 3 },
                                        sent: { completed: true, passed: "yes" }, completed: 1, pending: true })),
                   { location: "", suspendData: "S3~1", reflections: { a: "x" }, completed: false, pending: true,
                     sent: { completed: true, passed: false } });
});

test("encodeResponse writes each interaction type from a standard's table", () => {
  const formats = {
    "true-false": { type: "true-false", values: ["t", "f"] },
    choice: { type: "choice", delimiter: ",", id: (id) => id.toUpperCase() },
    text: { type: "fill-in", max: 5, encode: (text) => String(text).replace(/\n/g, "|") }
  };
  assert.equal(C.encodeResponse(formats, { type: "true-false" }, true), "t");
  assert.equal(C.encodeResponse(formats, { type: "true-false" }, false), "f");
  assert.equal(C.encodeResponse(formats, { type: "choice" }, ["a", "b"]), "A,B");
  assert.equal(C.encodeResponse(formats, { type: "text" }, "ab\ncd"), "ab|cd");
  assert.equal(C.encodeResponse(formats, { type: "text" }, "abcdefgh"), "abcd\u2026");
  assert.equal(C.encodeResponse({ ...formats, choice: { delimiter: "[,]" }, text: {} }, { type: "choice" }, ["a", "b"]), "a[,]b");
  assert.equal(C.encodeResponse({ ...formats, text: {} }, { type: "text" }, 42), "42");
});
