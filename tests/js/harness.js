/* Loads the player's scripts (templates/assets) into a fresh context, as a page would: each
 * script is an IIFE over globalThis. The context gets fakes for what a browser has (storage,
 * timers under the test's control, fetch when a test gives one). */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ASSETS = path.join(__dirname, "..", "..", "templates", "assets");

/* A Storage over a Map (localStorage, sessionStorage). */
function fakeStorage() {
  const items = new Map();
  return {
    get length() { return items.size; },
    key(i) { return Array.from(items.keys())[i] ?? null; },
    getItem(k) { return items.has(k) ? items.get(k) : null; },
    setItem(k, v) { items.set(k, String(v)); },
    removeItem(k) { items.delete(k); },
    clear() { items.clear(); }
  };
}

/* setTimeout that only records: the test runs what is due with run() or next(). */
function fakeTimers() {
  let id = 0;
  const pending = new Map();
  return {
    pending,
    setTimeout(fn, ms) { id += 1; pending.set(id, { fn, ms }); return id; },
    clearTimeout(handle) { pending.delete(handle); },
    /* The delays waiting, in the order they were set. */
    delays() { return Array.from(pending.values()).map((t) => t.ms); },
    /* Run every timer waiting now (not those they set). */
    runAll() {
      const due = Array.from(pending.entries());
      due.forEach(([handle]) => pending.delete(handle));
      due.forEach(([, t]) => t.fn());
    }
  };
}

/**
 * @param {string[]} scripts paths under templates/assets, in page order
 * @param {object} [globals] what the context has besides the defaults
 */
function load(scripts, globals = {}) {
  const timers = fakeTimers();
  const warnings = [];
  const quiet = { log: console.log, warn: (...args) => warnings.push(args.join(" ")), error: (...args) => warnings.push(args.join(" ")) };
  const context = {
    console: quiet, warnings, URL, URLSearchParams, AbortController, TextEncoder, crypto: globalThis.crypto,
    localStorage: fakeStorage(), sessionStorage: fakeStorage(),
    setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout,
    ...globals
  };
  vm.createContext(context);
  for (const name of scripts) {
    vm.runInContext(fs.readFileSync(path.join(ASSETS, name), "utf8"), context, { filename: name });
  }
  context.timers = timers;
  return context;
}

/* A value from the context as plain data (its arrays and objects have the context's prototypes). */
function plain(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

/* Let pending promise callbacks run. */
function settle() { return new Promise((resolve) => setImmediate(resolve)); }

/* An LRS that takes every statement; the Tin Can adapter launched against it with `course`. */
async function tinCan(course) {
  const requests = [];
  const fetch = (url, options) => {
    const request = { url, method: options.method, keepalive: options.keepalive,
                      body: options.body === undefined ? undefined : JSON.parse(options.body) };
    requests.push(request);
    const status = options.method === "GET" ? 404 : options.method === "POST" ? 200 : 204;
    return Promise.resolve({ status, ok: status < 300, text: () => Promise.resolve("") });
  };
  const actor = JSON.stringify({ name: ["Ann"], mbox: ["mailto:ann@example.org"] });
  const search = "?endpoint=" + encodeURIComponent("https://lrs.example.org/xapi") + "&actor=" + encodeURIComponent(actor);
  const page = load(["state.js", "runtime/common.js", "runtime/xapi-core.js", "runtime/xapi.js"],
                    { fetch, location: { search, origin: "https://example.org", href: "https://example.org/" } });
  const launch = await page.ScormbuildRuntime.start(course, () => {});
  await settle();
  const statements = () => requests.filter((r) => r.method === "POST").flatMap((r) => r.body);
  return { page, runtime: page.ScormbuildRuntime, launch, requests, statements };
}

module.exports = { load, plain, settle, tinCan, fakeStorage, ASSETS };
