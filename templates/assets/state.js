// @ts-check
/* Compact, versioned encoding of a learner's progress for suspend_data.
 *
 * In memory the state is {seq, current, visited: [scene index], first: {scene index: choice
 * index}, quiz: {"scene index-question index": 0 | 1}, reflected: [scene index], vars: {name:
 * value}} (vars: the course variables whose value is not the initial one).
 *
 * S3 (the usual form) names scenes, choices and questions by keys: the first characters of a
 * hash of their ids, computed at build time (course data: scene.key, choice.key, question.key;
 * stateKeyLength L tells scenes and questions apart, choiceKeyLength M a decision's choices).
 * A course updated between two sessions (scenes added, removed or reordered, choices removed)
 * is then read by id: what still exists is kept, what is gone is dropped.
 *   S3~seq~L~M~current~visited~decisions~quiz~reflected[~variables]
 * visited and reflected: scene keys one after the other; decisions: scene key + key of the
 * first choice taken; quiz: question key + "1" (wrong) or "2" (right), first attempts;
 * variables (only in courses that have some): variable key + value, comma-separated (a value is
 * "t", "f", or a whole number in base 36, "-" first if negative).
 *
 * SCORM 1.2 gives a course 4,096 characters of suspend_data, so a state longer than
 * KEYED_LIMIT is written positionally against the course's structure instead:
 *   S2~fingerprint~seq~current~visited~F~Q~R[~V]
 * visited: a bitset of scene indexes in base64url; F: one character per decision, in course
 * order: 0 = not answered, else the first choice taken (base 36, 1-based); Q: one character
 * per quiz question: 0 = not answered, 1 = wrong, 2 = right; R: a bitset of the reflections
 * written; V (courses with variables): each variable's value in course order, comma-separated,
 * empty for the initial value. Trailing zeros (and empty values) are dropped. The fingerprint covers scene, choice and question ids,
 * so an S2 state from another version of the course is ignored rather than misread.
 * Reflection texts are not here: the runtime keeps them in the LMS's comments.
 */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var KEYED = "S3", POSITIONAL = "S2";
  var KEYED_LIMIT = 3000;
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  function bitsetEncode(indexes) {
    var bytes = [];
    indexes.forEach(function (i) {
      while (bytes.length <= Math.floor(i / 6)) bytes.push(0);
      bytes[Math.floor(i / 6)] |= 1 << (i % 6);
    });
    return bytes.map(function (b) { return B64[b]; }).join("");
  }

  function bitsetDecode(text) {
    var out = [];
    for (var c = 0; c < text.length; c++) {
      var value = B64.indexOf(text[c]);
      if (value < 0) throw new Error("bad bitset");
      for (var bit = 0; bit < 6; bit++) if (value & (1 << bit)) out.push(c * 6 + bit);
    }
    return out;
  }

  /* Where each decision, question and reflection sits, and the keys, from the course data. */
  function layout(course) {
    var decisions = [], questions = [], reflections = [];
    course.scenes.forEach(function (scene, index) {
      if (scene.kind === "decision") decisions.push(index);
      if (scene.kind === "reflection") reflections.push(index);
      if (scene.kind === "quiz") scene.questions.forEach(function (q, qi) { questions.push(index + "-" + qi); });
    });
    return { fingerprints: [course.fingerprint].concat(course.legacyFingerprint || []),
             sceneCount: course.scenes.length, scenes: course.scenes, keyLength: course.stateKeyLength || 0,
             choiceKeyLength: course.choiceKeyLength || 0, variables: course.variables || [],
             decisions: decisions, questions: questions, reflections: reflections, lookups: {} };
  }

  function empty(current) {
    return { seq: 0, current: current, visited: [], first: {}, quiz: {}, reflected: [], vars: {} };
  }

  /* ---- variables' values ---------------------------------------------------------------- */
  function owns(object, name) { return Object.prototype.hasOwnProperty.call(object, name); }
  function valueText(value) { return value === true ? "t" : value === false ? "f" : value.toString(36); }

  /* A saved value for a variable of this course, or undefined if it does not fit (type, range). */
  function valueOf(text, variable) {
    if (variable.type === "boolean") return text === "t" ? true : text === "f" ? false : undefined;
    if (!/^-?[0-9a-z]{1,4}$/.test(text)) return undefined;
    var value = parseInt(text, 36);
    return value < Number(variable.min) || value > Number(variable.max) ? undefined : value;
  }

  function keepValue(state, variable, text) {
    var value = valueOf(text, variable);
    if (value !== undefined && value !== variable.initial) state.vars[variable.name] = value;
  }

  /* ---- S3: by key --------------------------------------------------------------------- */
  function sceneKey(plan, index, n) { return plan.scenes[index].key.slice(0, n); }

  function encodeKeyed(state, plan) {
    var n = plan.keyLength, m = plan.choiceKeyLength;
    var scenes = plan.scenes;
    var keys = function (indexes) { return indexes.map(function (i) { return sceneKey(plan, i, n); }).join(""); };
    var decisions = Object.keys(state.first).map(function (i) {
      return sceneKey(plan, i, n) + scenes[i].choices[state.first[i]].key.slice(0, m);
    }).join("");
    var quiz = Object.keys(state.quiz).map(function (at) {
      var parts = at.split("-");
      return scenes[parts[0]].questions[parts[1]].key.slice(0, n) + (state.quiz[at] ? "2" : "1");
    }).join("");
    var parts = [KEYED, state.seq.toString(36), String(n), String(m), sceneKey(plan, state.current, n),
                 keys(state.visited), decisions, quiz, keys(state.reflected)];
    if (plan.variables.length) {
      parts.push(plan.variables.filter(function (v) { return owns(state.vars, v.name); }).map(function (v) {
        return v.key.slice(0, n) + valueText(state.vars[v.name]);
      }).join(","));
    }
    return parts.join("~");
  }

  /* Key prefix -> what it names in this course; a prefix that names two things names none. */
  function lookup(plan, n, m) {
    if (plan.lookups[n + "." + m]) return plan.lookups[n + "." + m];
    var table = {};
    function add(kind, key, value) { var k = kind + key; table[k] = k in table ? null : value; }
    plan.scenes.forEach(function (scene, index) {
      add("s", scene.key.slice(0, n), index);
      (scene.choices || []).forEach(function (c, ci) { add("c" + index + ":", c.key.slice(0, m), ci); });
      (scene.questions || []).forEach(function (q, qi) { add("q", q.key.slice(0, n), index + "-" + qi); });
    });
    plan.variables.forEach(function (v) { add("v", v.key.slice(0, n), v); });
    return (plan.lookups[n + "." + m] = function (kind, key) {
      var value = table[kind + key];
      return value === undefined ? null : value;
    });
  }

  function chunks(text, size) {
    if (text.length % size) throw new Error("bad length");
    var out = [];
    for (var i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out;
  }

  function known(values) { return values.filter(function (v) { return v !== null; }); }

  function decodeKeyed(parts, plan) {
    if (parts.length !== 9 && parts.length !== 10) return null;
    var n = parseInt(parts[2], 10), m = parseInt(parts[3], 10);
    if (!(n >= 1 && n <= 8 && m >= 1 && m <= 8)) return null;
    var find = lookup(plan, n, m);
    var scene = function (key) { return find("s", key); };
    var state = empty(scene(parts[4]));
    state.seq = parseInt(parts[1], 36);
    state.visited = known(chunks(parts[5], n).map(scene));
    chunks(parts[6], n + m).forEach(function (entry) {
      var index = scene(entry.slice(0, n));
      if (index === null || plan.scenes[index].kind !== "decision") return;
      var choice = find("c" + index + ":", entry.slice(n));
      if (choice !== null) state.first[index] = choice;
    });
    chunks(parts[7], n + 1).forEach(function (entry) {
      var at = find("q", entry.slice(0, n));
      var mark = entry.charAt(n);
      if (at !== null && (mark === "1" || mark === "2")) state.quiz[at] = mark === "2" ? 1 : 0;
    });
    state.reflected = known(chunks(parts[8], n).map(scene)).filter(function (i) {
      return plan.scenes[i].kind === "reflection";
    });
    (parts[9] ? parts[9].split(",") : []).forEach(function (entry) {
      var variable = find("v", entry.slice(0, n));
      if (variable) keepValue(state, variable, entry.slice(n));
    });
    if (isNaN(state.seq)) return null;
    return state;
  }

  /* ---- S2: by position ---------------------------------------------------------------- */
  function encodePositional(state, plan) {
    var decisions = plan.decisions.map(function (i) {
      return i in state.first ? (state.first[i] + 1).toString(36) : "0";
    }).join("").replace(/0+$/, "");
    var questions = plan.questions.map(function (key) {
      return key in state.quiz ? (state.quiz[key] ? "2" : "1") : "0";
    }).join("").replace(/0+$/, "");
    var reflected = bitsetEncode(state.reflected.map(function (i) { return plan.reflections.indexOf(i); })
      .filter(function (p) { return p >= 0; }));
    var parts = [POSITIONAL, plan.fingerprints[0], state.seq.toString(36), state.current.toString(36),
      bitsetEncode(state.visited), decisions, questions, reflected];
    if (plan.variables.length) {
      parts.push(plan.variables.map(function (v) {
        return owns(state.vars, v.name) ? valueText(state.vars[v.name]) : "";
      }).join(",").replace(/,+$/, ""));
    }
    return parts.join("~");
  }

  function decodePositional(parts, plan) {
    if ((parts.length !== 8 && parts.length !== 9) || plan.fingerprints.indexOf(parts[1]) < 0) return null;
    var state = empty(parseInt(parts[3], 36));
    state.seq = parseInt(parts[2], 36);
    state.visited = bitsetDecode(parts[4]).filter(function (i) { return i < plan.sceneCount; });
    parts[5].split("").forEach(function (c, p) {
      var choice = parseInt(c, 36);
      if (isNaN(choice) || p >= plan.decisions.length) throw new Error("bad decisions");
      var index = plan.decisions[p];
      if (choice > plan.scenes[index].choices.length) throw new Error("bad choice");
      if (choice > 0) state.first[index] = choice - 1;
    });
    parts[6].split("").forEach(function (c, p) {
      if (!/^[012]$/.test(c) || p >= plan.questions.length) throw new Error("bad questions");
      if (c !== "0") state.quiz[plan.questions[p]] = c === "2" ? 1 : 0;
    });
    state.reflected = bitsetDecode(parts[7]).map(function (p) { return plan.reflections[p]; })
      .filter(function (i) { return i !== undefined; });
    (parts[8] ? parts[8].split(",") : []).forEach(function (text, p) {
      if (text && p < plan.variables.length) keepValue(state, plan.variables[p], text);
    });
    if (!(state.current >= 0 && state.current < plan.sceneCount) || isNaN(state.seq)) return null;
    return state;
  }

  /* The save counter of an encoded state (S3 or S2), to tell which of two copies is newer;
   * -1 when the text is no state at all. */
  function seqOf(text) {
    var parts = String(text || "").split("~");
    if (parts.length <= 2) return -1;
    return parseInt(parts[parts[0] === POSITIONAL ? 2 : 1], 36) || 0;
  }

  function encode(state, plan) {
    var keyed = plan.keyLength && plan.choiceKeyLength ? encodeKeyed(state, plan) : null;
    return keyed && keyed.length <= KEYED_LIMIT ? keyed : encodePositional(state, plan);
  }

  /* The saved state as far as it still fits this course, or null. current is null when the
   * scene the learner was on is no longer in the course. */
  function decode(text, plan) {
    if (!text) return null;
    var parts = String(text).split("~");
    try {
      if (parts[0] === KEYED) return decodeKeyed(parts, plan);
      if (parts[0] === POSITIONAL) return decodePositional(parts, plan);
    } catch (e) { /* damaged: start afresh */ }
    return null;
  }

  var api = { encode: encode, decode: decode, layout: layout, empty: empty, seqOf: seqOf, KEYED_LIMIT: KEYED_LIMIT };
  root.ScormbuildState = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(globalThis);
