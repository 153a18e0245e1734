// @ts-check
/* SCORM 2004 4th edition data model for the shared SCORM session (scorm.js).
 *
 * What Moodle's runtime refuses although SCORM allows it is mapped reversibly (common.js,
 * src/scormbuild/runtime_values.py): hyphens in choice ids, line breaks in text, a leading "{".
 */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var S = root.ScormbuildScorm;
  var C = root.ScormbuildCommon;
  var MAX_COMMENT = 4000;      // localized_string_type(4000)
  var MAX_SHORT_TEXT = 250;    // localized_string_type(250); the reflection's text is whole in the comment
  var MAX_COMMENTS_READ = 1000;

  /* timeinterval (second,10,2): an ISO 8601 duration. */
  var duration = C.isoDuration;

  /* time (second,10,0): YYYY-MM-DDThh:mm:ss.ssZ, hundredths at most. */
  function timestamp(date) {
    return date.toISOString().replace(/(\.\d\d)\dZ$/, "$1Z");
  }

  /* How SCORM 2004 writes each kind of interaction (its type and its responses). */
  /** @type {ResponseFormats} */
  var RESPONSES = {
    "true-false": { type: "true-false", values: ["true", "false"] },
    choice: { type: "choice", delimiter: "[,]", id: C.choiceId2004 },
    matching: { type: "matching", delimiter: "[,]", pair: "[.]", id: C.choiceId2004 },
    sequencing: { type: "sequencing", delimiter: "[,]", id: C.choiceId2004 },
    text: { type: "long-fill-in", max: MAX_SHORT_TEXT, encode: C.encodeText },
    /* One blank: a "[,]" the learner typed would split it into several, so it is written "[␛,]". */
    "fill-in": { type: "fill-in", max: MAX_SHORT_TEXT, caseMatters: "{case_matters=true}",
                 encode: function (text) { return C.encodeText(text).split("[,]").join("[\u241b,]"); } }
  };

  /* A localized string: {lang=..} and the text encoded, within max characters of text. */
  function langString(text, max) {
    return C.langTag(model.language) + C.truncate(C.encodeText(text), max);
  }

  /** @type {ScormDataModel} */
  var model = {
    name: "scorm2004",
    apiName: "API_1484_11",
    calls: { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
             finish: "Terminate", error: "GetLastError", errorString: "GetErrorString" },
    interactionsCount: "cmi.interactions._count",
    commitsOnlyChanges: false,  // Moodle's 2004 runtime sends everything that differs from the launch values
    language: "",

    readLaunch: function (get) {
      var comments = [];
      // A buggy LMS could claim two billion comments: read no more than a course can have written.
      var count = Math.min(parseInt(get("cmi.comments_from_learner._count"), 10) || 0, MAX_COMMENTS_READ);
      for (var i = 0; i < count; i++) {
        comments.push({ location: get("cmi.comments_from_learner." + i + ".location"),
                        comment: get("cmi.comments_from_learner." + i + ".comment") });
      }
      var status = get("cmi.completion_status");
      var entry = get("cmi.entry");
      var passing = parseFloat(get("cmi.scaled_passing_score"));
      var fresh = entry === "ab-initio";  // nothing saved: location and suspend_data have no value (403)
      return {
        status: status,
        completed: status === "completed",
        entry: entry,
        resumed: entry === "resume",
        mode: get("cmi.mode"),
        credit: get("cmi.credit"),
        location: fresh ? "" : get("cmi.location"),
        suspendData: fresh ? "" : get("cmi.suspend_data"),
        comments: comments,
        learnerId: get("cmi.learner_id"),
        learnerName: get("cmi.learner_name"),
        language: get("cmi.learner_preference.language"),
        audioOff: parseFloat(get("cmi.learner_preference.audio_level")) === 0,
        passMark: passing >= 0 && passing <= 1 ? Math.round(passing * 10000) / 100 : null
      };
    },

    /* Each reflection is one comment_from_learner with the scene id as its location;
     * a later comment for the same scene replaces an earlier one. */
    readReflections: function (comments) {
      /** @type {Object<string, string>} */
      var out = {};
      comments.forEach(function (c) { if (c.location) out[c.location] = C.decodeLangString(c.comment); });
      return out;
    },

    startFields: function (launch) {
      return launch.status === "unknown" || launch.status === "not attempted" || launch.status === ""
        ? [["cmi.completion_status", "incomplete"]] : [];
    },

    readOnlyFields: function () { return []; },

    interactionFields: function (rec, n) {
      var p = "cmi.interactions." + n + ".";
      var response = function (value) { return C.encodeResponse(RESPONSES, rec, value); };
      var patterns = (rec.patterns || []).map(/** @returns {Field} */ function (pattern, i) {
        return [p + "correct_responses." + i + ".pattern", C.encodeResponse(RESPONSES, rec, pattern, true)];
      });
      /** @type {Field[]} */
      var head = [
        [p + "id", rec.id],
        [p + "type", (RESPONSES[rec.type] || RESPONSES.text).type],
        [p + "description", langString(rec.description.replace(/\s+/g, " "), MAX_SHORT_TEXT)],
        [p + "timestamp", timestamp(rec.timestamp)],
        [p + "weighting", rec.weighting]
      ];
      return head.concat(patterns, [
        [p + "learner_response", response(rec.response)], [p + "result", rec.result],
        [p + "latency", duration(rec.latencyMs)]
      ]);
    },

    writeReflection: function (io, sceneId, text) {
      var n = parseInt(io.get("cmi.comments_from_learner._count"), 10) || 0;
      var p = "cmi.comments_from_learner." + n + ".";
      var comment = langString(text, MAX_COMMENT - C.langTag(model.language).length);
      return io.set(p + "location", sceneId) && io.set(p + "timestamp", timestamp(new Date())) &&
        io.set(p + "comment", comment);
    },

    stateFields: function (location, suspendData) {
      return [["cmi.location", location], ["cmi.suspend_data", suspendData]];
    },

    resultFields: function (result) {
      /** @type {Field[]} */
      var fields = [];
      if (result.scorePercent !== null) {
        fields.push(["cmi.score.min", 0], ["cmi.score.max", 100], ["cmi.score.raw", result.scorePercent],
                    ["cmi.score.scaled", (result.scorePercent / 100).toFixed(4).replace(/\.?0+$/, "")]);
      }
      if (result.completed) {
        fields.push(["cmi.completion_status", "completed"], ["cmi.progress_measure", 1]);
        if (result.passed !== null) fields.push(["cmi.success_status", result.passed ? "passed" : "failed"]);
      }
      return fields;
    },

    exitFields: function (completed) {
      return [["cmi.exit", completed ? "normal" : "suspend"]];
    },

    sessionFields: function (sessionMs) {
      return [["cmi.session_time", duration(sessionMs)]];
    }
  };

  root.ScormbuildRuntime = S.createSession(model);
})(globalThis);
