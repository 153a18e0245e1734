/* SCORM 2004 4th edition data model for the shared SCORM session (scorm.js). */
(function (root) {
  "use strict";
  var S = root.ScormbuildScorm;
  var C = root.ScormbuildCommon;
  var MAX_RESPONSE = 4000;     // long-fill-in learner_response, comment
  var MAX_DESCRIPTION = 250;   // localized_string_type(250)

  /* timeinterval (second,10,2): an ISO 8601 duration. */
  var duration = C.isoDuration;

  /* time (second,10,0): YYYY-MM-DDThh:mm:ss.ssZ, hundredths at most. */
  function timestamp(date) {
    return date.toISOString().replace(/(\.\d\d)\dZ$/, "$1Z");
  }

  function response(rec, value) {
    if (rec.type === "true-false") return value ? "true" : "false";
    if (rec.type === "choice") return value.join("[,]");
    return C.truncate(value, MAX_RESPONSE);
  }

  var model = {
    name: "scorm2004",
    apiName: "API_1484_11",
    calls: { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
             finish: "Terminate", error: "GetLastError", errorString: "GetErrorString" },
    interactionsCount: "cmi.interactions._count",

    readLaunch: function (get) {
      var comments = [];
      var count = parseInt(get("cmi.comments_from_learner._count"), 10) || 0;
      for (var i = 0; i < count; i++) {
        comments.push({ location: get("cmi.comments_from_learner." + i + ".location"),
                        comment: get("cmi.comments_from_learner." + i + ".comment") });
      }
      return {
        status: get("cmi.completion_status"),
        resumed: get("cmi.entry") === "resume",
        location: get("cmi.location"),
        suspendData: get("cmi.suspend_data"),
        comments: comments,
        learnerId: get("cmi.learner_id"),
        learnerName: get("cmi.learner_name")
      };
    },

    /* Each reflection is one comment_from_learner with the scene id as its location;
     * a later comment for the same scene replaces an earlier one. */
    readReflections: function (comments) {
      var out = {};
      comments.forEach(function (c) { if (c.location) out[c.location] = c.comment; });
      return out;
    },

    startFields: function (launch) {
      return launch.status === "unknown" || launch.status === "not attempted" || launch.status === ""
        ? [["cmi.completion_status", "incomplete"]] : [];
    },

    interactionFields: function (rec, n) {
      var p = "cmi.interactions." + n + ".";
      var fields = [
        [p + "id", rec.id],
        [p + "type", rec.type === "text" ? "long-fill-in" : rec.type],
        [p + "description", C.truncate(rec.description, MAX_DESCRIPTION)],
        [p + "timestamp", timestamp(rec.timestamp)],
        [p + "weighting", rec.weighting],
        [p + "learner_response", response(rec, rec.response)],
        [p + "result", rec.result],
        [p + "latency", duration(rec.latencyMs)]
      ];
      if (rec.correct !== null && rec.correct !== undefined) {
        fields.splice(5, 0, [p + "correct_responses.0.pattern", response(rec, rec.correct)]);
      }
      return fields;
    },

    reflectionFields: function (sceneId, text, reflections, get) {
      var n = parseInt(get("cmi.comments_from_learner._count"), 10) || 0;
      var p = "cmi.comments_from_learner." + n + ".";
      return [[p + "location", sceneId], [p + "timestamp", timestamp(new Date())],
              [p + "comment", C.truncate(text, MAX_RESPONSE)]];
    },

    stateFields: function (location, suspendData) {
      return [["cmi.location", location], ["cmi.suspend_data", suspendData]];
    },

    resultFields: function (result) {
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

    exitFields: function (completed, sessionMs) {
      return [["cmi.exit", completed ? "normal" : "suspend"], ["cmi.session_time", duration(sessionMs)]];
    }
  };

  root.ScormbuildRuntime = S.createSession(model);
})(window);
