/* Helpers every runtime adapter uses (SCORM and xAPI alike). */
(function (root) {
  "use strict";

  /* A duration in milliseconds as whole hours, whole minutes and seconds. */
  function clock(ms) {
    var seconds = Math.max(0, ms) / 1000;
    return { h: Math.floor(seconds / 3600), m: Math.floor((seconds % 3600) / 60), s: seconds % 60 };
  }

  function pad(n, width) { var s = String(Math.floor(n)); while (s.length < width) s = "0" + s; return s; }

  function truncate(text, max) {
    text = String(text);
    return text.length <= max ? text : text.slice(0, max - 1) + "\u2026";
  }

  /* Back-off before the n-th retry (0-based) of a save the LMS or LRS did not take. */
  var RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  function retryDelay(attempt) { return RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]; }

  /* ISO 8601 duration, as xAPI and SCORM 2004 write it. */
  function isoDuration(ms) {
    var t = clock(ms);
    return "PT" + (t.h ? t.h + "H" : "") + (t.m ? t.m + "M" : "") + t.s.toFixed(2) + "S";
  }

  /* Local copy of the learner's state, so that work survives saves the LMS or
   * LRS refused or lost. Keyed by standard, course, version and learner. */
  function LocalBackup(parts) {
    this.key = "scormbuild:" + parts.join(":");
  }
  LocalBackup.prototype.read = function () {
    try { return JSON.parse(root.localStorage.getItem(this.key)) || null; } catch (e) { return null; }
  };
  LocalBackup.prototype.write = function (value) {
    try { root.localStorage.setItem(this.key, JSON.stringify(value)); } catch (e) { /* storage full or blocked */ }
  };

  /* The save counter inside an encoded state (see state.js), to tell which of two copies is newer. */
  function seqOf(suspendData) {
    var parts = String(suspendData || "").split("~");
    return parts.length > 2 ? parseInt(parts[2], 36) || 0 : -1;
  }

  /* Pick the newer of the LMS's/LRS's saved state and the local backup. */
  function newerState(remote, local, remoteIsAuthoritative) {
    var localIsNewer = local && !local.completed && seqOf(local.suspendData) > seqOf(remote.suspendData);
    if (localIsNewer && (!remoteIsAuthoritative || remote.resumed || !remote.suspendData)) {
      return { location: local.location, suspendData: local.suspendData,
               reflections: local.reflections || remote.reflections || {}, restoredLocally: true };
    }
    return { location: remote.location, suspendData: remote.suspendData, reflections: remote.reflections || {} };
  }

  root.ScormbuildCommon = {
    clock: clock, pad: pad, truncate: truncate, isoDuration: isoDuration, retryDelay: retryDelay,
    LocalBackup: LocalBackup, seqOf: seqOf, newerState: newerState
  };
})(window);
