// @ts-check
/* The part of the SCORM runtime adapter that SCORM 1.2 and 2004 share.
 *
 * The player talks to one small interface (window.ScormbuildRuntime; Runtime in ../types.js):
 *   start(course, onStatus) -> {connected, resumed, mode, completed, location, suspendData,
 *                               reflections, learnerName, learnerId, passMark, language, audioOff}
 *   recordInteraction(rec), saveReflection(sceneId, text), saveState(location, suspendData),
 *   setResult({completed, scorePercent, passed}), commit(), pause(), finish(completed)
 * Each standard supplies a "data model" (ScormDataModel: scorm12.js, scorm2004.js) that maps those calls to its
 * own element names and formats; this file finds the LMS API, checks every call, retries failed
 * commits and keeps a local backup so that an LMS fault never loses the learner's work.
 *
 * Modes: in review (a finished attempt entered again), browse (Moodle's "Preview") and
 * no-credit, the attempt is read but nothing is written: the LMS stores whatever arrives, in
 * any mode. In normal mode cmi.exit is "suspend" from the first moment until the course is
 * complete, so a tab killed without any unload event still resumes.
 */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /* ADL's API discovery algorithm gives up after this many frames (a guard against loops). */
  var MAX_DISCOVERY_HOPS = 500;

  /* Find the LMS API object the way the SCORM run-time specs describe:
   * up through the parent frames, then through the opener and its parents. */
  /** @param {any} win a window @param {string} name @returns {any} */
  function findApi(win, name) {
    /** @param {Window} w */
    function search(w) {
      for (var hops = 0; w && hops < MAX_DISCOVERY_HOPS; hops++) {
        try {
          if (w[name]) return w[name];
        } catch (e) { /* cross-origin frame: keep climbing */ }
        if (!w.parent || w.parent === w) break;
        w = w.parent;
      }
      return null;
    }
    var api = search(win);
    if (!api && win.opener) {
      try { api = search(win.opener); } catch (e) { api = null; }
    }
    return api;
  }

  var C = root.ScormbuildCommon;

  /* "normal", "review" or "browse" (no-credit in normal mode is a browse: nothing counts). */
  function modeOf(launch) {
    var mode = launch.mode === "review" || launch.mode === "browse" ? launch.mode : "normal";
    return mode === "normal" && launch.credit === "no-credit" ? "browse" : mode;
  }

  /** @param {ScormDataModel} model @returns {Runtime} */
  function createSession(model) {
    var api = null;
    /** @type {StatusCallback} */
    var onStatus = function () {};
    var startedAt = Date.now();
    var retry = new C.Backoff();
    var finished = false;
    var readOnly = false;
    var rejected = [];
    var refusedSinceCommit = false;
    var confirmed = {};    // element -> value at the last commit the LMS confirmed
    var unconfirmed = {};  // element -> value set since then
    var backup = null;
    var snapshot = { location: "", suspendData: "", reflections: {} };

    /** @param {string} fn @param {...any} _args @returns {string} */
    function call(fn, _args) {
      var args = Array.prototype.slice.call(arguments, 1);
      try {
        return String(api[model.calls[fn]].apply(api, args));
      } catch (e) {
        return "false";
      }
    }

    function lastError() {
      var code = call("error");
      return code === "0" || code === "" ? null : code + " " + call("errorString", code);
    }

    function get(element) {
      var value = call("get", element);
      return value === "false" && lastError() ? "" : value;
    }

    function set(element, value) {
      var ok = call("set", element, String(value)) === "true";
      if (ok) unconfirmed[element] = String(value);
      if (!ok) {
        var error = lastError() || "refused";
        rejected.push(element + ": " + error);
        refusedSinceCommit = true;
        if (root.console) root.console.warn("scormbuild: the LMS refused " + element + " (" + error + ")");
        onStatus("warning", "rejected");
      }
      return ok;
    }

    function setAll(pairs) { pairs.forEach(function (p) { set(p[0], p[1]); }); }

    /* Local copy of unconfirmed work (read-only sessions never get here). */
    function keep() {
      snapshot.pending = true;
      backup.write(snapshot);
    }

    function scheduleRetry() {
      if (finished) return;
      var scheduled = retry.schedule(function () {
        if (model.commitsOnlyChanges && !resendable()) scheduleRetry();
        else commit();
      });
      if (scheduled) onStatus("error", "retrying");
    }

    /* Moodle's SCORM 1.2 runtime counts what a failed commit carried as sent (scorm_12.js:
     * 585-592) and commits only what changed since: a plain retry would send none of it. So
     * each element set since the last confirmed commit is changed once (back to its confirmed
     * value where it has one), committed, and set again: the next commit carries it. */
    function resendable() {
      if (model.settle) model.settle({ get: get, set: function (e, v) { return call("set", e, v) === "true"; } });
      var elements = Object.keys(unconfirmed);
      elements.forEach(function (element) {
        var other = model.otherValue(element, unconfirmed[element], confirmed[element]);
        if (other !== null) call("set", element, other);
      });
      if (call("commit", "") !== "true") return false;
      elements.forEach(function (element) { call("set", element, model.replayValue(element, unconfirmed[element])); });
      return true;
    }

    function commit() {
      if (!api || readOnly) return false;
      var ok = call("commit", "") === "true";
      if (ok) {
        Object.keys(unconfirmed).forEach(function (element) { confirmed[element] = unconfirmed[element]; });
        unconfirmed = {};
        retry.reset();
        if (!refusedSinceCommit && snapshot.pending) {
          snapshot.pending = false;
          backup.write(snapshot);
        }
        refusedSinceCommit = false;
        onStatus("ok", "saved");
      } else {
        scheduleRetry();
      }
      return ok;
    }

    return {
      standard: model.name,
      rejected: rejected,

      start: function (course, statusCallback) {
        onStatus = statusCallback || onStatus;
        api = findApi(root, model.apiName);
        model.language = course.language;
        if (api && call("init", "") !== "true") {
          // Some LMSs refuse a second Initialize after a reload; the API is still usable.
          if (root.console) root.console.warn("scormbuild: Initialize failed: " + lastError());
        }
        var launch = api ? model.readLaunch(get) : { entry: "", location: "", suspendData: "", comments: "" };
        var mode = api ? modeOf(launch) : "normal";
        readOnly = mode !== "normal";
        backup = new C.LocalBackup([model.name, course.id, course.version, launch.learnerId || "anonymous"]);
        launch.reflections = api ? model.readReflections(launch.comments) : {};
        /** @type {LaunchResult} */
        var result;
        if (mode === "browse") {
          result = { location: "", suspendData: "", reflections: {} };  // a preview starts afresh
        } else if (mode === "review") {
          result = { location: launch.location, suspendData: launch.suspendData, reflections: launch.reflections };
        } else {
          // Without an LMS, or when the LMS lost saves it had refused, continue from the
          // local copy of an unfinished attempt if it is newer than what the LMS has.
          result = C.newerState(launch, backup.read(), !!api);
        }
        result.connected = !!api;
        result.mode = mode;
        result.completed = !!launch.completed;
        result.resumed = mode !== "browse" && (!!launch.resumed || !!result.restoredLocally);
        result.learnerName = launch.learnerName || "";
        result.learnerId = launch.learnerId || "";
        result.passMark = launch.passMark === undefined ? null : launch.passMark;
        result.language = launch.language || "";
        result.audioOff = !!launch.audioOff;
        snapshot = { location: result.location, suspendData: result.suspendData, reflections: result.reflections,
                     pending: !!result.restoredLocally };
        if (api && readOnly) {
          var fields = model.readOnlyFields(launch, mode);
          if (fields.length) {
            setAll(fields);
            call("commit", "");
          }
        } else if (api) {
          setAll(model.startFields(launch));
          setAll(model.exitFields(!!launch.completed));
          commit();
        }
        onStatus(api ? (readOnly ? "info" : "ok") : "offline", api ? (readOnly ? mode : "connected") : "no_lms");
        return result;
      },

      recordInteraction: function (rec) {
        if (!api || readOnly) return;
        var n = parseInt(get(model.interactionsCount), 10) || 0;
        setAll(model.interactionFields(rec, n));
        snapshot.pending = true;
      },

      saveReflection: function (sceneId, text) {
        if (readOnly) return;
        snapshot.reflections[sceneId] = text;
        keep();
        if (api) model.writeReflection({ get: get, set: set }, sceneId, text, snapshot.reflections);
      },

      saveState: function (location, suspendData) {
        if (readOnly) return;
        snapshot.location = location;
        snapshot.suspendData = suspendData;
        keep();
        if (api) setAll(model.stateFields(location, suspendData));
      },

      setResult: function (result) {
        if (readOnly) return;
        snapshot.completed = !!result.completed;
        keep();
        if (!api) return;
        setAll(model.resultFields(result));
        if (result.completed) setAll(model.exitFields(true));
      },

      commit: commit,

      /* The page is hidden (another tab, the phone's home screen): it may never come back. */
      pause: function () { if (api && !finished) commit(); },

      finish: function (completed) {
        if (!api || finished) return;
        if (!readOnly) {
          setAll(model.exitFields(completed));
          setAll(model.sessionFields(Date.now() - startedAt));
          commit();
        }
        finished = true;
        retry.cancel();
        call("finish", "");
      }
    };
  }

  root.ScormbuildScorm = { createSession: createSession, findApi: findApi };
})(globalThis);
