// @ts-check
/* Sends xAPI statements from a SCORM package too, when an LRS is configured:
 * by query parameters on the launch URL (endpoint, auth, homePage) or by an
 * lrs.json file beside index.html that the LMS admin places. The SCORM
 * adapter stays in charge of status and resume; this only adds statements. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var X = root.ScormbuildXapi;
  var scorm = root.ScormbuildRuntime;
  var learner = { id: "", name: "" };
  var scormMode = "normal";

  function readConfig() {
    var params = new URLSearchParams(root.location.search);
    if (params.get("endpoint")) {
      return Promise.resolve({ endpoint: params.get("endpoint"), auth: params.get("auth"), homePage: params.get("homePage") });
    }
    return fetch("lrs.json", { cache: "no-store", credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  var xapi = X.createSession({
    name: "scorm-xapi",
    keepsState: false,
    launch: function (course) {
      if (scormMode !== "normal") return null;  // a review or preview in the LMS: nothing to record
      return readConfig().then(function (config) {
        if (!config || !config.endpoint) return null;
        var actor = { objectType: "Agent",
                      account: { homePage: config.homePage || root.location.origin, name: learner.id || "anonymous" } };
        if (learner.name) actor.name = learner.name;
        return { endpoint: config.endpoint, auth: config.auth, actor: actor, activityId: course.xapi.course.id };
      });
    }
  });

  function both(name) {
    return function () {
      var value = scorm[name].apply(scorm, arguments);
      xapi[name].apply(xapi, arguments);
      return value;
    };
  }

  root.ScormbuildRuntime = {
    standard: scorm.standard,
    rejected: scorm.rejected,
    xapi: xapi,
    start: function (course, onStatus) {
      var launch = /** @type {LaunchResult} */ (scorm.start(course, onStatus));  // SCORM starts synchronously
      learner = { id: launch.learnerId, name: launch.learnerName };
      scormMode = launch.mode;
      xapi.start(course, function () { /* the SCORM status line speaks for the LMS */ });
      return launch;
    },
    recordInteraction: both("recordInteraction"),
    saveReflection: both("saveReflection"),
    /* Media statements go to the LRS only: SCORM's data model has no place for them. */
    recordMedia: function (event) { if (xapi.recordMedia) xapi.recordMedia(event); },
    saveState: both("saveState"),
    setResult: both("setResult"),
    commit: both("commit"),
    pause: both("pause"),
    finish: both("finish")
  };
})(globalThis);
