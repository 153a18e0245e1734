// @ts-check
/* A scene's video and audio (templates/scenes/_media.html.j2), beside the player (player.js):
 *  - nothing is requested before the scene is shown: src, poster and the captions' src are
 *    copied from data- attributes when its section is first shown; leaving a scene pauses it;
 *  - `require_complete`: the scene's ways on (Continue, choices, answers) stay disabled, with
 *    the reason beside them, until the media has played to its end. Not in review or browse
 *    mode, and not again once done: in this session, or by a saved state that shows the
 *    learner went on from the scene (the saved state has nothing new: see README);
 *  - what the learner does goes to the runtime's recordMedia (xAPI Video Profile statements,
 *    runtime/xapi-core.js); SCORM's data model records nothing of it.
 * It watches the sections' `hidden` attribute, so the player needs no hook for it.
 */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var course = JSON.parse(document.getElementById("course-data").textContent);
  var GATED = '[data-action="next"], [data-goto], [data-choice], [type="submit"], [data-action="check"]';
  /** @type {Object<string, boolean>} */
  var done = Object.create(null);  // scenes whose required media were played to the end
  /** @type {Object<string, SceneData>} */
  var byId = Object.create(null);
  course.scenes.forEach(function (scene, index) { scene.index = index; byId[scene.id] = scene; });

  function player() { return /** @type {any} */ (root.ScormbuildPlayer); }
  function normal() { return !player() || player().mode() === "normal"; }
  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (Number(c) ^ (Math.random() * 16) >> (Number(c) / 4)).toString(16);
    });
  }
  function round(value) { return Math.round((value || 0) * 1000) / 1000; }

  /* Whether the saved state shows the learner went on from this scene (only possible once its
   * media had ended): the scene after it was visited, or its question was answered. */
  function wentOn(scene) {
    var state = player() && player().state();
    if (!state) return false;
    if (state.completed) return true;
    var onward = [scene.next].concat((scene.branches || []).map(function (b) { return b.goto; }));
    return onward.some(function (id) { return !!id && !!byId[id] && state.visited.indexOf(byId[id].index) >= 0; }) || state.first[scene.index] !== undefined ||
      state.reflected.indexOf(scene.index) >= 0 ||
      Object.keys(state.quiz).some(function (key) { return key.split("-")[0] === String(scene.index); });
  }

  /** @param {HTMLElement} section @param {boolean} waiting */
  function gate(section, waiting) {
    var reason = section.querySelector(".media-gate");
    if (reason) /** @type {HTMLElement} */ (reason).hidden = !waiting;
    Array.prototype.forEach.call(section.querySelectorAll(GATED), function (/** @type {HTMLButtonElement} */ button) {
      if (waiting && !button.disabled) {
        button.disabled = true;
        button.setAttribute("data-media-gated", "");
        if (reason) button.setAttribute("aria-describedby", reason.id);
      } else if (!waiting && button.hasAttribute("data-media-gated")) {
        button.disabled = false;
        button.removeAttribute("data-media-gated");
        button.removeAttribute("aria-describedby");
      }
    });
    if (waiting) section.setAttribute("data-media-waiting", "");
    else section.removeAttribute("data-media-waiting");
  }

  /* One media element's session: played segments, and the statements. */
  /** @param {HTMLMediaElement} el @param {MediaData} data */
  function Tracker(el, data) {
    this.el = el;
    this.data = data;
    this.session = "";
    this.started = 0;
    this.initialized = false;
    /** @type {number[][]} */
    this.segments = [];
    this.from = null;  // where the segment being played started
    this.last = 0;     // the last position seen while playing
    this.finished = false;
  }
  Tracker.prototype.reset = function () {
    this.session = uuid();
    this.initialized = false;
    this.segments = [];
    this.from = null;
    this.started = Date.now();
  };
  Tracker.prototype.close = function (at) {
    if (this.from !== null && at > this.from) this.segments.push([this.from, at]);
    this.from = null;
  };
  Tracker.prototype.progress = function () {
    var length = this.el.duration;
    if (!(length > 0)) return 0;
    var spans = this.segments.slice().sort(function (a, b) { return a[0] - b[0]; });
    var total = 0, end = 0;
    spans.forEach(function (s) {
      var start = Math.max(s[0], end);
      if (s[1] > start) { total += s[1] - start; end = s[1]; }
    });
    return Math.min(1, round(total / length));
  };
  Tracker.prototype.send = function (verb, extra) {
    var runtime = root.ScormbuildRuntime;
    if (!normal() || !runtime || typeof runtime.recordMedia !== "function") return;
    var length = this.el.duration > 0 && isFinite(this.el.duration) ? round(this.el.duration) : 0;
    /** @type {MediaEvent} */
    var event = {
      verb: verb, media: this.data, sessionId: this.session, time: round(this.el.currentTime), length: length,
      progress: this.progress(),
      playedSegments: this.segments.map(function (s) { return round(s[0]) + "[.]" + round(s[1]); }).join("[,]")
    };
    Object.keys(extra || {}).forEach(function (key) { /** @type {any} */ (event)[key] = extra[key]; });
    runtime.recordMedia(event);
  };
  /* initialized goes out once the length is known (preload="none": after the first play). */
  Tracker.prototype.ready = function (then) {
    var self = this;
    if (this.initialized) { then(); return; }
    var go = function () {
      if (!self.initialized) { self.initialized = true; self.send("initialized"); }
      then();
    };
    if (this.el.readyState >= 1) go();
    else this.el.addEventListener("loadedmetadata", go, { once: true });
  };

  /** @param {HTMLElement} section */
  function attach(section) {
    var scene = byId[section.getAttribute("data-scene")];
    var trackers = [];
    Array.prototype.forEach.call(section.querySelectorAll("figure.media"), function (figure) {
      var el = /** @type {HTMLMediaElement} */ (figure.querySelector("video, audio"));
      var data = scene.media[Number(figure.getAttribute("data-media"))];
      var tracker = new Tracker(el, data);
      trackers.push(tracker);
      el.addEventListener("play", function () {
        tracker.from = el.currentTime;
        tracker.ready(function () { tracker.send("played"); });
      });
      el.addEventListener("timeupdate", function () { if (!el.seeking && !el.paused) tracker.last = el.currentTime; });
      el.addEventListener("seeking", function () { tracker.close(tracker.last); });
      el.addEventListener("seeked", function () {
        var from = tracker.last;
        tracker.last = el.currentTime;
        if (!el.paused) tracker.from = el.currentTime;
        tracker.send("seeked", { timeFrom: round(from) });
      });
      el.addEventListener("pause", function () {
        if (el.ended) return;  // "ended" says it
        tracker.last = el.currentTime;
        tracker.close(el.currentTime);
        tracker.send("paused");
      });
      el.addEventListener("ended", function () {
        tracker.close(el.duration);
        tracker.ready(function () { tracker.send("completed", { durationMs: Date.now() - tracker.started }); });
        if (data.requireComplete) {
          tracker.finished = true;
          if (trackers.every(function (t) { return !t.data.requireComplete || t.finished; })) {
            done[scene.id] = true;
            gate(section, false);
          }
        }
      });
    });
    return trackers;
  }

  /** @type {Object<string, any[]>} */
  var attached = Object.create(null);

  /** @param {HTMLElement} section */
  function shown(section) {
    var id = section.getAttribute("data-scene");
    var first = !attached[id];
    if (first) attached[id] = attach(section);
    Array.prototype.forEach.call(section.querySelectorAll("[data-src], [data-poster]"), function (el) {
      if (el.hasAttribute("data-poster")) el.setAttribute("poster", el.getAttribute("data-poster"));
      if (el.hasAttribute("data-src")) el.setAttribute("src", el.getAttribute("data-src"));
      el.removeAttribute("data-src");
      el.removeAttribute("data-poster");
    });
    attached[id].forEach(function (tracker) { tracker.reset(); tracker.finished = false; });
    var required = byId[id].media.some(function (m) { return m.requireComplete; });
    gate(section, required && normal() && !done[id] && !wentOn(byId[id]));
  }

  /** @param {HTMLElement} section */
  function hidden(section) {
    Array.prototype.forEach.call(section.querySelectorAll("video, audio"), function (/** @type {HTMLMediaElement} */ el) {
      if (!el.paused) el.pause();
    });
  }

  /** @type {HTMLElement[]} */
  var sections = Array.prototype.filter.call(document.querySelectorAll("section.scene"), function (section) {
    var scene = byId[section.getAttribute("data-scene")];
    return scene && scene.media;
  });
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      var section = /** @type {HTMLElement} */ (record.target);
      if (sections.indexOf(section) < 0) return;
      if (section.hidden) hidden(section);
      else shown(section);
    });
  }).observe(document.getElementById("main"), { subtree: true, attributes: true, attributeFilter: ["hidden"] });
  // The player may have shown the first scene before this script ran.
  sections.forEach(function (section) { if (!section.hidden) shown(section); });

  // A way on that a kind's handler enabled again while the media is still required.
  document.addEventListener("click", function (event) {
    var target = /** @type {Element} */ (event.target).closest(GATED);
    if (target && target.closest("[data-media-waiting]")) { event.stopImmediatePropagation(); event.preventDefault(); }
  }, true);
})(globalThis);
