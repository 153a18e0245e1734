/* The scormbuild player: shows one scene at a time, scores answers, and
 * reports everything through window.ScormbuildRuntime (one adapter per
 * standard, see runtime/). It never touches a standard's data model itself.
 *
 * The runtime says at start which mode the LMS launched in: "normal", or "review" (a
 * finished attempt) and "browse" (a preview), in which the learner can look around but
 * nothing is reported: the player keeps everything in memory only.
 */
(function () {
  "use strict";
  var course = JSON.parse(document.getElementById("course-data").textContent);
  var runtime = window.ScormbuildRuntime;
  var State = window.ScormbuildState;
  var t = course.messages;
  var uiLanguage = course.language;

  var scenes = course.scenes;
  var byId = Object.create(null);  // no inherited names: an LMS may hand back "constructor" as a location
  scenes.forEach(function (scene, index) { scene.index = index; byId[scene.id] = scene; });

  var plan = State.layout(course);
  var state = State.empty(byId[course.start].index);
  var reflections = {};
  var history = [];
  var shownAt = Date.now();
  var mode = "normal";
  var readOnly = false;
  var reported = false;  // the result of this attempt has gone to the LMS
  var passMark = course.passMark;
  var canExit = false;

  /* Intl throws on a tag it does not know (the build checks tags; an old package may not have). */
  function numberFormat(language) {
    try { return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 }); }
    catch (e) { return new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 0 }); }
  }
  var percentFormat = numberFormat(course.language);
  function percent(value) { return percentFormat.format(value / 100); }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function section(sceneId) { return document.getElementById("scene-" + sceneId); }
  function current() { return scenes[state.current]; }
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  /* ---- status line ---------------------------------------------------- */
  var statusEl = document.getElementById("save-status");
  var statusCode = "";
  function onStatus(level, code) {
    statusCode = code;
    statusEl.textContent = t["status_" + code] || "";
    statusEl.className = "save-status status-" + level;
  }

  var noticeKey = null;
  function notice(key) {
    var el = document.getElementById("notice");
    noticeKey = key;
    el.textContent = key ? t[key] : "";
    el.hidden = !key;
  }

  /* ---- the learner's interface language --------------------------------------------------
   * The LMS may say which language the learner prefers (SCORM learner_preference.language,
   * cmi5 languagePreference): when a catalog is bundled for it, the buttons and messages use
   * it; the course's own text stays as written. */
  var RTL = ["ar", "fa", "he", "ur", "ps", "yi", "dv", "ku", "sd", "ug"];
  function catalogFor(preference) {
    var tags = String(preference || "").split(",");
    for (var i = 0; i < tags.length; i++) {
      var tag = tags[i].trim().toLowerCase();
      var found = course.catalogs[tag] ? tag : course.catalogs[tag.split("-")[0]] ? tag.split("-")[0] : null;
      if (found) return found;
    }
    return null;
  }

  function useLanguage(preference) {
    var tag = catalogFor(preference);
    if (!tag || tag === catalogFor(course.language)) return;
    t = course.catalogs[tag];
    uiLanguage = tag;
    percentFormat = numberFormat(tag);
    var dir = RTL.indexOf(tag) >= 0 ? "rtl" : "ltr";
    each("[data-t], #save-status, #notice, #step-label", function (el) {
      var key = el.getAttribute("data-t");
      if (key) el.textContent = format(t[key], { n: el.getAttribute("data-n"), m: el.getAttribute("data-m") });
      el.setAttribute("lang", tag);
      el.setAttribute("dir", dir);
    });
    if (statusCode) onStatus(statusEl.className.replace(/^.*status-/, ""), statusCode);
    if (noticeKey) notice(noticeKey);
  }

  /* ---- scoring: the first attempt at each scored item counts ----------- */
  function score() {
    var earned = 0, possible = 0;
    Object.keys(state.first).forEach(function (index) {
      var scene = scenes[index];
      if (scene.maxScore > 0) {
        earned += scene.choices[state.first[index]].score;
        possible += scene.maxScore;
      }
    });
    Object.keys(state.quiz).forEach(function (key) {
      var at = key.split("-");
      var question = scenes[at[0]].questions[at[1]];
      if (question.points > 0) {
        earned += state.quiz[key] ? question.points : 0;
        possible += question.points;
      }
    });
    return possible ? Math.round((100 * earned) / possible) : null;
  }

  /* ---- persistence -------------------------------------------------------- */
  function persist() {
    state.seq += 1;
    if (readOnly) return;
    runtime.saveState(current().id, State.encode(state, plan));
    runtime.commit();
  }

  function record(rec) {
    rec.timestamp = new Date();
    rec.latencyMs = Date.now() - shownAt;
    if (!readOnly) runtime.recordInteraction(rec);
  }

  /* ---- navigation ---------------------------------------------------------- */
  function show(sceneId) {
    var scene = byId[sceneId];
    var previous = state.current === null ? null : section(current().id);
    if (previous) previous.hidden = true;
    history.push(sceneId);
    state.current = scene.index;
    if (state.visited.indexOf(scene.index) < 0) state.visited.push(scene.index);
    var el = section(sceneId);
    prepare(scene, el);
    updateProgress(sceneId);
    el.hidden = false;
    shownAt = Date.now();
    var heading = el.querySelector("h1");
    if (heading) heading.focus();
    window.scrollTo(0, 0);
    if (scene.kind === "end") finishCourse(el);
    persist();
  }

  /* "Step n of m" counts the scenes of the main path (every decision right);
   * scenes off it (feedback after a wrong choice) keep the last step reached. */
  var stepLabel = document.getElementById("step-label");
  var progressBar = document.getElementById("progress");
  function updateProgress(sceneId) {
    var step = course.mainPath.indexOf(sceneId) + 1;
    if (!step) {
      state.visited.forEach(function (index) {
        step = Math.max(step, course.mainPath.indexOf(scenes[index].id) + 1);
      });
      step = Math.max(step, 1);
    }
    stepLabel.textContent = format(t.step_n_of_m, { n: step, m: course.mainPath.length });
    progressBar.value = step;
    progressBar.setAttribute("aria-valuetext", stepLabel.textContent);
  }

  function prepare(scene, el) {
    var back = el.querySelector('[data-action="back"]');
    if (back) back.hidden = history.length < 2;
    if (scene.kind === "reflection") {
      el.querySelector("form").hidden = false;
      el.querySelector(".model-points").hidden = true;
      el.querySelector("textarea").value = reflections[scene.id] || "";
    }
    if (scene.kind === "quiz") resetQuiz(scene, el);
  }

  function finishCourse(el) {
    var scored = score();
    var passed = passMark === null || scored === null ? null : scored >= passMark;
    if (!readOnly && !reported) runtime.setResult({ completed: true, scorePercent: scored, passed: passed });
    reported = true;
    var lines = [];
    if (mode === "browse") lines.push(t.browse_end);  // a preview has no verdict
    else {
      if (scored !== null) lines.push(format(t.result_score, { score: percent(scored) }));
      if (passed === true) lines.push(format(t.result_passed, { pass: percent(passMark) }));
      else if (passed === false) lines.push(format(t.result_failed, { pass: percent(passMark) }));
      else lines.push(t.result_completed);
    }
    var box = el.querySelector(".result");
    box.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    box.className = "result" + (passed === false && mode !== "browse" ? " result-failed" : " result-passed");
    showAnswers(el);
    el.querySelector('[data-action="look-again"]').hidden = !readOnly;
    state.completed = true;
  }

  /* What the learner answered: each decision's first choice, quiz results, reflections. */
  function showAnswers(el) {
    var list = el.querySelector(".answers dl");
    list.textContent = "";
    function add(term, detail, className) {
      var dt = document.createElement("dt");
      dt.textContent = term;
      var dd = document.createElement("dd");
      dd.textContent = detail;
      if (className) dd.className = className;
      list.appendChild(dt);
      list.appendChild(dd);
    }
    scenes.forEach(function (scene) {
      if (scene.kind === "decision" && scene.index in state.first) {
        var choice = scene.choices[state.first[scene.index]];
        var button = section(scene.id).querySelector('[data-choice="' + choice.id + '"]');
        var judged = scene.choices.some(function (c) { return c.correct; });
        add(scene.title, format(t.summary_choice, { choice: button ? button.textContent : choice.id }) +
          (judged ? " (" + (choice.correct ? t.correct : t.incorrect) + ")" : ""));
      } else if (scene.kind === "quiz") {
        var right = 0, answered = 0;
        scene.questions.forEach(function (q, qi) {
          var key = scene.index + "-" + qi;
          if (key in state.quiz) { answered += 1; right += state.quiz[key]; }
        });
        if (answered) add(scene.title, format(t.summary_quiz, { n: right, m: scene.questions.length }));
      } else if (scene.kind === "reflection" && reflections[scene.id]) {
        add(scene.title, reflections[scene.id], "reflection-text");
      }
    });
    list.parentNode.hidden = !list.children.length;
  }

  /* ---- scene kinds -------------------------------------------------------- */
  function choose(scene, choiceId) {
    var choice = scene.choices.filter(function (c) { return c.id === choiceId; })[0];
    var correctIds = scene.choices.filter(function (c) { return c.correct; }).map(function (c) { return c.id; });
    record({
      id: scene.interactionId,
      type: "choice",
      description: scene.title,
      response: [choice.id],
      // A decision takes one choice: each right choice is a correct response of its own.
      patterns: correctIds.length ? correctIds.map(function (id) { return [id]; }) : null,
      options: scene.choices.map(function (c) { return c.id; }),
      result: correctIds.length ? (choice.correct ? "correct" : "incorrect") : "neutral",
      weighting: scene.maxScore,
      points: choice.score
    });
    if (!(scene.index in state.first)) state.first[scene.index] = scene.choices.indexOf(choice);
    show(choice.goto);
  }

  function reflect(scene, el) {
    var box = el.querySelector("textarea");
    var text = box.value.trim();
    var error = el.querySelector(".form-error");
    if (text.length < scene.minLength) {
      error.textContent = format(t.reflection_too_short, { n: scene.minLength });
      error.hidden = false;
      box.setAttribute("aria-invalid", "true");
      box.focus();
      return;
    }
    error.hidden = true;
    box.removeAttribute("aria-invalid");
    reflections[scene.id] = text;
    record({ id: scene.interactionId, type: "text", description: scene.title, response: text, patterns: null,
             result: "neutral", weighting: 0, points: 0 });
    if (!readOnly) runtime.saveReflection(scene.id, text);
    if (state.reflected.indexOf(scene.index) < 0) state.reflected.push(scene.index);
    persist();
    el.querySelector("form").hidden = true;
    var points = el.querySelector(".model-points");
    points.hidden = false;
    points.querySelector(".saved-note").focus();
  }

  function resetQuiz(scene, el) {
    el.querySelectorAll(".question").forEach(function (fieldset) {
      fieldset.querySelectorAll("input").forEach(function (input) { input.checked = false; input.disabled = false; });
      fieldset.querySelector('[data-action="check"]').disabled = false;
      var feedback = fieldset.querySelector(".question-feedback");
      feedback.textContent = "";
      feedback.className = "question-feedback";
      fieldset.removeAttribute("data-answered");
    });
    el.querySelector('.actions > [data-action="next"]').disabled = true;
  }

  function check(scene, el, fieldset) {
    var qIndex = Array.prototype.indexOf.call(el.querySelectorAll(".question"), fieldset);
    var question = scene.questions[qIndex];
    var picked = Array.prototype.filter.call(fieldset.querySelectorAll("input"), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
    var feedback = fieldset.querySelector(".question-feedback");
    if (!picked.length) {
      feedback.textContent = t.choose_an_answer;
      return;
    }
    var correctIds = question.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; });
    var right = picked.length === correctIds.length && picked.every(function (id) { return correctIds.indexOf(id) >= 0; });
    var isTrueFalse = question.kind === "true-false";
    record({
      id: question.interactionId,
      type: isTrueFalse ? "true-false" : "choice",
      description: question.text,
      response: isTrueFalse ? picked[0] === "true" : picked,
      patterns: [isTrueFalse ? correctIds[0] === "true" : correctIds],
      options: question.options.map(function (o) { return o.id; }),
      result: right ? "correct" : "incorrect",
      weighting: question.points,
      points: right ? question.points : 0
    });
    var key = scene.index + "-" + qIndex;
    if (!(key in state.quiz)) state.quiz[key] = right ? 1 : 0;
    feedback.textContent = (right ? t.correct : t.incorrect) + ". " + (right ? question.feedbackCorrect : question.feedbackIncorrect);
    feedback.className = "question-feedback " + (right ? "is-correct" : "is-incorrect");
    fieldset.setAttribute("data-answered", right ? "correct" : "incorrect");
    fieldset.querySelectorAll("input").forEach(function (input) { input.disabled = true; });
    fieldset.querySelector('[data-action="check"]').disabled = true;
    var allAnswered = el.querySelectorAll(".question:not([data-answered])").length === 0;
    el.querySelector('.actions > [data-action="next"]').disabled = !allAnswered;
    shownAt = Date.now();
    persist();
  }

  /* ---- the downloadable copy of a feedback scene -------------------------- */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function feedbackCopy(scene, el) {
    var reflection = scene.reflection ? reflections[scene.reflection] : null;
    var points = el.querySelector(".points");
    var date;
    try { date = new Date().toLocaleDateString(course.language, { year: "numeric", month: "long", day: "numeric" }); }
    catch (e) { date = new Date().toISOString().slice(0, 10); }
    var html = "<!DOCTYPE html><html lang=\"" + escapeHtml(course.language) + "\"><head><meta charset=\"utf-8\">" +
      "<title>" + escapeHtml(course.title + " - " + scene.title) + "</title>" +
      "<style>body{font-family:Georgia,serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5;color:#111}" +
      "h1{font-size:1.5em}.meta{color:#444}blockquote{border-left:4px solid #888;margin:1em 0;padding:.5em 1em;white-space:pre-wrap}</style>" +
      "</head><body><p class=\"meta\">" + escapeHtml(course.title) + "<br>" + escapeHtml(t.copy_date) + ": " + escapeHtml(date) + "</p>" +
      "<h1>" + escapeHtml(scene.title) + "</h1>" + el.querySelector(".body").innerHTML +
      (points ? "<h2>" + escapeHtml(t.points_to_consider) + "</h2>" + points.outerHTML : "") +
      (scene.reflection ? "<h2>" + escapeHtml(t.copy_your_reflection) + "</h2><blockquote>" +
        escapeHtml(reflection || t.copy_no_reflection) + "</blockquote>" : "") +
      "</body></html>";
    var blob = new Blob([html], { type: "text/html;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = course.id + "-" + scene.id + "-feedback.html";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  /* ---- leaving ---------------------------------------------------------------- */
  var finished = false;
  function leave() {
    if (finished) return;
    finished = true;
    runtime.finish(!!state.completed);
  }

  /* The learner's own Exit (cmi5): end the session, then go where the LMS asked. */
  function exitCourse() {
    if (finished) return;
    finished = true;
    each('[data-action="exit"]', function (button) { button.disabled = true; });
    onStatus("info", "exiting");
    Promise.resolve(runtime.exit(!!state.completed)).then(function (returnUrl) {
      if (returnUrl) window.location.assign(returnUrl);
      else {
        onStatus("info", readOnly ? mode : "lrs_saved");
        notice("exit_done");
      }
    });
  }

  /* ---- events --------------------------------------------------------------- */
  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    if (target.getAttribute("data-action") === "exit") { exitCourse(); return; }
    var el = target.closest(".scene");
    if (!el) return;
    var scene = byId[el.getAttribute("data-scene")];
    if (target.hasAttribute("data-choice")) choose(scene, target.getAttribute("data-choice"));
    else if (target.hasAttribute("data-goto")) show(target.getAttribute("data-goto"));
    else {
      var action = target.getAttribute("data-action");
      if (action === "next") show(scene.next);
      else if (action === "back" && history.length > 1) { history.pop(); show(history.pop()); }
      else if (action === "check") check(scene, el, target.closest(".question"));
      else if (action === "download") feedbackCopy(scene, el);
      else if (action === "look-again") { history = []; show(course.start); }
    }
  });

  document.addEventListener("submit", function (event) {
    event.preventDefault();
    var el = event.target.closest(".scene");
    reflect(byId[el.getAttribute("data-scene")], el);
  });

  // Hidden (another tab, the home screen): the page may be killed without another event, so
  // save now. Leaving for good (pagehide) ends the session; beforeunload is not used, as it
  // comes before a navigation that may still be cancelled.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !finished) runtime.pause();
  });
  window.addEventListener("pagehide", leave);

  /* ---- start ---------------------------------------------------------------- */
  function begin(launch) {
    if (window.performance && performance.mark) performance.mark("scormbuild:start");
    mode = launch.mode || "normal";
    readOnly = mode !== "normal";
    reported = !!launch.completed;
    if (typeof launch.passMark === "number") passMark = launch.passMark;
    if (launch.language) useLanguage(launch.language);
    if (launch.audioOff) {
      document.documentElement.setAttribute("data-audio", "off");
      each("audio, video", function (media) { media.muted = true; });
    }
    canExit = !!launch.canExit && typeof runtime.exit === "function";
    each('[data-action="exit"]', function (button) { button.hidden = !canExit; });
    reflections = {};
    var given = launch.reflections;  // from the LMS or LRS: keep texts of known reflection scenes only
    if (given && typeof given === "object") {
      Object.keys(given).forEach(function (id) {
        if (byId[id] && byId[id].kind === "reflection" && typeof given[id] === "string") reflections[id] = given[id];
      });
    }
    var saved = typeof launch.suspendData === "string" ? State.decode(launch.suspendData, plan) : null;
    var at = null;
    if (saved) {
      state = saved;
      // Where the LMS says the learner was; else where the state says (a course updated
      // since may have dropped either); else the start.
      at = byId[launch.location] ? launch.location : (state.current !== null ? scenes[state.current].id : null);
      state.current = null;
    }
    if (launch.ended) notice("session_ended");
    else if (readOnly) notice(mode + "_notice");
    else if (saved) notice("resumed");
    show(at || course.start);
    // The first scene is on screen and its buttons work: what a learner waits for.
    if (window.performance && performance.mark) performance.mark("scormbuild:interactive");
  }

  // Adapters may start synchronously (SCORM) or need the network first (xAPI, cmi5).
  Promise.resolve(runtime.start(course, onStatus)).then(begin, function (error) {
    if (window.console) window.console.error("scormbuild: the runtime failed to start", error);
    onStatus("offline", "no_lms");
    begin({});
  });
  // For tools around the player (preview, tests): read the state, jump to a scene.
  window.ScormbuildPlayer = {
    state: function () { return state; }, score: score, show: show,
    mode: function () { return mode; }, language: function () { return uiLanguage; }
  };
})();
