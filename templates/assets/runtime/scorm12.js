/* SCORM 1.2 data model for the shared SCORM session (scorm.js). */
(function (root) {
  "use strict";
  var S = root.ScormbuildScorm;
  var C = root.ScormbuildCommon;
  var MAX_TEXT = 255;       // CMIString255 / CMIFeedback
  var MAX_COMMENTS = 4096;  // cmi.comments is CMIString4096

  /* CMITimespan: HH:MM:SS.SS (hours may grow to 4 digits). */
  function timespan(ms) {
    var t = C.clock(ms);
    return C.pad(Math.min(t.h, 9999), 2) + ":" + C.pad(t.m, 2) + ":" + (t.s < 10 ? "0" : "") + t.s.toFixed(2);
  }

  /* CMITime: the time of day, HH:MM:SS. */
  function timeOfDay(date) {
    return C.pad(date.getHours(), 2) + ":" + C.pad(date.getMinutes(), 2) + ":" + C.pad(date.getSeconds(), 2);
  }

  function response(rec, value) {
    if (rec.type === "true-false") return value ? "t" : "f";
    if (rec.type === "choice") return value.join(",");
    return C.truncate(value, MAX_TEXT);
  }

  /* Reflections are kept whole in cmi.comments as "[scene-id]\n text" blocks,
   * newest last; when they outgrow 4,096 characters the oldest are shortened. */
  function commentsText(reflections) {
    var blocks = Object.keys(reflections).map(function (id) { return "[" + id + "]\n" + reflections[id] + "\n"; });
    var text = blocks.join("");
    while (text.length > MAX_COMMENTS && blocks.length > 1) {
      blocks.shift();
      text = blocks.join("");
    }
    return C.truncate(text, MAX_COMMENTS);
  }

  var model = {
    name: "scorm12",
    apiName: "API",
    calls: { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
             finish: "LMSFinish", error: "LMSGetLastError", errorString: "LMSGetErrorString" },
    interactionsCount: "cmi.interactions._count",

    readLaunch: function (get) {
      var status = get("cmi.core.lesson_status");
      return {
        status: status,
        resumed: get("cmi.core.entry") === "resume",
        location: get("cmi.core.lesson_location"),
        suspendData: get("cmi.suspend_data"),
        comments: [get("cmi.comments")],
        learnerId: get("cmi.core.student_id"),
        learnerName: get("cmi.core.student_name")
      };
    },

    readReflections: function (comments) {
      var out = {};
      String(comments[0] || "").replace(/^\[([a-z0-9-]+)\]\n([\s\S]*?)\n(?=\[[a-z0-9-]+\]\n|$)/gm, function (_, id, text) {
        out[id] = text;
        return "";
      });
      return out;
    },

    startFields: function (launch) {
      return launch.status === "not attempted" || launch.status === "" ? [["cmi.core.lesson_status", "incomplete"]] : [];
    },

    interactionFields: function (rec, n) {
      var p = "cmi.interactions." + n + ".";
      var fields = [
        [p + "id", rec.id],
        [p + "type", rec.type === "text" ? "fill-in" : rec.type],
        [p + "time", timeOfDay(rec.timestamp)],
        [p + "weighting", rec.weighting],
        [p + "student_response", response(rec, rec.response)],
        [p + "result", { correct: "correct", incorrect: "wrong", neutral: "neutral" }[rec.result]],
        [p + "latency", timespan(rec.latencyMs)]
      ];
      if (rec.correct !== null && rec.correct !== undefined) {
        fields.splice(4, 0, [p + "correct_responses.0.pattern", response(rec, rec.correct)]);
      }
      return fields;
    },

    reflectionFields: function (sceneId, text, reflections) {
      return [["cmi.comments", commentsText(reflections)]];
    },

    stateFields: function (location, suspendData) {
      return [["cmi.core.lesson_location", location], ["cmi.suspend_data", suspendData]];
    },

    resultFields: function (result) {
      var fields = [];
      if (result.scorePercent !== null) {
        fields.push(["cmi.core.score.min", 0], ["cmi.core.score.max", 100], ["cmi.core.score.raw", result.scorePercent]);
      }
      var status = result.passed === true ? "passed" : result.passed === false ? "failed" : "completed";
      if (result.completed) fields.push(["cmi.core.lesson_status", status]);
      return fields;
    },

    exitFields: function (completed, sessionMs) {
      return [["cmi.core.exit", completed ? "" : "suspend"], ["cmi.core.session_time", timespan(sessionMs)]];
    }
  };

  root.ScormbuildRuntime = S.createSession(model);
})(window);
