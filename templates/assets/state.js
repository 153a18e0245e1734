/* Compact, versioned encoding of a learner's progress for suspend_data.
 *
 * SCORM 1.2 gives a course 4,096 characters of suspend_data, so the state is
 * written positionally against the course's own structure (its "layout"):
 *   S2~fingerprint~seq~current~visited~F~Q~R
 * visited: a bitset of scene indexes in base64url; F: one character per
 * decision, in course order: 0 = not answered, else the first choice taken
 * (base 36, 1-based); Q: one character per quiz question: 0 = not answered,
 * 1 = wrong, 2 = right (first attempts); R: a bitset of the reflections
 * written. Trailing zeros are dropped. A fingerprint of the scene list makes
 * a state saved by another version of the course be ignored, not misread.
 * Reflection texts are not here: the runtime keeps them in the LMS's comments.
 */
(function (root) {
  "use strict";
  var FORMAT = "S2";
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

  /* Where each decision, question and reflection sits, from the course data. */
  function layout(course) {
    var decisions = [], questions = [], reflections = [];
    course.scenes.forEach(function (scene, index) {
      if (scene.kind === "decision") decisions.push(index);
      if (scene.kind === "reflection") reflections.push(index);
      if (scene.kind === "quiz") scene.questions.forEach(function (q, qi) { questions.push(index + "-" + qi); });
    });
    return { fingerprint: course.fingerprint, sceneCount: course.scenes.length,
             decisions: decisions, questions: questions, reflections: reflections };
  }

  function empty(current) {
    return { seq: 0, current: current, visited: [], first: {}, quiz: {}, reflected: [] };
  }

  /* state: {seq, current, visited: [scene index], first: {scene index: choice index},
   *         quiz: {"scene-question": 0 | 1}, reflected: [scene index]} */
  function encode(state, plan) {
    var decisions = plan.decisions.map(function (i) {
      return i in state.first ? (state.first[i] + 1).toString(36) : "0";
    }).join("").replace(/0+$/, "");
    var questions = plan.questions.map(function (key) {
      return key in state.quiz ? (state.quiz[key] ? "2" : "1") : "0";
    }).join("").replace(/0+$/, "");
    var reflected = bitsetEncode(state.reflected.map(function (i) { return plan.reflections.indexOf(i); })
      .filter(function (p) { return p >= 0; }));
    return [FORMAT, plan.fingerprint, state.seq.toString(36), state.current.toString(36),
      bitsetEncode(state.visited), decisions, questions, reflected].join("~");
  }

  function decode(text, plan) {
    if (!text) return null;
    var parts = String(text).split("~");
    if (parts.length !== 8 || parts[0] !== FORMAT || parts[1] !== plan.fingerprint) return null;
    try {
      var state = empty(parseInt(parts[3], 36));
      state.seq = parseInt(parts[2], 36);
      state.visited = bitsetDecode(parts[4]).filter(function (i) { return i < plan.sceneCount; });
      parts[5].split("").forEach(function (c, p) {
        var choice = parseInt(c, 36);
        if (isNaN(choice) || p >= plan.decisions.length) throw new Error("bad decisions");
        if (choice > 0) state.first[plan.decisions[p]] = choice - 1;
      });
      parts[6].split("").forEach(function (c, p) {
        if (!/^[012]$/.test(c) || p >= plan.questions.length) throw new Error("bad questions");
        if (c !== "0") state.quiz[plan.questions[p]] = c === "2" ? 1 : 0;
      });
      state.reflected = bitsetDecode(parts[7]).map(function (p) { return plan.reflections[p]; })
        .filter(function (i) { return i !== undefined; });
      if (!(state.current >= 0 && state.current < plan.sceneCount) || isNaN(state.seq)) return null;
      return state;
    } catch (e) {
      return null;
    }
  }

  var api = { encode: encode, decode: decode, layout: layout, empty: empty };
  root.ScormbuildState = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : this);
