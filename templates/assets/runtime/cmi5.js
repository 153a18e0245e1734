/* cmi5 adapter: the AU side of the cmi5 launch sequence.
 * Launch URL: endpoint, fetch, actor, registration, activityId. The AU posts
 * to the fetch URL for its credential, reads LMS.LaunchData from the state API
 * (the LMS has already sent "launched"), sends "initialized", then
 * "completed" and "passed"/"failed" by the mastery score, and "terminated".
 * Every statement carries the LMS's context template; cmi5-defined ones add
 * the cmi5 (and moveon) categories, "cmi5 allowed" ones (answers) do not. */
(function (root) {
  "use strict";
  var X = root.ScormbuildXapi;
  var C = root.ScormbuildCommon;
  var CATEGORY_CMI5 = { id: "https://w3id.org/xapi/cmi5/context/categories/cmi5", objectType: "Activity" };
  var CATEGORY_MOVEON = { id: "https://w3id.org/xapi/cmi5/context/categories/moveon", objectType: "Activity" };
  var MASTERY_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";

  function fetchToken(url) {
    return fetch(url, { method: "POST", credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error("cmi5 fetch URL: HTTP " + response.status);
      return response.json();
    }).then(function (body) {
      if (!body["auth-token"]) throw new Error("cmi5 fetch URL: " + (body["error-text"] || "no auth-token"));
      return "Basic " + body["auth-token"];
    });
  }

  function masteryScore(launch, course) {
    var fromLms = launch.launchData.masteryScore;
    if (typeof fromLms === "number") return fromLms;
    return course.passMark === null ? null : course.passMark / 100;
  }

  var course = null;

  root.ScormbuildRuntime = X.createSession({
    name: "cmi5",
    keepsState: true,
    launch: function (courseData) {
      course = courseData;
      var params = new URLSearchParams(root.location.search);
      var actor = X.parseActor(params.get("actor"));
      var names = ["endpoint", "fetch", "registration", "activityId"];
      if (!actor || names.some(function (n) { return !params.get(n); })) return null;
      var launch = { endpoint: params.get("endpoint"), actor: actor, registration: params.get("registration"),
                     activityId: params.get("activityId") };
      return fetchToken(params.get("fetch")).then(function (auth) {
        launch.auth = auth;
        return new X.Client(launch.endpoint, auth)
          .getState(launch.activityId, actor, launch.registration, "LMS.LaunchData");
      }).then(function (launchData) {
        if (!launchData || !launchData.contextTemplate) throw new Error("cmi5: LMS.LaunchData is missing");
        launch.launchData = launchData;
        launch.mastery = masteryScore(launch, course);
        return launch;
      });
    },

    decorate: function (statement, kind, launch) {
      var template = X.clone(launch.launchData.contextTemplate);
      var context = statement.context;
      var activities = template.contextActivities || {};
      Object.keys(context.contextActivities).forEach(function (key) { activities[key] = context.contextActivities[key]; });
      context.contextActivities = activities;
      if (template.extensions) context.extensions = template.extensions;
      if (kind === "defined" || kind === "course") {
        var categories = [CATEGORY_CMI5];
        var verbName = statement.verb.display["en-US"];
        if (verbName === "completed" || verbName === "passed" || verbName === "failed") categories.push(CATEGORY_MOVEON);
        if ((verbName === "passed" || verbName === "failed") && launch.mastery !== null) {
          context.extensions = context.extensions || {};
          context.extensions[MASTERY_EXTENSION] = launch.mastery;
        }
        activities.category = (activities.category || []).concat(categories);
        statement.object = { id: launch.activityId, objectType: "Activity" };
      }
    },

    startVerb: function () { return "initialized"; },

    resultStatements: function (factory, result, durationMs, launch) {
      if ((launch.launchData.launchMode || "Normal") !== "Normal") return [];  // Browse and Review record no result
      var duration = C.isoDuration(durationMs);
      var out = [];
      if (result.completed) out.push(factory.course("completed", { completion: true, duration: duration }));
      if (result.scorePercent !== null && launch.mastery !== null) {
        var passed = result.scorePercent / 100 >= launch.mastery;
        out.push(factory.course(passed ? "passed" : "failed",
          { success: passed, score: { scaled: Math.round(result.scorePercent * 100) / 10000 }, duration: duration }));
      }
      return out;
    },

    exitStatements: function (factory, completed, durationMs) {
      return [factory.course("terminated", { duration: C.isoDuration(durationMs) })];
    }
  });
})(window);
