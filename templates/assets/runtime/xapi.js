// @ts-check
/* xAPI (Tin Can) adapter: launched with endpoint, auth, actor, registration
 * and activity_id on the query string, as Tin Can launch describes. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var X = root.ScormbuildXapi;

  root.ScormbuildRuntime = X.createSession({
    name: "xapi",
    keepsState: true,
    launch: function (course) {
      var params = new URLSearchParams(root.location.search);
      var actor = X.parseActor(params.get("actor"));
      if (!params.get("endpoint") || !actor) return null;
      return {
        endpoint: params.get("endpoint"), auth: params.get("auth"), actor: actor,
        registration: params.get("registration") || undefined,
        activityId: params.get("activity_id") || course.xapi.course.id
      };
    }
  });
})(globalThis);
