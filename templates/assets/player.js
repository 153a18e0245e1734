// @ts-check
/* The scormbuild player: shows one scene at a time, scores answers, and
 * reports everything through window.ScormbuildRuntime (one adapter per
 * standard, see runtime/). It never touches a standard's data model itself.
 * What each kind of scene does is in kinds/<kind>.js; this file keeps navigation,
 * scoring, the saved state and the API it hands those handlers (PlayerApi in types.js).
 *
 * The runtime says at start which mode the LMS launched in: "normal", or "review" (a
 * finished attempt) and "browse" (a preview), in which the learner can look around but
 * nothing is reported: the player keeps everything in memory only.
 */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var course = JSON.parse(document.getElementById("course-data").textContent);
  var runtime = root.ScormbuildRuntime;
  var State = root.ScormbuildState;
  var t = course.messages;
  var uiLanguage = course.language;

  var scenes = course.scenes;
  var byId = Object.create(null);  // no inherited names: an LMS may hand back "constructor" as a location
  scenes.forEach(function (scene, index) { scene.index = index; byId[scene.id] = scene; });

  var plan = State.layout(course);
  var state = State.empty(byId[course.start].index);
  /** @type {Object<string, string>} */
  var reflections = {};
  var history = [];
  var shownAt = Date.now();
  var mode = "normal";
  var readOnly = false;
  var reported = false;  // the result of this attempt has gone to the LMS
  var passMark = course.passMark;
  var canExit = false;
  var learnerName = "";
  var reportedScore = /** @type {number | null | undefined} */ (undefined);
  /** @type {{scene: string, choice: string, correct: boolean | null} | null} */
  var lastChoice = null;  // the last decision's choice, until a feedback scene has said whether it was right
  /** @type {string | null} */
  var returnTo = null;  // the summary a "see the feedback again" link came from

  /* Intl throws on a tag it does not know (the build checks tags; an old package may not have). */
  function numberFormat(language) {
    try { return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 }); }
    catch (e) { return new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 0 }); }
  }
  /* Made when first needed: the first Intl.NumberFormat loads the locale's data, a fifth of a second
   * on a slow phone, which would otherwise delay the first scene. */
  /** @type {Intl.NumberFormat | null} */
  var percentFormat = null;
  function percent(value) {
    if (!percentFormat) percentFormat = numberFormat(uiLanguage);
    return percentFormat.format(value / 100);
  }

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
      var found = course.languages.indexOf(tag) >= 0 ? tag
        : course.languages.indexOf(tag.split("-")[0]) >= 0 ? tag.split("-")[0] : null;
      if (found) return found;
    }
    return null;
  }

  /* Another language's catalog is a file of the package, fetched only for a learner who prefers
   * it: the page carries the course language's texts alone. */
  function useLanguage(preference) {
    var tag = catalogFor(preference);
    if (!tag || tag === catalogFor(course.language)) return;
    fetch("assets/messages/" + tag + ".json").then(function (r) { return r.json(); })
      .then(function (/** @type {Messages} */ catalog) { showLanguage(tag, catalog); })
      .catch(function () { /* the course language's texts stay */ });
  }

  /** @param {string} tag @param {Messages} catalog */
  function showLanguage(tag, catalog) {
    t = catalog;
    uiLanguage = tag;
    percentFormat = null;
    var dir = RTL.indexOf(tag) >= 0 ? "rtl" : "ltr";
    each("[data-t], #save-status, #notice, #step-label", function (el) {
      var key = el.getAttribute("data-t");
      if (key) el.textContent = format(t[key], { n: el.getAttribute("data-n"), m: el.getAttribute("data-m") });
      el.setAttribute("lang", tag);
      el.setAttribute("dir", dir);
    });
    if (statusCode) onStatus(statusEl.className.replace(/^.*status-/, ""), statusCode);
    if (noticeKey) notice(noticeKey);
    if (state.current !== null) {
      updateProgress(current().id);
      var kind = kindOf(current());
      if (kind.relabel) kind.relabel(section(current().id), current(), api);
    }
  }

  /* ---- scoring: the answer the course's policy counts (state.first, state.quiz) ---------- */
  /* Whether a new answer worth `points` replaces the one that counts (worth `had`, or none yet). */
  function counts(answered, points, had) {
    if (!answered) return true;
    if (course.scoring === "last-attempt") return true;
    return course.scoring === "best-attempt" && points > had;
  }

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

  /* ---- variables and conditions (README: Variables and conditions) ------------------------
   * state.vars holds the variables whose value is not the initial one; conditions are compiled
   * at build time (ConditionData) and read the variables, the score so far and whether it passes. */
  var variableDefs = Object.create(null);
  (course.variables || []).forEach(function (v) { variableDefs[v.name] = v; });

  /** @returns {Object<string, number | boolean>} */
  function variables() {
    var values = /** @type {Object<string, number | boolean>} */ ({});
    (course.variables || []).forEach(function (v) {
      values[v.name] = Object.prototype.hasOwnProperty.call(state.vars, v.name) ? state.vars[v.name] : v.initial;
    });
    return values;
  }

  /** @param {ConditionData} node @param {Object<string, number | boolean>} values @returns {any} */
  function evaluate(node, values) {
    var head = node[0];
    if (head === "lit") return node[1];
    if (head === "var") return values[node[1]];
    if (head === "score") { var now = score(); return now === null ? 0 : now; }
    if (head === "passed") { var got = score(); return passMark !== null && got !== null && got >= passMark; }
    if (head === "and") return node.slice(1).every(function (part) { return evaluate(part, values); });
    if (head === "or") return node.slice(1).some(function (part) { return evaluate(part, values); });
    if (head === "not") return !evaluate(node[1], values);
    var left = evaluate(node[1], values), right = evaluate(node[2], values);
    switch (head) {
      case "==": return left === right;
      case "!=": return left !== right;
      case "<": return left < right;
      case "<=": return left <= right;
      case ">": return left > right;
      case ">=": return left >= right;
    }
    return false;
  }

  /** @param {ConditionData} condition */
  function holds(condition) { return !!evaluate(condition, variables()); }

  /* A button's `set:` and `add:`: [name, "set" | "add", value], kept within min and max (the build
   * gives every number variable both). */
  /** @param {any[][]} changes */
  function applyChanges(changes) {
    var values = variables();
    changes.forEach(function (change) {
      var def = variableDefs[change[0]];
      if (!def) return;
      var value = change[1] === "add" ? Number(values[def.name]) + change[2] : change[2];
      if (def.type === "number") value = Math.max(Number(def.min), Math.min(Number(def.max), value));
      values[def.name] = value;
      if (value === def.initial) delete state.vars[def.name];
      else state.vars[def.name] = value;
    });
  }

  /* Where Continue leads: the first of the scene's branches whose condition holds, else next. */
  /** @param {SceneData} scene @returns {string} */
  function onward(scene) {
    var branches = scene.branches || [];
    for (var i = 0; i < branches.length; i++) if (holds(branches[i].when)) return branches[i].goto;
    return scene.next;
  }

  /* A data-sb-* attribute's JSON (the build writes it; raw HTML could carry a broken one). */
  /** @param {Element} el @param {string} name */
  function attributeJson(el, name) {
    try { return JSON.parse(el.getAttribute(name)); } catch (e) { return null; }
  }

  /* Buttons and speech lines with an `if:` are shown only while it holds. */
  /** @param {HTMLElement} el */
  function showWhatHolds(el) {
    Array.prototype.forEach.call(el.querySelectorAll("[data-sb-when]"), function (/** @type {HTMLElement} */ part) {
      var condition = attributeJson(part, "data-sb-when");
      if (Array.isArray(condition)) part.hidden = !holds(condition);
    });
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
    if ((course.variables || []).length) rec.variables = variables();
    if (!readOnly) runtime.recordInteraction(rec);
  }

  /* ---- scene kinds ---------------------------------------------------------
   * Each kind's behaviour is a handler in kinds/<kind>.js (shipped before this file), looked up
   * by scene.kind; a kind without one behaves like a page. Handlers get the API below. */
  var kinds = root.ScormbuildKinds || {};
  /** @type {KindHandler} */
  var PAGE = {};
  /** @param {SceneData} scene @returns {KindHandler} */
  function kindOf(scene) { return Object.prototype.hasOwnProperty.call(kinds, scene.kind) ? kinds[scene.kind] : PAGE; }

  /* The attempt is over: report the result (scoring is the player's) and say what it was. It is
   * reported again only when going through again changed the score (best- and last-attempt). */
  function complete() {
    var scored = score();
    var passed = passMark === null || scored === null ? null : scored >= passMark;
    var changed = reportedScore !== undefined && scored !== reportedScore;
    if (!readOnly && (!reported || changed)) runtime.setResult({ completed: true, scorePercent: scored, passed: passed });
    reported = true;
    reportedScore = scored;
    state.completed = true;
    return { score: scored, passed: passed, passMark: passMark };
  }

  /** @type {PlayerApi} */
  var api = {
    course: course,
    t: function () { return t; },
    format: format,
    percent: percent,
    section: section,
    scene: function (sceneId) { return sceneId === null ? undefined : byId[sceneId]; },
    find: function (parent, selector) { return parent.querySelector(selector); },
    state: function () { return state; },
    reflections: function () { return reflections; },
    mode: function () { return mode; },
    readOnly: function () { return readOnly; },
    kindOf: kindOf,
    record: record,
    persist: persist,
    show: show,
    restartClock: function () { shownAt = Date.now(); },
    saveReflection: function (sceneId, text) { if (!readOnly) runtime.saveReflection(sceneId, text); },
    complete: complete,
    counts: counts,
    chose: function (scene, choiceId, correct) { lastChoice = { scene: scene.id, choice: choiceId, correct: correct }; },
    takeChoice: function () { var taken = lastChoice; lastChoice = null; return taken; },
    learnerName: function () { return learnerName; },
    download: download,
    escapeHtml: escapeHtml,
    onward: onward,
    variables: variables,
    today: function () {
      try { return new Date().toLocaleDateString(uiLanguage, { year: "numeric", month: "long", day: "numeric" }); }
      catch (e) { return new Date().toISOString().slice(0, 10); }
    }
  };

  /** @param {unknown} text */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* A copy the learner keeps: a small, printable HTML file (a feedback page, the course record). */
  /** @param {string} fileName @param {string} title @param {string[]} meta @param {string} bodyHtml */
  function download(fileName, title, meta, bodyHtml) {
    var html = "<!DOCTYPE html><html lang=\"" + escapeHtml(course.language) + "\"><head><meta charset=\"utf-8\">" +
      "<title>" + escapeHtml(title) + "</title>" +
      "<style>body{font-family:Georgia,serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5;color:#111}" +
      "h1{font-size:1.5em}.meta{color:#444}blockquote{border-left:4px solid #888;margin:1em 0;padding:.5em 1em;" +
      "white-space:pre-wrap}</style></head><body><p class=\"meta\">" +
      meta.map(escapeHtml).join("<br>") + "</p>" + bodyHtml + "</body></html>";
    var blob = new Blob([html], { type: "text/html;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  /* "Back to your summary", after a link from the end scene to a feedback scene. */
  var returnBar = document.createElement("p");
  returnBar.className = "return-bar";
  returnBar.hidden = true;
  returnBar.innerHTML = '<button type="button" class="secondary" data-action="return" data-t="back_to_summary"></button>';
  returnBar.firstChild.textContent = t.back_to_summary;
  document.getElementById("main").insertBefore(returnBar, document.getElementById("notice"));

  /* ---- navigation ---------------------------------------------------------- */
  /** @param {string} sceneId */
  function show(sceneId) {
    var scene = byId[sceneId];
    var previous = state.current === null ? null : section(current().id);
    if (previous) previous.hidden = true;
    history.push(sceneId);
    state.current = scene.index;
    if (state.visited.indexOf(scene.index) < 0) state.visited.push(scene.index);
    var el = section(sceneId);
    var back = /** @type {HTMLElement | null} */ (el.querySelector('[data-action="back"]'));
    if (back) back.hidden = history.length < 2;
    var kind = kindOf(scene);
    showWhatHolds(el);
    if (kind.prepare) kind.prepare(el, scene, api);
    updateProgress(sceneId);
    el.hidden = false;
    shownAt = Date.now();
    var heading = el.querySelector("h1");
    if (heading) heading.focus();
    root.scrollTo(0, 0);
    if (kind.shown) kind.shown(el, scene, api);
    returnBar.hidden = returnTo === null || returnTo === sceneId;
    if (returnTo === sceneId) returnTo = null;
    persist();
  }

  /* "Step n of m" counts the scenes of the main path (every decision right);
   * scenes off it (feedback after a wrong choice) keep the last step reached. */
  var stepLabel = document.getElementById("step-label");
  var progressBar = /** @type {HTMLProgressElement} */ (document.getElementById("progress"));
  /** @param {string} sceneId */
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
      if (returnUrl) root.location.assign(returnUrl);
      else {
        onStatus("info", readOnly ? mode : "lrs_saved");
        notice("exit_done");
      }
    });
  }

  /* ---- events --------------------------------------------------------------- */
  document.addEventListener("click", function (event) {
    var target = /** @type {Element} */ (event.target).closest("button");
    if (!target) return;
    if (target.getAttribute("data-action") === "exit") { exitCourse(); return; }
    if (target.getAttribute("data-action") === "return") { if (returnTo) show(returnTo); return; }
    var el = /** @type {HTMLElement | null} */ (target.closest(".scene"));
    if (!el) return;
    var scene = byId[el.getAttribute("data-scene")];
    var action = target.getAttribute("data-action");
    var changes = target.hasAttribute("data-sb-changes") ? attributeJson(target, "data-sb-changes") : null;
    if (Array.isArray(changes)) applyChanges(changes);
    var navigates = target.hasAttribute("data-goto") || action === "next" || action === "back" || action === "look-again";
    if (navigates) returnTo = target.hasAttribute("data-return") ? scene.id : null;
    if (target.hasAttribute("data-verdict")) {
      var verdict = target.getAttribute("data-verdict");
      lastChoice = { scene: scene.id, choice: "", correct: verdict === "" ? null : verdict === "right" };
    }
    if (target.hasAttribute("data-goto")) show(target.getAttribute("data-goto"));
    else if (action === "next") show(onward(scene));
    else if (action === "back") { if (history.length > 1) { history.pop(); show(history.pop()); } }
    else if (action === "look-again") { history = []; state.vars = {}; show(course.start); }
    else {
      var kind = kindOf(scene);
      if (kind.click) kind.click(target, el, scene, api);
    }
  });

  document.addEventListener("submit", function (event) {
    event.preventDefault();
    var el = /** @type {HTMLElement} */ (/** @type {Element} */ (event.target).closest(".scene"));
    var scene = byId[el.getAttribute("data-scene")];
    var kind = kindOf(scene);
    if (kind.submit) kind.submit(el, scene, api);
  });

  // Hidden (another tab, the home screen): the page may be killed without another event, so
  // save now. Leaving for good (pagehide) ends the session; beforeunload is not used, as it
  // comes before a navigation that may still be cancelled.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !finished) runtime.pause();
  });
  root.addEventListener("pagehide", leave);

  /* ---- start ---------------------------------------------------------------- */
  function begin(launch) {
    if (root.performance && performance.mark) performance.mark("scormbuild:start");
    mode = launch.mode || "normal";
    readOnly = mode !== "normal";
    reported = !!launch.completed;
    learnerName = launch.learnerName || "";
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
        if (byId[id] && kindOf(byId[id]).keepsText && typeof given[id] === "string") reflections[id] = given[id];
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
    if (root.performance && performance.mark) performance.mark("scormbuild:interactive");
  }

  // Adapters may start synchronously (SCORM) or need the network first (xAPI, cmi5).
  Promise.resolve(runtime.start(course, onStatus)).then(begin, function (error) {
    if (root.console) root.console.error("scormbuild: the runtime failed to start", error);
    onStatus("offline", "no_lms");
    begin({});
  });
  // For tools around the player (preview, tests): read the state, jump to a scene.
  root.ScormbuildPlayer = {
    state: function () { return state; }, score: score, show: show,
    mode: function () { return mode; }, language: function () { return uiLanguage; }
  };
})(globalThis);
