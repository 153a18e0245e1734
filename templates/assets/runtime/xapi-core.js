// @ts-check
/* xAPI building blocks shared by the Tin Can (xapi.js), cmi5 (cmi5.js) and
 * SCORM-mirror (xapi-mirror.js) adapters:
 *  - Client: the LRS's statements and state resources over fetch;
 *  - Queue: statements are stored in localStorage *before* sending, sent in
 *    batches, retried with back-off, flushed with keepalive when the page is
 *    hidden, and removed only once the LRS has acknowledged them. Each carries
 *    its own UUID, so a resend is never stored twice. A queue belongs to one
 *    registration and (cmi5) one session: another session's statements are
 *    never sent with this session's credentials. 401/403 stop the sending (the
 *    credentials are no longer valid): the statements are kept and the learner
 *    is told;
 *  - Factory: turns the player's records into statements, using the activity
 *    definitions built at compile time (course.xapi);
 *  - createSession(profile): the runtime interface on top of those, with a
 *    profile supplying what differs (launch, context, which statements).
 */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var C = root.ScormbuildCommon;
  var XAPI_VERSION = "1.0.3";
  var REQUEST_TIMEOUT_MS = 10000;
  var BATCH_SIZE = 20;        // small enough to send with keepalive (browsers allow 64 KB in flight)
  var KEEPALIVE_BYTES = 60000;  // the most flushOnExit hands the browser (64 KB of keepalive requests in flight)
  // An ordinary batch asks for keepalive only within half of that, so that what is sent with
  // keepalive while it may still be in flight (the exit flush, the State document) has room.
  var KEEPALIVE_BATCH_BYTES = KEEPALIVE_BYTES / 2;
  var VERB_BASE = "http://adlnet.gov/expapi/verbs/";
  var MODULE_TYPE = "http://adlnet.gov/expapi/activities/module";
  var STATE_ID = "scormbuild.state";

  function verb(name) {
    return { id: VERB_BASE + name, display: { "en-US": name } };
  }

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

  /* Launch parameters give actors in the modern form or in Tin Can's older
   * one with arrays ({"name": ["x"], "mbox": ["mailto:y"]}); normalise. */
  function parseActor(text) {
    if (!text) return null;
    var actor;
    try { actor = JSON.parse(text); } catch (e) { return null; }
    var out = { objectType: "Agent" };
    var first = function (v) { return Array.isArray(v) ? v[0] : v; };
    if (actor.name) out.name = first(actor.name);
    if (actor.mbox) out.mbox = first(actor.mbox);
    else if (actor.mbox_sha1sum) out.mbox_sha1sum = first(actor.mbox_sha1sum);
    else if (actor.openid) out.openid = first(actor.openid);
    else if (actor.account) {
      var account = first(actor.account);
      out.account = { homePage: account.homePage || account.accountServiceHomePage,
                      name: account.name || account.accountName };
    }
    return out.mbox || out.mbox_sha1sum || out.openid || out.account ? out : null;
  }

  function actorKey(actor) {
    if (!actor) return "anonymous";
    return actor.mbox || actor.mbox_sha1sum || actor.openid ||
      (actor.account ? actor.account.homePage + "|" + actor.account.name : "anonymous");
  }

  /* ---- Client --------------------------------------------------------------- */
  function Client(endpoint, auth) {
    this.endpoint = endpoint.replace(/\/?$/, "/");
    this.auth = auth;
  }

  Client.prototype.request = function (method, resource, query, body, keepalive) {
    var url = this.endpoint + resource + (query ? "?" + new URLSearchParams(query).toString() : "");
    var headers = { "X-Experience-API-Version": XAPI_VERSION };
    if (this.auth) headers.Authorization = this.auth;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    var controller = root.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    return fetch(url, {
      method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body),
      keepalive: !!keepalive, signal: controller ? controller.signal : undefined, credentials: "omit"
    }).then(function (response) {
      clearTimeout(timer);
      return response;
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  };

  Client.prototype.postStatements = function (statements, keepalive) {
    return this.request("POST", "statements", null, statements, keepalive).then(function (r) { return r.status; });
  };

  Client.prototype.putStatement = function (statement) {
    return this.request("PUT", "statements", { statementId: statement.id }, statement).then(function (r) { return r.status; });
  };

  Client.prototype.stateQuery = function (activityId, agent, registration, stateId) {
    var query = { activityId: activityId, agent: JSON.stringify(agent), stateId: stateId };
    if (registration) query.registration = registration;
    return query;
  };

  Client.prototype.getState = function (activityId, agent, registration, stateId) {
    return this.request("GET", "activities/state", this.stateQuery(activityId, agent, registration, stateId))
      .then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error("state: HTTP " + response.status);
        return response.text().then(function (text) { return text ? JSON.parse(text) : null; });
      });
  };

  Client.prototype.putState = function (activityId, agent, registration, stateId, value, keepalive) {
    return this.request("PUT", "activities/state", this.stateQuery(activityId, agent, registration, stateId),
      value, keepalive).then(function (r) { return r.status; });
  };

  /* ---- Queue ------------------------------------------------------------------ */
  var QUEUE_PREFIX = "scormbuild:queue:";

  /* scope: [profile, course, actor, registration]; session: the cmi5 session id or "". */
  function Queue(scope, session, client, onStatus) {
    this.scope = QUEUE_PREFIX + scope.join(":") + ":";
    this.key = this.scope + (session || "");
    this.client = client;
    this.onStatus = onStatus || function () {};
    this.items = this.load();
    this.sending = false;
    this.inFlight = [];
    this.retry = new C.Backoff();
    this.stopped = false;
    this.rejected = [];
  }

  Queue.prototype.load = function () {
    try { return JSON.parse(root.localStorage.getItem(this.key)) || []; } catch (e) { return []; }
  };

  Queue.prototype.save = function () {
    try { root.localStorage.setItem(this.key, JSON.stringify(this.items)); } catch (e) { /* keep in memory */ }
  };

  /* Statements left by other sessions of this registration cannot be sent any more: the LMS
   * refuses statements of an ended session. Drop them (cmi5 section 9.3.8). */
  Queue.prototype.dropOtherSessions = function () {
    try {
      for (var i = root.localStorage.length - 1; i >= 0; i--) {
        var key = root.localStorage.key(i);
        if (key && key.indexOf(this.scope) === 0 && key !== this.key) {
          if (root.console) root.console.warn("scormbuild: statements of an ended session dropped (" + key + ")");
          root.localStorage.removeItem(key);
        }
      }
    } catch (e) { /* storage blocked */ }
  };

  Queue.prototype.add = function (statement) {
    this.items.push(statement);
    this.save();
  };

  Queue.prototype.remove = function (ids) {
    this.items = this.items.filter(function (s) { return ids.indexOf(s.id) < 0; });
    this.save();
  };

  Queue.prototype.retryLater = function () {
    var self = this;
    if (this.stopped) return;
    if (this.retry.schedule(function () { self.flush(); })) this.onStatus("error", "lrs_retrying");
  };

  /* The credentials are refused: sending again cannot help. Keep everything, say so. */
  Queue.prototype.stop = function () {
    this.stopped = true;
    this.retry.cancel();
    this.onStatus("error", "lrs_auth");
  };

  function refusesCredentials(status) { return status === 401 || status === 403; }

  /* Send what is waiting; resolves when the queue is empty, a retry is scheduled or sending
   * has stopped. While a retry is scheduled, new statements wait for it (the back-off holds). */
  Queue.prototype.flush = function () {
    var self = this;
    if (this.sending) return this.sending;
    if (!this.items.length || this.stopped || this.retry.waiting()) return Promise.resolve();
    var batch = this.items.slice(0, BATCH_SIZE);
    var ids = batch.map(function (s) { return s.id; });
    this.inFlight = ids;
    // keepalive lets the request finish even if the learner closes the page meanwhile.
    var keepalive = JSON.stringify(batch).length < KEEPALIVE_BATCH_BYTES;
    this.sending = this.client.postStatements(batch, keepalive).then(function (status) {
      if (status >= 200 && status < 300) return ids;
      if (refusesCredentials(status)) { self.stop(); return []; }
      // 409: some ids are stored already (a resend); 400: one statement is refused.
      // Either way, go one by one so that each is settled on its own.
      if (status === 409 || status === 400) return self.sendOneByOne(batch);
      throw new Error("HTTP " + status);
    }).then(function (done) {
      self.sending = false;
      self.inFlight = [];
      self.remove(done);
      if (self.stopped) return;
      self.retry.reset();
      if (done.length < ids.length) { self.retryLater(); return; }
      self.onStatus("ok", self.items.length ? "saving" : "lrs_saved");
      return self.flush();
    }, function () {
      self.sending = false;
      self.inFlight = [];
      self.retryLater();
    });
    return this.sending;
  };

  Queue.prototype.sendOneByOne = function (batch) {
    var self = this;
    var done = [];
    return batch.reduce(function (chain, statement) {
      return chain.then(function () {
        if (self.stopped) return;
        return self.client.putStatement(statement).then(function (status) {
          if ((status >= 200 && status < 300) || status === 409) done.push(statement.id);
          else if (refusesCredentials(status)) self.stop();
          else if (status === 400) {
            // Invalid: retrying cannot help; keep it aside rather than block the queue.
            self.rejected.push(statement);
            done.push(statement.id);
            if (root.console) root.console.warn("scormbuild: the LRS refused statement " + statement.id);
          } else throw new Error("HTTP " + status);
        });
      });
    }, Promise.resolve()).then(function () { return done; }, function () { return done; });
  };

  /* When the page goes away: hand what is waiting to the browser (keepalive).
   * The statements stay queued until acknowledged in a later visit to this session; their
   * ids make a resend harmless. */
  Queue.prototype.flushOnExit = function () {
    if (this.stopped) return;
    var inFlight = this.inFlight;
    var waiting = this.items.filter(function (s) { return inFlight.indexOf(s.id) < 0; });
    var batch = [];
    var size = 2;
    for (var i = 0; i < waiting.length; i++) {
      size += JSON.stringify(waiting[i]).length + 1;
      if (size > KEEPALIVE_BYTES) break;
      batch.push(waiting[i]);
    }
    if (batch.length) this.client.postStatements(batch, true).catch(function () {});
  };

  /* Send everything and resolve once the LRS has it all, retrying with the usual back-off
   * (the learner's Exit: after terminated, another session could not send these any more);
   * resolves at once when the credentials are refused. */
  Queue.prototype.drain = function () {
    var self = this;
    return new Promise(function (resolve) {
      function again() {
        if (!self.items.length || self.stopped) { resolve(); return; }
        self.retry.cancel();
        Promise.resolve(self.flush()).then(function () {
          var wait = self.items.length && !self.stopped ? self.retry.lastDelay() : 0;
          setTimeout(again, wait);
        });
      }
      again();
    });
  };

  /* ---- Factory ----------------------------------------------------------------- */
  /* How xAPI writes a learner's response (result.response, the interactionType's format). */
  /** @type {ResponseFormats} */
  var RESPONSES = {
    "true-false": { type: "true-false", values: ["true", "false"] },
    choice: { type: "choice", delimiter: "[,]" },
    matching: { type: "matching", delimiter: "[,]", pair: "[.]" },
    sequencing: { type: "sequencing", delimiter: "[,]" },
    text: { type: "long-fill-in" },
    "fill-in": { type: "fill-in" }
  };

  function Factory(xapi, actor, options) {
    this.xapi = xapi;
    this.actor = actor;
    this.options = options; // {activityId, registration, language, decorate(statement, kind)}
  }

  /* kind: "course", "defined" or "allowed" (cmi5's names); an answer or a scene ("allowed")
   * has the course as its parent, and as its grouping unless the LMS's template gives one. */
  Factory.prototype.statement = function (verbName, object, result, kind) {
    var activities = {};
    if (kind === "allowed") activities.parent = [{ id: this.options.activityId || this.xapi.course.id, objectType: "Activity" }];
    var statement = {
      id: uuid(), timestamp: new Date().toISOString(), actor: this.actor, verb: verb(verbName), object: object,
      context: { contextActivities: activities }
    };
    if (this.options.registration) statement.context.registration = this.options.registration;
    if (this.options.language) statement.context.language = this.options.language;
    if (result) statement.result = result;
    if (this.options.decorate) this.options.decorate(statement, kind);
    activities = statement.context.contextActivities;
    if (kind === "allowed" && !activities.grouping) activities.grouping = [{ id: this.xapi.course.id, objectType: "Activity" }];
    return statement;
  };

  Factory.prototype.courseObject = function () {
    var course = clone(this.xapi.course);
    course.id = this.options.activityId || course.id;
    return course;
  };

  Factory.prototype.course = function (verbName, result, kind) {
    return this.statement(verbName, this.courseObject(), result, kind || "course");
  };

  Factory.prototype.answered = function (rec) {
    var response = C.encodeResponse(RESPONSES, rec, rec.response);
    var result = { response: response, duration: C.isoDuration(rec.latencyMs) };
    if (rec.result !== "neutral") result.success = rec.result === "correct";
    if (rec.weighting > 0) {
      var points = Math.max(0, Math.min(rec.points || 0, rec.weighting));
      result.score = { raw: points, min: 0, max: rec.weighting, scaled: C.round4(points / rec.weighting) };
    }
    // The course's variables after the answer, under an extension IRI of the course's own.
    if (rec.variables) {
      result.extensions = {};
      result.extensions[this.xapi.course.id + "/extensions/variables"] = clone(rec.variables);
    }
    var object = { id: this.xapi.interactionBase + rec.id, objectType: "Activity",
                   definition: clone(this.xapi.interactions[rec.id]) };
    return this.statement("answered", object, result, "allowed");
  };

  Factory.prototype.experienced = function (scene) {
    var object = { id: this.xapi.sceneBase + scene.id, objectType: "Activity",
                   definition: { name: {}, type: MODULE_TYPE } };
    object.definition.name[this.options.language || "und"] = scene.title;
    return this.statement("experienced", object, null, "allowed");
  };

  /* ---- xAPI Video Profile (https://w3id.org/xapi/video): what media.js reports ---------- */
  var VIDEO = "https://w3id.org/xapi/video/";
  var MEDIA_TYPES = { video: VIDEO + "activity-type/video", audio: "https://w3id.org/xapi/audio/activity-type/audio" };
  var VIDEO_VERBS = { played: 1, paused: 1, seeked: 1 };  // initialized and completed are ADL's

  /** @param {MediaEvent} event */
  Factory.prototype.media = function (event) {
    var ext = function (name) { return VIDEO + "extensions/" + name; };
    var object = { id: event.media.id, objectType: "Activity",
                   definition: { name: {}, type: MEDIA_TYPES[event.media.type] || MEDIA_TYPES.video } };
    object.definition.name[this.options.language || "und"] = event.media.title;
    var extensions = {};
    if (event.verb === "seeked") {
      extensions[ext("time-from")] = event.timeFrom;
      extensions[ext("time-to")] = event.time;
    } else if (event.verb !== "initialized") extensions[ext("time")] = event.time;
    if (event.verb === "paused" || event.verb === "completed") {
      extensions[ext("progress")] = event.progress;
      extensions[ext("played-segments")] = event.playedSegments;
    }
    var result = event.verb === "initialized" ? null : { extensions: extensions };
    if (event.verb === "completed") {
      result.completion = true;
      result.duration = C.isoDuration(event.durationMs || 0);
    }
    var statement = this.statement(event.verb, object, result, "allowed");
    if (VIDEO_VERBS[event.verb]) statement.verb = { id: VIDEO + "verbs/" + event.verb, display: { "en-US": event.verb } };
    var context = statement.context;
    context.contextActivities.category = (context.contextActivities.category || []).concat(
      [{ id: VIDEO.slice(0, -1), definition: { type: "http://adlnet.gov/expapi/activities/profile" } }]);
    // After the profile's decorate (cmi5 puts the LMS's context template's extensions there).
    context.extensions = context.extensions || {};
    context.extensions[ext("session-id")] = event.sessionId;
    if (event.length > 0) context.extensions[ext("length")] = event.length;
    if (event.verb === "initialized" && event.media.requireComplete) context.extensions[ext("completion-threshold")] = 1;
    return statement;
  };

  /* Score result as xAPI writes it: scaled 0..1, raw as the percentage. */
  function scoreResult(percent) {
    return { scaled: C.round4(percent / 100), raw: percent, min: 0, max: 100 };
  }

  /* Statements about the result and the exit, as plain xAPI (Tin Can) sends them. */
  function resultStatements(factory, result, durationMs) {
    var out = [];
    var duration = C.isoDuration(durationMs);
    if (result.completed) out.push(factory.course("completed", { completion: true, duration: duration }));
    if (result.passed === true || result.passed === false) {
      var outcome = { success: result.passed, completion: !!result.completed, duration: duration };
      if (result.scorePercent !== null) outcome.score = scoreResult(result.scorePercent);
      out.push(factory.course(result.passed ? "passed" : "failed", outcome));
    }
    return out;
  }

  /* Tin Can: leaving unfinished suspends, leaving finished terminates. */
  function exitStatements(factory, completed, durationMs) {
    return [factory.course(completed ? "terminated" : "suspended", { duration: C.isoDuration(durationMs) })];
  }

  /* A statement's ADL verb by name ("completed"), from its id. */
  function verbOf(statement) { return statement.verb.id.slice(VERB_BASE.length); }

  /* Tin Can and the SCORM mirror: "resumed" when the learner goes on, else "initialized". */
  function startVerb(resumed) { return resumed ? "resumed" : "initialized"; }

  /* ---- Session: the runtime interface ---------------------------------------- */
  /* profile (XapiProfile in ../types.js): {name, keepsState, launch(course) -> Promise<launch|null>, decorate,
   *           startVerb(resumed), resultStatements(factory, result, durationMs, launch),
   *           exitStatements(factory, completed, durationMs, launch, explicit)}
   * launch: {endpoint, auth, actor, registration, activityId, sessionId, mode ("normal",
   *          "review", "browse"), continuing (a reload inside the session), passMark, language,
   *          audioOff, canExit, returnURL} or {ended: true}, or null without an LRS. */
  /** @param {XapiProfile} profile @returns {Runtime} */
  function createSession(profile) {
    /** @type {StatusCallback} */
    var onStatus = function () {};
    var session = null;
    var backup = null;
    var snapshot = { location: "", suspendData: "", reflections: {}, sent: {} };
    var scenesById = {};
    var startedAt = Date.now();
    var finished = false;
    var readOnly = false;
    var starting = null;  // calls made before the launch has settled wait for it
    profile.resultStatements = profile.resultStatements || resultStatements;
    profile.exitStatements = profile.exitStatements || exitStatements;
    profile.startVerb = profile.startVerb || startVerb;

    function whenStarted(fn) {
      return function () {
        var args = arguments;
        if (starting) { starting.then(function () { fn.apply(null, args); }); return; }
        fn.apply(null, args);
      };
    }

    function keep() { if (backup && !readOnly) backup.write(snapshot); }

    function saveRemoteState(keepalive) {
      if (!session || !profile.keepsState || readOnly) return;
      session.client.putState(session.launch.activityId, session.launch.actor, session.launch.registration,
        STATE_ID, snapshot, keepalive).catch(function () { /* the local backup has it */ });
    }

    function send(statements) {
      if (!session || finished) return;
      statements.forEach(function (s) { session.queue.add(s); });
      session.queue.flush();
    }

    /** @param {XapiLaunch | null} launch @returns {LaunchResult} */
    function offline(launch) {
      if (launch && launch.ended) {
        // This launch's session is over (terminated): show the attempt as this device last saw
        // it, finished or not, and record nothing.
        readOnly = true;
        var kept = backup.read() || { location: "", suspendData: "", reflections: {} };
        onStatus("info", "review");
        return { connected: false, ended: true, mode: "review", resumed: false, completed: !!kept.completed,
                 location: kept.location, suspendData: kept.suspendData, reflections: kept.reflections || {} };
      }
      var local = C.newerState({ location: "", suspendData: "" }, backup.read(), false);
      snapshot = { location: local.location, suspendData: local.suspendData, reflections: local.reflections || {},
                   sent: {} };
      onStatus("offline", "no_lrs");
      return { connected: false, mode: "normal", resumed: !!local.suspendData, location: local.location,
               suspendData: local.suspendData, reflections: snapshot.reflections };
    }

    var runtime = {
      standard: profile.name,
      get queue() { return session && session.queue; },

      start: function (course, statusCallback) {
        onStatus = statusCallback || onStatus;
        course.scenes.forEach(function (scene) { scenesById[scene.id] = scene; });
        starting = Promise.resolve(profile.launch(course)).then(/** @returns {LaunchResult | Promise<LaunchResult>} */ function (launch) {
          backup = new C.LocalBackup([profile.name, course.id, course.version, actorKey(launch && launch.actor)]);
          if (!launch || launch.ended) return offline(launch);
          var mode = launch.mode || "normal";
          readOnly = mode !== "normal";
          var client = new Client(launch.endpoint, launch.auth);
          var scope = [profile.name, course.id, actorKey(launch.actor), launch.registration || ""];
          session = {
            launch: launch, client: client,
            // In Browse and Review only initialized and terminated go out: the status line keeps
            // saying that nothing is recorded.
            queue: new Queue(scope, launch.sessionId, client, function (level, code) { if (!readOnly) onStatus(level, code); }),
            factory: new Factory(course.xapi, launch.actor, {
              activityId: launch.activityId, registration: launch.registration, language: course.language,
              decorate: function (statement, kind) { if (profile.decorate) profile.decorate(statement, kind, launch); }
            })
          };
          if (launch.sessionId) session.queue.dropOtherSessions();
          var remote = profile.keepsState
            ? client.getState(launch.activityId, launch.actor, launch.registration, STATE_ID).catch(function () { return null; })
            : Promise.resolve(null);  // the SCORM mirror: the SCORM adapter keeps the state
          return remote.then(function (saved) {
            saved = C.savedState(saved && typeof saved === "object" ? saved : {});
            var local = readOnly ? null : backup.read();
            var merged = C.newerState(saved, local, false);
            var sent = {};
            [saved.sent, local && local.sent].forEach(function (s) { Object.keys(s || {}).forEach(function (k) { sent[k] = true; }); });
            snapshot = { location: merged.location, suspendData: merged.suspendData, reflections: merged.reflections || {},
                         completed: !!(saved.completed || (merged.restoredLocally && local.completed)), sent: sent };
            var resumed = !!merged.suspendData;
            if (!launch.continuing) send([session.factory.course(profile.startVerb(resumed), null, "defined")]);
            onStatus(readOnly ? "info" : "ok", readOnly ? mode : "lrs_connected");
            return { connected: true, resumed: resumed, mode: mode, completed: snapshot.completed,
                     location: merged.location, suspendData: merged.suspendData, reflections: snapshot.reflections,
                     learnerName: launch.actor.name || "", passMark: launch.passMark === undefined ? null : launch.passMark,
                     language: launch.language || "", audioOff: !!launch.audioOff, canExit: !!launch.canExit };
          });
        });
        var started = starting;
        return started.then(function (result) { starting = null; return result; },
                            function (error) { starting = null; throw error; });
      },

      recordInteraction: whenStarted(function (rec) {
        if (session && !readOnly) send([session.factory.answered(rec)]);
      }),

      /* xAPI Video Profile statements, between the course's own (cmi5 allows them). */
      recordMedia: whenStarted(function (event) {
        if (session && !readOnly) send([session.factory.media(event)]);
      }),

      saveReflection: whenStarted(function (sceneId, text) {
        if (readOnly) return;
        snapshot.reflections[sceneId] = text;
        keep();
      }),

      saveState: whenStarted(function (location, suspendData) {
        if (readOnly) return;
        var moved = location !== snapshot.location || !snapshot.shown;
        snapshot.location = location;
        snapshot.suspendData = suspendData;
        snapshot.shown = true;
        keep();
        if (session && moved && scenesById[location]) send([session.factory.experienced(scenesById[location])]);
      }),

      /* completed, passed and failed go out at most once per registration (cmi5 9.3): what was
       * sent is remembered in the State document and the local backup. */
      setResult: whenStarted(function (result) {
        if (readOnly) return;
        snapshot.completed = !!result.completed;
        if (session) {
          var fresh = profile.resultStatements(session.factory, result, Date.now() - startedAt, session.launch)
            .filter(function (s) { return !snapshot.sent[verbOf(s)]; });
          fresh.forEach(function (s) { snapshot.sent[verbOf(s)] = true; });
          keep();
          send(fresh);
        } else keep();
      }),

      commit: whenStarted(function () {
        if (!session) return;
        session.queue.flush();
        saveRemoteState(false);
      }),

      /* The page is hidden and may be killed without another event: hand everything over now. */
      pause: function () {
        if (!session || finished) return;
        saveRemoteState(true);
        session.queue.flushOnExit();
      },

      finish: function (completed) {
        if (!session || finished) return;
        send(profile.exitStatements(session.factory, completed, Date.now() - startedAt, session.launch, false));
        finished = true;
        saveRemoteState(true);
        session.queue.flushOnExit();  // what the flush above did not take
      },

      /* The learner's Exit: end the session, wait until the LRS has everything (the status line
       * says so while it retries), and give the address to go to (cmi5 returnURL), if any. */
      exit: function (completed) {
        if (!session) return Promise.resolve(null);
        if (!finished) {
          send(profile.exitStatements(session.factory, completed, Date.now() - startedAt, session.launch, true));
          finished = true;
        }
        saveRemoteState(false);
        return session.queue.drain().then(function () { return session.launch.returnURL || null; });
      }
    };
    return runtime;
  }

  root.ScormbuildXapi = {
    Client: Client, Queue: Queue, createSession: createSession,
    parseActor: parseActor, verb: verb, scoreResult: scoreResult, clone: clone
  };
})(globalThis);
