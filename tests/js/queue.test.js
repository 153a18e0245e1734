/* runtime/xapi-core.js Queue: statements are stored before they are sent, sent in batches,
 * retried with back-off, kept when the credentials are refused, flushed with keepalive. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain, settle } = require("./harness");

/* An LRS client whose answers the test sets: status for postStatements, putStatus for PUTs. */
function fakeClient(status = 200) {
  const client = {
    status, putStatus: 204, posts: [], puts: [],
    postStatements(statements, keepalive) {
      client.posts.push({ ids: [...statements].map((s) => s.id), keepalive, size: JSON.stringify(statements).length });
      const answer = typeof client.status === "function" ? client.status(statements) : client.status;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    putStatement(statement) {
      client.puts.push(statement.id);
      const answer = typeof client.putStatus === "function" ? client.putStatus(statement) : client.putStatus;
      return Promise.resolve(answer);
    }
  };
  return client;
}

function queue(client, scope = ["xapi", "course", "mailto:ann@example.org", "reg"], session = "") {
  const page = load(["state.js", "runtime/common.js", "runtime/xapi-core.js"]);
  const statuses = [];
  const q = new page.ScormbuildXapi.Queue(scope, session, client, (level, code) => statuses.push(code));
  return { page, q, statuses, stored: () => JSON.parse(page.localStorage.getItem(q.key) || "[]").map((s) => s.id) };
}

const statement = (id, padding = "") => ({ id, verb: { id: "http://adlnet.gov/expapi/verbs/experienced" }, padding });

test("a statement is in localStorage before it is sent, and leaves it once acknowledged", async () => {
  const client = fakeClient(200);
  const { q, stored, statuses } = queue(client);
  q.add(statement("a"));
  q.add(statement("b"));
  assert.deepEqual(stored(), ["a", "b"]);
  assert.equal(client.posts.length, 0);
  const sending = q.flush();
  assert.deepEqual(stored(), ["a", "b"], "still stored while in flight");
  assert.deepEqual(plain(q.inFlight), ["a", "b"]);
  await sending;
  assert.deepEqual(stored(), []);
  assert.deepEqual(client.posts.map((p) => p.ids), [["a", "b"]]);
  assert.equal(client.posts[0].keepalive, true);
  assert.equal(statuses[statuses.length - 1], "lrs_saved");
});

test("a queue left by an earlier page is loaded and sent", async () => {
  const first = queue(fakeClient(500));
  first.q.add(statement("a"));
  const client = fakeClient(200);
  const again = new first.page.ScormbuildXapi.Queue(["xapi", "course", "mailto:ann@example.org", "reg"], "", client);
  assert.deepEqual(plain(again.items).map((s) => s.id), ["a"]);
  await again.flush();
  assert.deepEqual(client.posts.map((p) => p.ids), [["a"]]);
});

test("statements go in batches of 20", async () => {
  const client = fakeClient(200);
  const { q } = queue(client);
  for (let i = 0; i < 45; i++) q.add(statement("s" + i));
  await q.flush();
  assert.deepEqual(client.posts.map((p) => p.ids.length), [20, 20, 5]);
});

test("a failing LRS is retried with back-off; new statements wait for the retry", async () => {
  const client = fakeClient(503);
  const { page, q, stored, statuses } = queue(client);
  q.add(statement("a"));
  await q.flush();
  assert.deepEqual(page.timers.delays(), [1000]);
  assert.equal(statuses[statuses.length - 1], "lrs_retrying");
  q.add(statement("b"));
  await q.flush();
  assert.equal(client.posts.length, 1, "no send while the back-off holds");
  page.timers.runAll();
  await settle();
  assert.deepEqual(page.timers.delays(), [2000]);
  client.status = new Error("offline");  // a network error counts as a failure too
  page.timers.runAll();
  await settle();
  assert.deepEqual(page.timers.delays(), [4000]);
  client.status = 200;
  page.timers.runAll();
  await settle();
  assert.deepEqual(client.posts.map((p) => p.ids), [["a"], ["a", "b"], ["a", "b"], ["a", "b"]]);
  assert.deepEqual(stored(), []);
  assert.deepEqual(page.timers.delays(), []);
});

for (const status of [401, 403]) {
  test(`${status} stops the sending and keeps every statement`, async () => {
    const client = fakeClient(status);
    const { page, q, stored, statuses } = queue(client);
    q.add(statement("a"));
    await q.flush();
    assert.equal(q.stopped, true);
    assert.equal(statuses[statuses.length - 1], "lrs_auth");
    assert.deepEqual(page.timers.delays(), [], "no retry");
    q.add(statement("b"));
    await q.flush();
    q.flushOnExit();
    await q.drain();
    assert.equal(client.posts.length, 1);
    assert.deepEqual(stored(), ["a", "b"]);
  });
}

test("409 and 400 settle the batch one statement at a time", async () => {
  const client = fakeClient(409);
  client.putStatus = (s) => ({ a: 409, b: 204, c: 400, d: 500 })[s.id];
  const { page, q, stored } = queue(client);
  ["a", "b", "c", "d"].forEach((id) => q.add(statement(id)));
  await q.flush();
  assert.deepEqual(client.puts, ["a", "b", "c", "d"]);
  assert.deepEqual(stored(), ["d"], "stored already, stored, refused for good: settled; a failure stays");
  assert.deepEqual(plain(q.rejected).map((s) => s.id), ["c"]);
  assert.deepEqual(page.timers.delays(), [1000]);
});

test("a batch too big for keepalive is sent without it", async () => {
  const client = fakeClient(200);
  const { q } = queue(client);
  q.add(statement("big", "x".repeat(31000)));
  await q.flush();
  assert.equal(client.posts[0].keepalive, false);
});

test("flushOnExit hands what is not in flight to the browser with keepalive, within 60,000 bytes", async () => {
  const client = fakeClient(() => new Promise(() => {}));  // the first send never answers
  const { q, stored } = queue(client);
  q.add(statement("flying"));
  q.flush();
  for (let i = 0; i < 5; i++) q.add(statement("w" + i, "x".repeat(20000)));
  q.flushOnExit();
  const exit = client.posts[1];
  assert.equal(exit.keepalive, true);
  assert.deepEqual(exit.ids, ["w0", "w1"]);
  assert.ok(exit.size <= 60000);
  assert.equal(stored().length, 6, "kept until acknowledged");
});

test("drain resolves once the LRS has everything, retrying meanwhile", async () => {
  let failures = 2;
  const client = fakeClient(() => (failures-- > 0 ? 500 : 200));
  const { page, q, stored } = queue(client);
  q.add(statement("a"));
  let done = false;
  const draining = q.drain().then(() => { done = true; });
  for (let i = 0; i < 6 && !done; i++) {
    await settle();
    page.timers.runAll();
  }
  await draining;
  assert.deepEqual(stored(), []);
  assert.equal(client.posts.length, 3);
});

test("other sessions' queues of the same registration are dropped (cmi5)", () => {
  const scope = ["cmi5", "course", "mailto:ann@example.org", "reg"];
  const old = queue(fakeClient(), scope, "session-1");
  old.q.add(statement("old"));
  const current = new old.page.ScormbuildXapi.Queue(scope, "session-2", fakeClient());
  current.add(statement("new"));
  const other = new old.page.ScormbuildXapi.Queue(["cmi5", "course", "mailto:bob@example.org", "reg"], "s", fakeClient());
  other.add(statement("bob"));
  current.dropOtherSessions();
  assert.equal(old.page.warnings.length, 1);
  assert.equal(old.page.localStorage.getItem(old.q.key), null);
  assert.notEqual(old.page.localStorage.getItem(current.key), null);
  assert.notEqual(old.page.localStorage.getItem(other.key), null);
});
