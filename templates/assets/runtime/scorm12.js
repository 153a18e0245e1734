// @ts-check
/* SCORM 1.2 data model for the shared SCORM session (scorm.js). */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var S = root.ScormbuildScorm;
  var C = root.ScormbuildCommon;
  var MAX_TEXT = 255;       // CMIString255 / CMIFeedback
  var MAX_COMMENTS = 4096;  // cmi.comments is CMIString4096
  var MAX_SUSPEND = 4096;   // cmi.suspend_data is CMIString4096
  var MAX_WEIGHTING = 100;  // Moodle's range for interactions.n.weighting is -100..100
  var LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";
  var config = root.ScormbuildRuntimeConfig || {};

  var timespan = C.timespan12;

  /* CMITime: the time of day, HH:MM:SS. */
  function timeOfDay(date) {
    return C.pad(date.getHours(), 2) + ":" + C.pad(date.getMinutes(), 2) + ":" + C.pad(date.getSeconds(), 2);
  }

  /* A choice as the RTE writes it: the choice's id, or with --strict-scorm12 the single
   * character a-z, 0-9 of its position, for LMSs that check the RTE's format. */
  /** @param {InteractionRecord} rec @param {string} id */
  function choice(rec, id) {
    return config.choiceLetters ? LETTERS.charAt(rec.options.indexOf(id)) : id;
  }

  /* How SCORM 1.2 writes each kind of interaction (its type and its responses). */
  /** @type {ResponseFormats} */
  var RESPONSES = {
    "true-false": { type: "true-false", values: ["t", "f"] },
    choice: { type: "choice", delimiter: ",", id: function (id, rec) { return choice(rec, id); } },
    /* 1.2's matching is "source.target,..." and its sequencing "a,b,c" (RTE 3.4.4): the ids, or
     * with --strict-scorm12 single characters (a pair's prompt and answer share its position). */
    matching: { type: "matching", delimiter: ",", pair: ".", id: function (id, rec) { return choice(rec, id); } },
    sequencing: { type: "sequencing", delimiter: ",", id: function (id, rec) { return choice(rec, id); } },
    text: { type: "fill-in", max: MAX_TEXT, encode: C.encodeText },
    "fill-in": { type: "fill-in", max: MAX_TEXT, encode: C.encodeText }
  };

  /* For LMSs that replace cmi.comments: the newest reflections as blocks of cmi.comments,
   * within 4,096 characters; the older ones go after the state in cmi.suspend_data
   * ("<state>\n<blocks>"), as far as there is room. */
  function fitBlocks(reflections) {
    var blocks = Object.keys(reflections).map(function (id) { return C.reflectionBlock(id, reflections[id]); });
    var comments = [];
    while (blocks.length && comments.concat(blocks.slice(-1)).join("").length <= MAX_COMMENTS) {
      comments.unshift(blocks.pop());
    }
    return { comments: comments.join(""), rest: blocks };
  }

  /* A valid value other than value, for elements a retry must send again (see scorm.js). */
  var OTHER = { type: ["choice", "fill-in"], result: ["neutral", "correct"], lesson_status: ["incomplete", "browsed"],
                exit: ["suspend", ""] };
  function otherValue(element, value, confirmedValue) {
    if (confirmedValue !== undefined && confirmedValue !== value && element !== "cmi.comments") return confirmedValue;
    if (element === "cmi.comments") return commentsAppend ? null : "";  // appended to below instead
    var name = element.split(".").pop();
    if (OTHER[name]) return OTHER[name][0] === value ? OTHER[name][1] : OTHER[name][0];
    if (/^(weighting|raw|min|max)$/.test(name)) return value === "0" ? "1" : "0";
    if (/^(time|latency|session_time)$/.test(name)) return value === "00:00:00" ? "00:00:01" : "00:00:00";
    if (name === "id") return value === "x" ? "y" : "x";
    return value === "" ? "-" : "";
  }

  var doneStatuses = ["passed", "completed", "failed"];
  var commentsAppend = null;  // does this LMS append to cmi.comments (Moodle) or replace it?
  var overflow = [];          // reflection blocks kept in cmi.suspend_data (LMSs that replace comments)

  /** @type {ScormDataModel} */
  var model = {
    name: "scorm12",
    apiName: "API",
    calls: { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
             finish: "LMSFinish", error: "LMSGetLastError", errorString: "LMSGetErrorString" },
    interactionsCount: "cmi.interactions._count",
    commitsOnlyChanges: true,
    otherValue: otherValue,
    /* Where the LMS appends the comments, a line break appended makes them change (and the
     * reader skips it); elsewhere the value is set again. */
    replayValue: function (element, value) { return element === "cmi.comments" && commentsAppend ? "\n" : value; },
    /* Before a resend: find out how this LMS treats the comments, if no reflection has told yet
     * (setting "" appends nothing where the LMS appends, and empties them where it replaces). */
    settle: function (io) {
      var current = io.get("cmi.comments");
      if (commentsAppend !== null || !current) return;
      io.set("cmi.comments", "");
      commentsAppend = io.get("cmi.comments") === current;
      if (!commentsAppend) io.set("cmi.comments", current);
    },

    readLaunch: function (get) {
      var status = get("cmi.core.lesson_status");
      var entry = get("cmi.core.entry");
      var mastery = parseFloat(get("cmi.student_data.mastery_score"));
      var suspendData = get("cmi.suspend_data");
      var cut = suspendData.indexOf("\n");
      var spilled = cut < 0 ? "" : suspendData.slice(cut + 1);
      overflow = C.parseComments(spilled).map(function (b) { return C.reflectionBlock(b[0], b[1]); });
      return {
        status: status,
        completed: doneStatuses.indexOf(status) >= 0,
        entry: entry,
        resumed: entry === "resume",
        mode: get("cmi.core.lesson_mode"),
        credit: get("cmi.core.credit"),
        location: get("cmi.core.lesson_location"),
        suspendData: cut < 0 ? suspendData : suspendData.slice(0, cut),
        comments: spilled + get("cmi.comments"),
        learnerId: get("cmi.core.student_id"),
        learnerName: get("cmi.core.student_name"),
        language: get("cmi.student_preference.language"),
        audioOff: get("cmi.student_preference.audio") === "-1",
        passMark: mastery >= 0 && mastery <= 100 ? mastery : null
      };
    },

    readReflections: function (comments) {
      /** @type {Object<string, string>} */
      var out = {};
      C.parseComments(comments).forEach(function (block) { out[block[0]] = block[1]; });
      return out;
    },

    startFields: function (launch) {
      var fresh = ["not attempted", "browsed", ""].indexOf(launch.status) >= 0;
      return fresh ? [["cmi.core.lesson_status", "incomplete"]] : [];
    },

    /* Moodle's LMSFinish turns "not attempted" into "completed" before its own browse rule
     * runs (scorm_12.js:624-642): a preview must say "browsed" itself. */
    readOnlyFields: function (launch, mode) {
      return mode === "browse" && (launch.status === "not attempted" || launch.status === "")
        ? [["cmi.core.lesson_status", "browsed"]] : [];
    },

    interactionFields: function (rec, n) {
      var p = "cmi.interactions." + n + ".";
      var response = function (value) { return C.encodeResponse(RESPONSES, rec, value); };
      var patterns = (rec.patterns || []).map(/** @returns {Field} */ function (pattern, i) {
        return [p + "correct_responses." + i + ".pattern", response(pattern)];
      });
      /** @type {Field[]} */
      var head = [
        [p + "id", rec.id],
        [p + "type", (RESPONSES[rec.type] || RESPONSES.text).type],
        [p + "time", timeOfDay(rec.timestamp)],
        [p + "weighting", Math.min(rec.weighting, MAX_WEIGHTING)]
      ];
      return head.concat(patterns, [
        [p + "student_response", response(rec.response)],
        [p + "result", { correct: "correct", incorrect: "wrong", neutral: "neutral" }[rec.result]],
        [p + "latency", timespan(rec.latencyMs)]
      ]);
    },

    /* Send only the new block where the LMS appends (read back after the first one);
     * everything where it replaces. */
    writeReflection: function (io, sceneId, text, reflections) {
      if (commentsAppend === null) {
        var block = C.reflectionBlock(sceneId, text);
        var before = io.get("cmi.comments");
        if (!io.set("cmi.comments", block)) return false;
        var appended = io.get("cmi.comments") === before + block;
        if (appended && before === "") return true;  // appending to nothing is replacing: tell next time
        commentsAppend = appended;
        if (appended) return true;
      } else if (commentsAppend) {
        return io.set("cmi.comments", C.reflectionBlock(sceneId, text));
      }
      var fit = fitBlocks(reflections);
      overflow = fit.rest;
      return io.set("cmi.comments", fit.comments);  // the state written next carries the rest
    },

    stateFields: function (location, suspendData) {
      var spilled = overflow.slice();
      while (spilled.length && (suspendData + "\n" + spilled.join("")).length > MAX_SUSPEND) spilled.shift();
      return [["cmi.core.lesson_location", location],
              ["cmi.suspend_data", spilled.length ? suspendData + "\n" + spilled.join("") : suspendData]];
    },

    resultFields: function (result) {
      /** @type {Field[]} */
      var fields = [];
      if (result.scorePercent !== null) {
        fields.push(["cmi.core.score.min", 0], ["cmi.core.score.max", 100], ["cmi.core.score.raw", result.scorePercent]);
      }
      var status = result.passed === true ? "passed" : result.passed === false ? "failed" : "completed";
      if (result.completed) fields.push(["cmi.core.lesson_status", status]);
      return fields;
    },

    exitFields: function (completed) {
      return [["cmi.core.exit", completed ? "" : "suspend"]];
    },

    sessionFields: function (sessionMs) {
      return [["cmi.core.session_time", timespan(sessionMs)]];
    }
  };

  root.ScormbuildRuntime = S.createSession(model);
})(globalThis);
