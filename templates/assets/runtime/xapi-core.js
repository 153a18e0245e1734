/* xAPI building blocks shared by the Tin Can (xapi.js), cmi5 (cmi5.js) and
 * SCORM-mirror (xapi-mirror.js) adapters:
 *  - Client: the LRS's statements and state resources over fetch;
 *  - Queue: statements are stored in localStorage *before* sending, sent in
 *    batches, retried with back-off, flushed with keepalive when the page is
 *    hidden, and removed only once the LRS has acknowledged them. Each carries
 *    its own UUID, so a resend is never stored twice;
 *  - Factory: turns the player's records into statements, using the activity
 *    definitions built at compile time (course.xapi);
 *  - createSession(profile): the runtime interface on top of those, with a
 *    profile supplying what differs (launch, context, which statements).
 */
(function (root) {
  "use strict";
  var C = root.ScormbuildCommon;
  var XAPI_VERSION = "1.0.3";
  var REQUEST_TIMEOUT_MS = 10000;
  var BATCH_SIZE = 20;        // small enough to send with keepalive (browsers allow 64 KB in flight)
  var KEEPALIVE_BYTES = 60000;
  var STATE_ID = "scormbuild.state";

  function verb(name) {
    return { id: "http://adlnet.gov/expapi/verbs/" + name, display: { "en-US": name } };
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
  function Queue(storageKey, client, onStatus) {
    this.key = "scormbuild:queue:" + storageKey;
    this.client = client;
    this.onStatus = onStatus || function () {};
    this.items = this.load();
    this.sending = false;
    this.inFlight = [];
    this.retryIndex = 0;
    this.timer = null;
    this.rejected = [];
  }

  Queue.prototype.load = function () {
    try { return JSON.parse(root.localStorage.getItem(this.key)) || []; } catch (e) { return []; }
  };

  Queue.prototype.save = function () {
    try { root.localStorage.setItem(this.key, JSON.stringify(this.items)); } catch (e) { /* keep in memory */ }
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
    if (this.timer) return;
    var delay = C.retryDelay(this.retryIndex);
    this.retryIndex++;
    this.onStatus("error", "lrs_retrying");
    this.timer = setTimeout(function () { self.timer = null; self.flush(); }, delay);
  };

  /* Send what is waiting; resolves when the queue is empty or a retry is scheduled. */
  Queue.prototype.flush = function () {
    var self = this;
    if (this.sending) return this.sending;
    if (!this.items.length) return Promise.resolve();
    var batch = this.items.slice(0, BATCH_SIZE);
    var ids = batch.map(function (s) { return s.id; });
    this.inFlight = ids;
    // keepalive lets the request finish even if the learner closes the page meanwhile.
    var keepalive = JSON.stringify(batch).length < KEEPALIVE_BYTES / 2;
    this.sending = this.client.postStatements(batch, keepalive).then(function (status) {
      if (status >= 200 && status < 300) return ids;
      // 409: some ids are stored already (a resend); 400: one statement is refused.
      // Either way, go one by one so that each is settled on its own.
      if (status === 409 || status === 400) return self.sendOneByOne(batch);
      throw new Error("HTTP " + status);
    }).then(function (done) {
      self.sending = false;
      self.inFlight = [];
      self.remove(done);
      self.retryIndex = 0;
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
        return self.client.putStatement(statement).then(function (status) {
          if ((status >= 200 && status < 300) || status === 409) done.push(statement.id);
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
   * The statements stay queued until acknowledged in a later session; their
   * ids make a resend harmless. */
  Queue.prototype.flushOnExit = function () {
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

  /* ---- Factory ----------------------------------------------------------------- */
  function Factory(xapi, actor, options) {
    this.xapi = xapi;
    this.actor = actor;
    this.options = options; // {activityId, registration, language, decorate(statement, kind)}
  }

  Factory.prototype.statement = function (verbName, object, result, kind) {
    var statement = {
      id: uuid(), timestamp: new Date().toISOString(), actor: this.actor, verb: verb(verbName), object: object,
      context: { contextActivities: {} }
    };
    if (this.options.registration) statement.context.registration = this.options.registration;
    if (this.options.language) statement.context.language = this.options.language;
    if (result) statement.result = result;
    if (this.options.decorate) this.options.decorate(statement, kind);
    return statement;
  };

  Factory.prototype.courseObject = function () {
    var course = clone(this.xapi.course);
    course.id = this.options.activityId || course.id;
    return course;
  };

  Factory.prototype.withParent = function (statement) {
    var activities = statement.context.contextActivities;
    activities.parent = [{ id: this.options.activityId || this.xapi.course.id, objectType: "Activity" }];
    if (!activities.grouping) activities.grouping = [{ id: this.xapi.course.id, objectType: "Activity" }];
    return statement;
  };

  Factory.prototype.course = function (verbName, result, kind) {
    return this.statement(verbName, this.courseObject(), result, kind || "course");
  };

  Factory.prototype.answered = function (rec) {
    var response;
    if (rec.type === "true-false") response = rec.response ? "true" : "false";
    else if (rec.type === "choice") response = rec.response.join("[,]");
    else response = String(rec.response);
    var result = { response: response, duration: C.isoDuration(rec.latencyMs) };
    if (rec.result !== "neutral") result.success = rec.result === "correct";
    if (rec.weighting > 0) {
      var points = Math.max(0, Math.min(rec.points || 0, rec.weighting));
      result.score = { raw: points, min: 0, max: rec.weighting, scaled: Math.round((points / rec.weighting) * 10000) / 10000 };
    }
    var object = { id: this.xapi.interactionBase + rec.id, objectType: "Activity",
                   definition: clone(this.xapi.interactions[rec.id]) };
    return this.withParent(this.statement("answered", object, result, "allowed"));
  };

  Factory.prototype.experienced = function (scene) {
    var object = { id: this.xapi.sceneBase + scene.id, objectType: "Activity",
                   definition: { name: {}, type: "http://adlnet.gov/expapi/activities/module" } };
    object.definition.name[this.options.language || "und"] = scene.title;
    return this.withParent(this.statement("experienced", object, null, "allowed"));
  };

  /* Score result as xAPI writes it: scaled 0..1, raw as the percentage. */
  function scoreResult(percent) {
    return { scaled: Math.round(percent * 100) / 10000, raw: percent, min: 0, max: 100 };
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

  function exitStatements(factory, completed, durationMs) {
    return [factory.course(completed ? "terminated" : "suspended", { duration: C.isoDuration(durationMs) })];
  }

  /* ---- Session: the runtime interface ---------------------------------------- */
  /* profile: {name, keepsState, launch(course) -> Promise<launch|null>, decorate,
   *           startVerb(resumed), resultStatements(factory, result, durationMs, launch),
   *           exitStatements(factory, completed, durationMs)} */
  function createSession(profile) {
    var onStatus = function () {};
    var session = null;
    var backup = null;
    var snapshot = { location: "", suspendData: "", reflections: {} };
    var scenesById = {};
    var startedAt = Date.now();
    var finished = false;
    var starting = null;  // calls made before the launch has settled wait for it
    profile.resultStatements = profile.resultStatements || resultStatements;
    profile.exitStatements = profile.exitStatements || exitStatements;

    function whenStarted(fn) {
      return function () {
        var args = arguments;
        if (starting) { starting.then(function () { fn.apply(null, args); }); return; }
        fn.apply(null, args);
      };
    }

    function saveRemoteState(keepalive) {
      if (!session || !profile.keepsState) return;
      session.client.putState(session.launch.activityId, session.launch.actor, session.launch.registration,
        STATE_ID, snapshot, keepalive).catch(function () { /* the local backup has it */ });
    }

    function send(statements) {
      if (!session || finished) return;
      statements.forEach(function (s) { session.queue.add(s); });
      session.queue.flush();
    }

    var runtime = {
      standard: profile.name,
      get queue() { return session && session.queue; },

      start: function (course, statusCallback) {
        onStatus = statusCallback || onStatus;
        course.scenes.forEach(function (scene) { scenesById[scene.id] = scene; });
        starting = Promise.resolve(profile.launch(course)).then(function (launch) {
          backup = new C.LocalBackup([profile.name, course.id, course.version, actorKey(launch && launch.actor)]);
          if (!launch) {
            onStatus("offline", "no_lrs");
            var local = C.newerState({ location: "", suspendData: "" }, backup.read(), false);
            snapshot = local;
            return { connected: false, resumed: !!local.suspendData, location: local.location,
                     suspendData: local.suspendData, reflections: local.reflections };
          }
          var client = new Client(launch.endpoint, launch.auth);
          session = {
            launch: launch, client: client,
            queue: new Queue([profile.name, course.id, actorKey(launch.actor)].join(":"), client, function (level, code) { onStatus(level, code); }),
            factory: new Factory(course.xapi, launch.actor, {
              activityId: launch.activityId, registration: launch.registration, language: course.language,
              decorate: function (statement, kind) { if (profile.decorate) profile.decorate(statement, kind, launch); }
            })
          };
          var remote = profile.keepsState
            ? client.getState(launch.activityId, launch.actor, launch.registration, STATE_ID).catch(function () { return null; })
            : Promise.resolve(launch.saved || null);
          return remote.then(function (saved) {
            var merged = C.newerState(saved || { location: "", suspendData: "" }, backup.read(), false);
            snapshot = { location: merged.location, suspendData: merged.suspendData, reflections: merged.reflections || {} };
            var resumed = !!merged.suspendData;
            send([session.factory.course(profile.startVerb(resumed), null, "defined")]);
            onStatus("ok", "lrs_connected");
            return { connected: true, resumed: resumed, location: merged.location, suspendData: merged.suspendData,
                     reflections: merged.reflections || {}, learnerName: launch.actor.name || "" };
          });
        });
        var started = starting;
        return started.then(function (result) { starting = null; return result; },
                            function (error) { starting = null; throw error; });
      },

      recordInteraction: whenStarted(function (rec) {
        if (session) send([session.factory.answered(rec)]);
      }),

      saveReflection: whenStarted(function (sceneId, text) {
        snapshot.reflections[sceneId] = text;
        backup.write(snapshot);
      }),

      saveState: whenStarted(function (location, suspendData) {
        var moved = location !== snapshot.location || !snapshot.shown;
        snapshot.location = location;
        snapshot.suspendData = suspendData;
        snapshot.shown = true;
        backup.write(snapshot);
        if (session && moved && scenesById[location]) send([session.factory.experienced(scenesById[location])]);
      }),

      setResult: whenStarted(function (result) {
        snapshot.completed = !!result.completed;
        if (backup) backup.write(snapshot);
        if (session) send(profile.resultStatements(session.factory, result, Date.now() - startedAt, session.launch));
      }),

      commit: whenStarted(function () {
        if (!session) return;
        session.queue.flush();
        saveRemoteState(false);
      }),

      finish: function (completed) {
        if (!session || finished) return;
        send(profile.exitStatements(session.factory, completed, Date.now() - startedAt, session.launch));
        finished = true;
        saveRemoteState(true);
        session.queue.flushOnExit();  // what the flush above did not take
      }
    };
    return runtime;
  }

  root.ScormbuildXapi = {
    Client: Client, Queue: Queue, Factory: Factory, createSession: createSession,
    parseActor: parseActor, actorKey: actorKey, uuid: uuid, verb: verb, scoreResult: scoreResult, clone: clone,
    resultStatements: resultStatements,
    STATE_ID: STATE_ID
  };
})(window);
