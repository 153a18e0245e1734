/* The scormbuild player: shows one scene at a time, scores answers, and
 * reports everything through window.ScormbuildRuntime (one adapter per
 * standard, see runtime/). It never touches a standard's data model itself.
 */
(function () {
  "use strict";
  var course = JSON.parse(document.getElementById("course-data").textContent);
  var runtime = window.ScormbuildRuntime;
  var State = window.ScormbuildState;
  var t = course.messages;

  var scenes = course.scenes;
  var byId = {};
  scenes.forEach(function (scene, index) { scene.index = index; byId[scene.id] = scene; });

  var plan = State.layout(course);
  var state = State.empty(byId[course.start].index);
  var reflections = {};
  var history = [];
  var shownAt = Date.now();

  var percentFormat = new Intl.NumberFormat(course.language, { style: "percent", maximumFractionDigits: 0 });
  function percent(value) { return percentFormat.format(value / 100); }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function section(sceneId) { return document.getElementById("scene-" + sceneId); }
  function current() { return scenes[state.current]; }

  /* ---- status line ---------------------------------------------------- */
  var statusEl = document.getElementById("save-status");
  function onStatus(level, code) {
    statusEl.textContent = t["status_" + code] || "";
    statusEl.className = "save-status status-" + level;
  }

  function notice(text) {
    var el = document.getElementById("notice");
    el.textContent = text;
    el.hidden = !text;
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
    runtime.saveState(current().id, State.encode(state, plan));
    runtime.commit();
  }

  function record(rec) {
    rec.timestamp = new Date();
    rec.latencyMs = Date.now() - shownAt;
    runtime.recordInteraction(rec);
  }

  /* ---- navigation ---------------------------------------------------------- */
  function show(sceneId) {
    var scene = byId[sceneId];
    var previous = section(current().id);
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
    var passed = course.passMark === null || scored === null ? null : scored >= course.passMark;
    runtime.setResult({ completed: true, scorePercent: scored, passed: passed });
    var lines = [];
    if (scored !== null) lines.push(format(t.result_score, { score: percent(scored) }));
    if (passed === true) lines.push(format(t.result_passed, { pass: percent(course.passMark) }));
    else if (passed === false) lines.push(format(t.result_failed, { pass: percent(course.passMark) }));
    else lines.push(t.result_completed);
    var box = el.querySelector(".result");
    box.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    box.className = "result" + (passed === false ? " result-failed" : " result-passed");
    state.completed = true;
  }

  /* ---- scene kinds -------------------------------------------------------- */
  function choose(scene, choiceId) {
    var choice = scene.choices.filter(function (c) { return c.id === choiceId; })[0];
    var correctIds = scene.choices.filter(function (c) { return c.correct; }).map(function (c) { return c.id; });
    record({
      id: scene.id,
      type: "choice",
      description: scene.title + ": " + scene.choices.map(function (c) { return c.id; }).join(", "),
      response: [choice.id],
      correct: correctIds.length ? correctIds : null,
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
    record({ id: scene.id, type: "text", description: scene.title, response: text, correct: null,
             result: "neutral", weighting: 0, points: 0 });
    runtime.saveReflection(scene.id, text);
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
      id: scene.id + "_" + question.id,
      type: isTrueFalse ? "true-false" : "choice",
      description: question.text,
      response: isTrueFalse ? picked[0] === "true" : picked,
      correct: isTrueFalse ? correctIds[0] === "true" : correctIds,
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
    var date = new Date().toLocaleDateString(course.language, { year: "numeric", month: "long", day: "numeric" });
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

  /* ---- events --------------------------------------------------------------- */
  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    var el = target.closest(".scene");
    var scene = byId[el.getAttribute("data-scene")];
    if (target.hasAttribute("data-choice")) choose(scene, target.getAttribute("data-choice"));
    else if (target.hasAttribute("data-goto")) show(target.getAttribute("data-goto"));
    else {
      var action = target.getAttribute("data-action");
      if (action === "next") show(scene.next);
      else if (action === "back" && history.length > 1) { history.pop(); show(history.pop()); }
      else if (action === "check") check(scene, el, target.closest(".question"));
      else if (action === "download") feedbackCopy(scene, el);
    }
  });

  document.addEventListener("submit", function (event) {
    event.preventDefault();
    var el = event.target.closest(".scene");
    reflect(byId[el.getAttribute("data-scene")], el);
  });

  var finished = false;
  function leave() {
    if (finished) return;
    finished = true;
    runtime.finish(!!state.completed);
  }
  window.addEventListener("pagehide", leave);
  window.addEventListener("beforeunload", leave);

  /* ---- start ---------------------------------------------------------------- */
  function begin(launch) {
    if (window.performance && performance.mark) performance.mark("scormbuild:start");
    reflections = launch.reflections || {};
    var saved = State.decode(launch.suspendData, plan);
    if (saved) {
      state = saved;
      if (launch.location && byId[launch.location]) state.current = byId[launch.location].index;
      notice(t.resumed);
      show(current().id);
    } else {
      show(course.start);
    }
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
  window.ScormbuildPlayer = { state: function () { return state; }, score: score, show: show };
})();
