/* The page of `scormbuild preview`: the LMS side of each launch, and the panel.
 *
 * SCORM 1.2 and 2004 run in scorm-again (a strict runtime): every call it refuses is listed in
 * the panel. Like an LMS, the page keeps the data model the SCO committed (in sessionStorage)
 * and hands it back at the next launch, so a live reload resumes where the learner was. xAPI
 * and cmi5 get their launch parameters from the server, which is their LRS (and, for cmi5,
 * the LMS that writes LMS.LaunchData). panel.js draws what the LMS holds; strict-lms.js says what
 * a stricter LMS than scorm-again would refuse. */
(function () {
  "use strict";
  var SAVED_CMI = "scormbuild-preview-cmi";
  var RUNTIMES = {
    scorm12: { global: "API", Api: "Scorm12API", init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue",
               commit: "LMSCommit", finish: "LMSFinish", error: "LMSGetLastError", errorString: "LMSGetErrorString",
               diagnostic: "LMSGetDiagnostic" },
    scorm2004: { global: "API_1484_11", Api: "Scorm2004API", init: "Initialize", get: "GetValue", set: "SetValue",
                 commit: "Commit", finish: "Terminate", error: "GetLastError", errorString: "GetErrorString",
                 diagnostic: "GetDiagnostic" }
  };
  var panel = window.ScormbuildPanel;
  var frame = document.getElementById("course");
  var lms = null;
  var current = null;  // the launch: format, pass mark
  var busy = false;
  var again = null;

  function $(id) { return document.getElementById(id); }

  function saved() {
    try { return JSON.parse(sessionStorage.getItem(SAVED_CMI)); } catch (e) { return null; }
  }

  /* The data model handed to the SCO: what the last session committed, entered again as an LMS
   * does (resume after a suspend), or a first attempt. */
  function launchData(format, learner, passMark) {
    var kept = saved();
    var cmi = kept || {};
    var v12 = format === "scorm12";
    var core = v12 ? (cmi.core = cmi.core || {}) : cmi;
    core.entry = !kept ? "ab-initio" : core.exit === "suspend" ? "resume" : "";
    delete core.exit;
    delete core.session_time;
    if (v12) {
      core.student_id = learner.id;
      core.student_name = learner.name;
      core.lesson_mode = "normal";
      core.credit = "credit";
      if (passMark !== null) cmi.student_data = { mastery_score: String(passMark) };
    } else {
      cmi.learner_id = learner.id;
      cmi.learner_name = learner.name;
      cmi.mode = "normal";
      cmi.credit = "credit";
      if (passMark !== null) cmi.scaled_passing_score = String(passMark / 100);
    }
    return cmi;
  }

  /* A new scorm-again for one launch, each call checked: a refusal is shown, a commit kept. */
  function startLms(launch) {
    var format = launch.format;
    var names = RUNTIMES[format];
    var api = new window[names.Api]({ autocommit: false, logLevel: 5 });
    api.loadFromJSON(launchData(format, launch.learner, launch.passMark), "");
    ["init", "get", "set", "commit", "finish"].forEach(function (fn) {
      var name = names[fn];
      var original = api[name].bind(api);
      api[name] = function (element, value) {
        var result = String(original.apply(null, arguments));
        var code = String(api[names.error]());
        // A 2004 GetValue of an element with no value yet answers 403: an answer, not a refusal.
        if (code !== "0" && code !== "" && !(fn === "get" && format === "scorm2004" && code === "403")) {
          refuse(name + "(" + [element, value].filter(function (a) { return a !== undefined; })
            .map(function (a) { return JSON.stringify(String(a)); }).join(", ") + ")",
            code + " " + api[names.errorString](code), String(api[names.diagnostic](code) || ""));
        }
        if ((fn === "commit" || fn === "finish") && result === "true") {
          try { sessionStorage.setItem(SAVED_CMI, JSON.stringify(api.cmi)); } catch (e) { /* kept in memory only */ }
        }
        if (fn !== "get") showCmi();
        return result;
      };
    });
    window[names.global] = api;
    lms = api;
    showCmi();
  }

  /* A call scorm-again refused; the diagnostic says why when it differs from the error's name. */
  function refuse(call, error, diagnostic) {
    panel.addRefused($("refused"), call, error, diagnostic && error.indexOf(diagnostic) < 0 ? diagnostic : "");
    showProblems();
  }

  function showProblems() {
    $("problems-section").hidden = !$("refused").children.length && !$("strict").children.length;
  }

  /* The panel is drawn once the page is idle, and once for many calls: a commit sets dozens of
   * elements in a row, and the course (in the same thread) starts first; drawing after each
   * call, or while the course was starting, slowed every live reload. */
  var cmiDrawing = false;
  var whenIdle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 50); };
  function showCmi() {
    if (cmiDrawing) return;
    cmiDrawing = true;
    whenIdle(function () {
      cmiDrawing = false;
      renderCmi();
    }, { timeout: 500 });
  }

  /* The record, what a strict LMS would refuse in it, and (when open) the raw data model. */
  function renderCmi() {
    if (!lms || !current) return;
    var model = JSON.parse(JSON.stringify(lms.cmi));
    panel.renderRecord($("record"), current.format, model, current.passMark, panel.choiceLabels(statements));
    panel.renderStrict($("strict"), window.ScormbuildStrictLms.check(current.format, model));
    showProblems();
    if ($("raw").open) panel.renderRaw(document.querySelector("#cmi tbody"), model);
  }

  var statements = [];
  function renderStatements() {
    fetch("/xapi/statements").then(function (r) { return r.json(); }).then(function (data) {
      statements = data.statements;
      panel.renderStatements($("statements"), statements);
      showCmi();  // the record names choices by their text, from the statements' definitions
      $("statements-empty").hidden = statements.length > 0;
      if ($("raw").open) $("raw-statements").textContent = JSON.stringify(statements, null, 1);
    }).catch(function () { /* the next change tells again */ });
  }

  $("raw").addEventListener("toggle", function () {
    if (!$("raw").open) return;
    if (lms) panel.renderRaw(document.querySelector("#cmi tbody"), JSON.parse(JSON.stringify(lms.cmi)));
    $("raw-statements").textContent = JSON.stringify(statements, null, 1);
  });

  /* The course frame at a phone's width, or the whole width. */
  Array.prototype.forEach.call(document.querySelectorAll('input[name="width"]'), function (input) {
    input.addEventListener("change", function () { $("stage").setAttribute("data-width", input.value); });
  });

  function askLaunch() {
    return fetch("/preview/launch", { method: "POST" }).then(function (r) { return r.json(); });
  }

  /* `asked`: the launch, already asked for while the previous course was leaving. */
  function launch(asked) {
    return (asked || askLaunch()).then(function (s) {
      var scorm = !!RUNTIMES[s.format];
      current = s;
      $("standard").textContent = s.label + (scorm ? " in scorm-again, a strict LMS; its xAPI statements go to a local LRS"
                                                   : ", with a local LRS");
      $("panel-heading").textContent = scorm ? "What the LMS will record" : "What the LRS will record";
      $("cmi-section").hidden = !scorm;
      if (scorm) startLms(s);
      frame.src = s.url;
    });
  }

  /* One launch at a time: a reload asked for meanwhile comes after it. */
  function settle() {
    busy = false;
    if (again !== null) {
      var fresh = again;
      again = null;
      relaunch(fresh);
    }
  }

  /* The course leaves first (its pagehide commits and finishes the session), then the next
   * launch starts; a fresh one forgets the attempt, here and in the LRS. */
  function relaunch(fresh) {
    if (busy) { again = again || fresh; return; }
    busy = true;
    // A live reload asks for the next launch while the course leaves (a round trip saved);
    // a fresh start asks only once the old attempt is forgotten.
    var asked = fresh ? null : askLaunch();
    if (asked) asked.catch(function () {});
    frame.addEventListener("load", function left() {
      frame.removeEventListener("load", left);
      var ready = Promise.resolve();
      if (fresh) {
        sessionStorage.clear();
        localStorage.clear();
        $("refused").textContent = "";
        showProblems();
        ready = fetch("/xapi/reset", { method: "POST" });
      }
      ready.then(function () { return launch(asked); }).catch(function () {}).then(settle);
    });
    frame.src = "about:blank";
  }

  $("restart").addEventListener("click", function () { relaunch(true); });

  var events = new EventSource("/events");
  events.addEventListener("reload", function () {
    $("error-banner").hidden = true;
    relaunch(false);
  });
  events.addEventListener("problem", function (event) {
    $("error").textContent = event.data;
    $("error-banner").hidden = false;
  });
  events.addEventListener("warnings", function (event) {
    var list = $("warnings");
    var warnings = JSON.parse(event.data);
    list.textContent = "";
    warnings.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    $("warnings-section").hidden = !warnings.length;
  });
  events.addEventListener("statements", renderStatements);
  renderStatements();
  busy = true;
  launch().catch(function () {}).then(settle);
})();
