/* The part of the SCORM runtime adapter that SCORM 1.2 and 2004 share.
 *
 * The player talks to one small interface (window.ScormbuildRuntime):
 *   start(course, onStatus) -> {connected, resumed, location, suspendData, reflections, learnerName}
 *   recordInteraction(rec), saveReflection(sceneId, text), saveState(location, suspendData),
 *   setResult({completed, scorePercent, passed}), commit(), finish(completed)
 * Each standard supplies a "data model" (scorm12.js, scorm2004.js) that maps
 * those calls to its own element names and formats; this file finds the LMS
 * API, checks every call, retries failed commits and keeps a local backup so
 * that an LMS fault never loses the learner's work.
 */
(function (root) {
  "use strict";


  /* Find the LMS API object the way the SCORM run-time specs describe:
   * up through the parent frames, then through the opener and its parents. */
  function findApi(win, name) {
    function search(w) {
      for (var hops = 0; w && hops < 500; hops++) {
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

  function createSession(model) {
    var api = null;
    var onStatus = function () {};
    var startedAt = Date.now();
    var retryIndex = 0;
    var retryTimer = null;
    var finished = false;
    var rejected = [];
    var backup = null;
    var snapshot = { location: "", suspendData: "", reflections: {} };

    function call(fn) {
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
      if (!ok) {
        var error = lastError() || "refused";
        rejected.push(element + ": " + error);
        if (root.console) root.console.warn("scormbuild: the LMS refused " + element + " (" + error + ")");
        onStatus("warning", "rejected");
      }
      return ok;
    }

    function setAll(pairs) { pairs.forEach(function (p) { set(p[0], p[1]); }); }

    function scheduleRetry() {
      if (retryTimer || finished) return;
      var delay = C.retryDelay(retryIndex);
      retryIndex++;
      onStatus("error", "retrying");
      retryTimer = setTimeout(function () { retryTimer = null; commit(); }, delay);
    }

    function commit() {
      if (!api) return false;
      var ok = call("commit", "") === "true";
      if (ok) {
        retryIndex = 0;
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
        if (api && call("init", "") !== "true") {
          // Some LMSs refuse a second Initialize after a reload; the API is still usable.
          if (root.console) root.console.warn("scormbuild: Initialize failed: " + lastError());
        }
        var launch = api ? model.readLaunch(get) : { resumed: false, location: "", suspendData: "", comments: [] };
        backup = new C.LocalBackup([model.name, course.id, course.version, launch.learnerId || "anonymous"]);
        launch.reflections = model.readReflections(launch.comments || []);
        // Without an LMS, or when the LMS lost saves it had refused, continue from the
        // local copy of an unfinished attempt if it is newer than what the LMS has.
        var result = C.newerState(launch, backup.read(), !!api);
        result.connected = !!api;
        result.resumed = launch.resumed || !!result.restoredLocally;
        result.learnerName = launch.learnerName || "";
        result.learnerId = launch.learnerId || "";
        snapshot = { location: result.location, suspendData: result.suspendData, reflections: result.reflections };
        if (api) setAll(model.startFields(launch));
        onStatus(api ? "ok" : "offline", api ? "connected" : "no_lms");
        return result;
      },

      recordInteraction: function (rec) {
        if (!api) return;
        var n = parseInt(get(model.interactionsCount), 10) || 0;
        setAll(model.interactionFields(rec, n));
      },

      saveReflection: function (sceneId, text) {
        snapshot.reflections[sceneId] = text;
        backup.write(snapshot);
        if (api) setAll(model.reflectionFields(sceneId, text, snapshot.reflections, get));
      },

      saveState: function (location, suspendData) {
        snapshot.location = location;
        snapshot.suspendData = suspendData;
        backup.write(snapshot);
        if (api) setAll(model.stateFields(location, suspendData));
      },

      setResult: function (result) {
        snapshot.completed = !!result.completed;
        backup.write(snapshot);
        if (api) setAll(model.resultFields(result));
      },

      commit: commit,

      finish: function (completed) {
        if (!api || finished) return;
        setAll(model.exitFields(completed, Date.now() - startedAt));
        commit();
        finished = true;
        clearTimeout(retryTimer);
        call("finish", "");
      }
    };
  }

  root.ScormbuildScorm = { createSession: createSession, findApi: findApi };
})(window);
