// @ts-check
/* cmi5 adapter: the AU side of the cmi5 launch sequence (AICC cmi5_spec.md).
 * Launch URL: endpoint, fetch, actor, registration, activityId. The AU posts to the fetch
 * URL once per session for its credential (kept in sessionStorage, so a reload inside the
 * session goes on with it, section 8.2.3), reads LMS.LaunchData (section 10.2) and the
 * learner's preferences (section 11), sends "initialized", then "completed" and
 * "passed"/"failed" at most once per registration (section 9.3), and "terminated" when the
 * learner presses Exit (then goes to returnURL, section 10.2.6) or leaves a finished course.
 * A learner who closes the window mid-course is not terminated: a reload goes on, and the
 * LMS abandons the session otherwise. Every statement carries the LMS's context template;
 * cmi5-defined ones add the cmi5 (and moveon) categories, "cmi5 allowed" ones do not.
 * Browse and Review (launchMode) send initialized and terminated only, and save nothing. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var X = root.ScormbuildXapi;
  var C = root.ScormbuildCommon;
  var CATEGORY_CMI5 = { id: "https://w3id.org/xapi/cmi5/context/categories/cmi5", objectType: "Activity" };
  var CATEGORY_MOVEON = { id: "https://w3id.org/xapi/cmi5/context/categories/moveon", objectType: "Activity" };
  var MASTERY_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var SESSION_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
  var PREFERENCES = "cmi5LearnerPreferences";
  var MODES = { Normal: "normal", Browse: "browse", Review: "review" };
  var MOVEON_VERBS = ["completed", "passed", "failed"].map(function (name) { return X.verb(name).id; });
  var VERDICT_VERBS = ["passed", "failed"].map(function (name) { return X.verb(name).id; });

  /* This session's credential, kept for reloads: {auth, ended}. */
  function sessionRecord(fetchUrl, value) {
    var key = "scormbuild:cmi5:" + fetchUrl;
    try {
      if (value === undefined) return JSON.parse(root.sessionStorage.getItem(key));
      root.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage blocked: a reload will need a new launch */ }
    return null;
  }

  function fetchToken(url) {
    var kept = sessionRecord(url);
    if (kept && kept.auth) return Promise.resolve(kept);
    return fetch(url, { method: "POST", credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error("cmi5 fetch URL: HTTP " + response.status);
      return response.json();
    }).then(function (body) {
      if (!body["auth-token"]) throw new Error("cmi5 fetch URL: " + (body["error-text"] || "no auth-token"));
      var record = { auth: "Basic " + body["auth-token"], fresh: true };
      sessionRecord(url, { auth: record.auth });
      return record;
    });
  }

  /* The Learner Preferences document (section 11.0); 403 and 404 mean "none". */
  function preferences(client, actor) {
    return client.request("GET", "agents/profile", { agent: JSON.stringify(actor), profileId: PREFERENCES })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .catch(function () { return {}; });
  }

  function plain(value) { return !!value && typeof value === "object" && !Array.isArray(value); }

  /* An http(s) address to go to, or null: a returnURL such as javascript:… is never followed. */
  function webAddress(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      var url = new URL(value, root.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }

  /* Template arrays first, ours added after: the AU must not overwrite the template (10.2.1).
   * What is not an object or a list in the LMS's template is left out rather than trusted. */
  function mergeActivities(template, ours) {
    var merged = plain(template) ? X.clone(template) : {};
    Object.keys(ours).forEach(function (key) {
      var list = Array.isArray(merged[key]) ? merged[key] : [];
      ours[key].forEach(function (activity) {
        if (!list.some(function (a) { return a.id === activity.id; })) list.push(activity);
      });
      merged[key] = list;
    });
    return merged;
  }

  root.ScormbuildRuntime = X.createSession({
    name: "cmi5",
    keepsState: true,
    launch: function () {
      var params = new URLSearchParams(root.location.search);
      var actor = X.parseActor(params.get("actor"));
      var names = ["endpoint", "fetch", "registration", "activityId"];
      if (!actor || names.some(function (n) { return !params.get(n); })) return null;
      var fetchUrl = params.get("fetch");
      var launch = { endpoint: params.get("endpoint"), actor: actor, registration: params.get("registration"),
                     activityId: params.get("activityId"), fetchUrl: fetchUrl, canExit: true };
      var kept = sessionRecord(fetchUrl);
      if (kept && kept.ended) return { ended: true, actor: actor };  // terminated: this launch is used up
      var client;
      return fetchToken(fetchUrl).then(function (token) {
        launch.auth = token.auth;
        launch.continuing = !token.fresh;
        client = new X.Client(launch.endpoint, launch.auth);
        return Promise.all([client.getState(launch.activityId, actor, launch.registration, "LMS.LaunchData"),
                            preferences(client, actor)]);
      }).then(function (found) {
        var launchData = found[0];
        if (!launchData || !launchData.contextTemplate) throw new Error("cmi5: LMS.LaunchData is missing");
        launch.launchData = launchData;
        launch.mode = MODES[launchData.launchMode] || "normal";
        var extensions = plain(launchData.contextTemplate) && plain(launchData.contextTemplate.extensions)
          ? launchData.contextTemplate.extensions : {};
        launch.sessionId = typeof extensions[SESSION_EXTENSION] === "string" ? extensions[SESSION_EXTENSION] : "";
        launch.returnURL = webAddress(launchData.returnURL);
        var mastery = launchData.masteryScore;
        launch.lmsMastery = typeof mastery === "number" && mastery >= 0 && mastery <= 1 ? mastery : null;
        launch.passMark = launch.lmsMastery === null ? null : Math.round(launch.lmsMastery * 10000) / 100;
        var preferences = plain(found[1]) ? found[1] : {};
        launch.language = typeof preferences.languagePreference === "string" ? preferences.languagePreference : "";
        launch.audioOff = preferences.audioPreference === "off";
        return launch;
      });
    },

    decorate: function (statement, kind, launch) {
      var template = plain(launch.launchData.contextTemplate) ? X.clone(launch.launchData.contextTemplate) : {};
      var context = statement.context;
      context.contextActivities = mergeActivities(template.contextActivities, context.contextActivities);
      if (plain(template.extensions)) context.extensions = template.extensions;
      if (kind === "defined" || kind === "course") {
        var categories = [CATEGORY_CMI5];
        var verbId = statement.verb.id;
        if (MOVEON_VERBS.indexOf(verbId) >= 0) categories.push(CATEGORY_MOVEON);
        // The mastery score the LMS gave, on passed and failed (section 9.6.3.2): none of ours.
        if (VERDICT_VERBS.indexOf(verbId) >= 0 && launch.lmsMastery !== null) {
          context.extensions = context.extensions || {};
          context.extensions[MASTERY_EXTENSION] = launch.lmsMastery;
        }
        context.contextActivities = mergeActivities(context.contextActivities, { category: categories });
        statement.object = { id: launch.activityId, objectType: "Activity" };
      }
    },

    startVerb: function () { return "initialized"; },

    /* The verdict is the player's, made with the LMS's mastery score when it gave one. */
    resultStatements: function (factory, result, durationMs) {
      var duration = C.isoDuration(durationMs);
      var out = [];
      if (result.completed) out.push(factory.course("completed", { completion: true, duration: duration }));
      if (result.passed === true || result.passed === false) {
        var outcome = { success: result.passed, duration: duration };
        if (result.scorePercent !== null) outcome.score = { scaled: X.scoreResult(result.scorePercent).scaled };
        out.push(factory.course(result.passed ? "passed" : "failed", outcome));
      }
      return out;
    },

    /* terminated ends the session for good: on the learner's Exit, or when a finished course
     * is left. Otherwise the session stays open, so that a reload goes on with it. */
    exitStatements: function (factory, completed, durationMs, launch, explicit) {
      if (!explicit && !completed) return [];
      sessionRecord(launch.fetchUrl, { auth: launch.auth, ended: true });
      return [factory.course("terminated", { duration: C.isoDuration(durationMs) })];
    }
  });
})(globalThis);
