// @ts-check
/* Helpers every runtime adapter uses (SCORM and xAPI alike). */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /* A duration as whole hours, whole minutes and seconds, rounded to hundredths first
   * (rounding after splitting wrote "00:00:010.00" for 9,996 ms). */
  function clock(ms) {
    var cs = Math.round(Math.max(0, ms) / 10);
    return { h: Math.floor(cs / 360000), m: Math.floor((cs % 360000) / 6000), s: (cs % 6000) / 100 };
  }

  function pad(n, width) { var s = String(Math.floor(n)); while (s.length < width) s = "0" + s; return s; }

  /* At most max UTF-16 units, ending with an ellipsis when shortened; never splits a surrogate pair. */
  function truncate(text, max) {
    text = String(text);
    if (text.length <= max) return text;
    var end = max - 1;
    var last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    return text.slice(0, end) + "\u2026";
  }

  /* Back-off before the n-th retry (0-based) of a save the LMS or LRS did not take. */
  var RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  /** @param {number} attempt @returns {number} */
  function retryDelay(attempt) { return RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]; }

  /* One retry at a time, each later than the one before (RETRY_DELAYS_MS), until reset():
   * the SCORM commit retries and the xAPI statement queue share it. */
  /** @constructor */
  function Backoff() {
    this.attempt = 0;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
  }
  /* Run fn after the next delay, unless a retry is already waiting (returns false then). */
  /** @param {() => void} fn @returns {boolean} */
  Backoff.prototype.schedule = function (fn) {
    var self = this;
    if (this.timer) return false;
    var delay = retryDelay(this.attempt);
    this.attempt++;
    this.timer = setTimeout(function () { self.timer = null; fn(); }, delay);
    return true;
  };
  /** @returns {boolean} */
  Backoff.prototype.waiting = function () { return this.timer !== null; };
  /* The delay of the last retry scheduled (the first delay before any). */
  /** @returns {number} */
  Backoff.prototype.lastDelay = function () { return retryDelay(Math.max(0, this.attempt - 1)); };
  Backoff.prototype.cancel = function () { clearTimeout(this.timer); this.timer = null; };
  Backoff.prototype.reset = function () { this.attempt = 0; };

  /* A number rounded to 4 decimals, as xAPI scaled scores are written. */
  /** @param {number} value @returns {number} */
  function round4(value) { return Math.round(value * 10000) / 10000; }

  /* SCORM 1.2 CMITimespan: HH:MM:SS.SS (hours may grow to 4 digits). */
  function timespan12(ms) {
    var t = clock(ms);
    return pad(Math.min(t.h, 9999), 2) + ":" + pad(t.m, 2) + ":" + (t.s < 10 ? "0" : "") + t.s.toFixed(2);
  }

  /* ISO 8601 duration, as xAPI and SCORM 2004 write it. */
  function isoDuration(ms) {
    var t = clock(ms);
    return "PT" + (t.h ? t.h + "H" : "") + (t.m ? t.m + "M" : "") + t.s.toFixed(2) + "S";
  }

  /* ---- Values as LMSs accept them (src/scormbuild/runtime_values.py reads them back) ----
   * Moodle's and scorm-again's text patterns are "."-based: no line breaks, and a leading "{"
   * is taken for a language tag. Line breaks become U+2424; U+241B escapes a literal U+241B or
   * U+2424, a leading "{" and the line and paragraph separators (as "L" and "P"). */
  var NEWLINE = "\u2424", ESCAPE = "\u241b";
  var SEPARATORS = { "\u2028": "L", "\u2029": "P" };
  var UNSEPARATORS = { L: "\u2028", P: "\u2029" };

  /* Line breaks as "\n"; characters no LMS stores (NUL, U+FFFE, U+FFFF) left out. */
  function normaliseText(text) {
    // eslint-disable-next-line no-control-regex -- NUL is the point: no LMS stores it
    return String(text).replace(/\r\n?/g, "\n").replace(/[\u0000\ufffe\uffff]/g, "");
  }

  function encodeText(text) {
    var chars = normaliseText(text).split("");
    return chars.map(function (c, i) {
      if (c === ESCAPE || c === NEWLINE || (c === "{" && i === 0)) return ESCAPE + c;
      if (c === "\n") return NEWLINE;
      if (SEPARATORS[c]) return ESCAPE + SEPARATORS[c];
      return c;
    }).join("");
  }

  function decodeText(value) {
    var out = "";
    value = String(value);
    for (var i = 0; i < value.length; i++) {
      var c = value.charAt(i);
      if (c === ESCAPE && i + 1 < value.length) { i++; c = value.charAt(i); out += UNSEPARATORS[c] || c; }
      else if (c === ESCAPE) continue;
      else out += c === NEWLINE ? "\n" : c;
    }
    return out;
  }

  /* A SCORM 2004 localized string: {lang=xx} then the encoded text (the tag also lets a
   * text start with "{"). Language tags the LMS patterns would refuse are left out. */
  function langTag(language) {
    return /^([a-zA-Z]{2,3}|i|x)(-[a-zA-Z0-9-]{2,8})?$/.test(language || "") ? "{lang=" + language + "}" : "";
  }

  function decodeLangString(value) { return decodeText(String(value).replace(/^\{lang=[^}]*\}/, "")); }

  /* SCORM 2004 short identifiers (Moodle: [A-Za-z0-9_.]); authored ids never contain "_". */
  function choiceId2004(id) { return String(id).replace(/-/g, "_"); }

  /* SCORM 1.2 cmi.comments: each reflection as "[scene-id:length]\n<text>\n"; a later block
   * for a scene replaces an earlier one. Blocks without a length (older packages) are read up
   * to the next block. */
  var BLOCK_HEADER = /\[([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)(?::(\d{1,6}))?\]\n/g;

  function reflectionBlock(sceneId, text) {
    text = normaliseText(text);
    return "[" + sceneId + ":" + text.length + "]\n" + text + "\n";
  }

  function headerAt(text, position) {
    BLOCK_HEADER.lastIndex = position;
    var m = BLOCK_HEADER.exec(text);
    return m && m.index === position ? m : null;
  }

  function parseComments(text) {
    text = String(text || "");
    var blocks = [];
    var position = 0;
    for (;;) {
      BLOCK_HEADER.lastIndex = position;
      var m = BLOCK_HEADER.exec(text);
      if (!m) return blocks;
      var start = m.index + m[0].length;
      var body = null;
      if (m[2] !== undefined) {
        var end = start + parseInt(m[2], 10);
        var after = end;
        while (text.charAt(after) === "\n") after++;  // one line break ends a block; more may follow
        if (after > end && (after === text.length || headerAt(text, after))) {
          body = text.slice(start, end);
          position = after;
        }
      }
      if (body === null) {  // no length, or one that does not fit: up to the next block
        var next = start;
        var found = -1;
        while ((next = text.indexOf("\n[", next)) >= 0) {
          if (headerAt(text, next + 1)) { found = next + 1; break; }
          next += 1;
        }
        var stop = found < 0 ? text.length : found;
        body = text.slice(start, stop).replace(/\n+$/, "");
        position = stop;
      }
      blocks.push([m[1], body]);
    }
  }

  /* Local copy of the learner's state, so that work survives saves the LMS or
   * LRS refused or lost. Keyed by standard, course, version and learner. */
  function LocalBackup(parts) {
    this.key = "scormbuild:" + parts.join(":");
  }
  LocalBackup.prototype.read = function () {
    var value;
    try { value = JSON.parse(root.localStorage.getItem(this.key)); } catch (e) { return null; }
    return value && typeof value === "object" ? savedState(value) : null;
  };

  /* A saved state (local backup, xAPI State document) as the player expects it, whatever was
   * stored: another package on the same origin, or an LRS, may hold anything under the key. */
  function savedState(value) {
    var plain = function (v) { return v && typeof v === "object" && !Array.isArray(v); };
    var text = function (v) { return typeof v === "string" ? v : ""; };
    /** @type {Object<string, string>} */
    var reflections = {};
    /** @type {Object<string, boolean>} */
    var sent = {};
    if (plain(value.reflections)) {
      Object.keys(value.reflections).forEach(function (id) {
        if (typeof value.reflections[id] === "string") reflections[id] = value.reflections[id];
      });
    }
    if (plain(value.sent)) Object.keys(value.sent).forEach(function (verb) { sent[verb] = value.sent[verb] === true; });
    return { location: text(value.location), suspendData: text(value.suspendData), reflections: reflections,
             completed: value.completed === true, pending: value.pending === true, sent: sent };
  }
  LocalBackup.prototype.write = function (value) {
    try { root.localStorage.setItem(this.key, JSON.stringify(value)); } catch (e) { /* storage full or blocked */ }
  };

  /* Pick what the learner continues from: the LMS's/LRS's saved state, or the local backup.
   * The local copy is used when there is no LMS, or when it is newer than the LMS's copy of
   * the same attempt. A new attempt (ab-initio) is the LMS's decision: an older attempt's
   * backup comes back then only if it holds work the LMS never confirmed (pending). */
  function newerState(remote, local, connected) {
    var seqOf = root.ScormbuildState.seqOf;  // the save counter inside an encoded state (state.js)
    var localIsNewer = local && !local.completed && seqOf(local.suspendData) > seqOf(remote.suspendData);
    var usable = !connected || (remote.entry === "ab-initio" ? !!(local && local.pending) : true);
    if (localIsNewer && usable) {
      return { location: local.location, suspendData: local.suspendData,
               reflections: local.reflections || remote.reflections || {}, restoredLocally: true };
    }
    return { location: remote.location, suspendData: remote.suspendData, reflections: remote.reflections || {} };
  }

  /* A learner's response as one standard writes it, from that standard's table of formats
   * (ResponseFormats in types.js; the shape of scorm-again's LearnerResponses): true-false as
   * its two words, a choice or a sequence as ids joined by the delimiter, matching pairs as
   * source and target joined by the pair's delimiter, a text encoded and shortened. A fill-in
   * pattern (isPattern) carries the format's prefix when case matters. */
  /**
   * @param {ResponseFormats} formats
   * @param {InteractionRecord} rec
   * @param {boolean | string[] | string | string[][]} value
   * @param {boolean} [isPattern]
   * @returns {string}
   */
  function encodeResponse(formats, rec, value, isPattern) {
    if (rec.type === "true-false") return formats["true-false"].values[value ? 0 : 1];
    if (rec.type === "choice" || rec.type === "sequencing" || rec.type === "matching") {
      var list = formats[rec.type];
      var id = function (/** @type {string} */ choiceId) { return list.id ? list.id(choiceId, rec) : choiceId; };
      return /** @type {Array<string | string[]>} */ (value).map(function (item) {
        return typeof item === "string" ? id(item) : id(item[0]) + list.pair + id(item[1]);
      }).join(list.delimiter);
    }
    var text = rec.type === "fill-in" ? formats["fill-in"] : formats.text;
    var encoded = text.encode ? text.encode(value) : String(value);
    var prefix = isPattern && rec.caseSensitive && text.caseMatters ? text.caseMatters : "";
    return prefix + (text.max ? truncate(encoded, text.max) : encoded);
  }

  var api = {
    clock: clock, pad: pad, truncate: truncate, isoDuration: isoDuration, timespan12: timespan12,
    Backoff: Backoff, round4: round4,
    LocalBackup: LocalBackup, savedState: savedState, newerState: newerState,
    encodeText: encodeText, decodeText: decodeText, langTag: langTag, decodeLangString: decodeLangString,
    choiceId2004: choiceId2004, encodeResponse: encodeResponse,
    reflectionBlock: reflectionBlock, parseComments: parseComments
  };
  root.ScormbuildCommon = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(globalThis);
