/* Compact, versioned encoding of a learner's progress for suspend_data.
 *
 * SCORM 1.2 gives a course 4,096 characters of suspend_data, so the state is
 * written with scene indexes in base 36, a bitset of visited scenes in
 * base64url, and only the first-attempt results that scoring needs. A
 * fingerprint of the scene list makes a state saved by a different version of
 * the course be ignored rather than misread. Reflection texts are not here:
 * the runtime keeps them in the LMS's learner comments.
 */
(function (root) {
  "use strict";
  var FORMAT = "S1";
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  function bitsetEncode(indexes, size) {
    var bytes = new Array(Math.ceil(size / 6)).fill(0);
    indexes.forEach(function (i) { bytes[Math.floor(i / 6)] |= 1 << (i % 6); });
    var text = bytes.map(function (b) { return B64[b]; }).join("");
    return text.replace(/A+$/, "");
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

  /* Key of a scored item: "sceneIndex" or "sceneIndex-questionIndex", base 36. */
  function itemKey(sceneIndex, questionIndex) {
    var key = sceneIndex.toString(36);
    return questionIndex === undefined ? key : key + "-" + questionIndex.toString(36);
  }

  /* state: {seq, current, visited: [sceneIndex], done: {itemKey: points | "r"}} */
  function encode(state, fingerprint, sceneCount) {
    var done = Object.keys(state.done).map(function (key) {
      var value = state.done[key];
      return key + ":" + (typeof value === "number" ? value.toString(36) : value);
    });
    return [FORMAT, fingerprint, state.seq.toString(36), state.current.toString(36),
      bitsetEncode(state.visited, sceneCount), done.join(",")].join("~");
  }

  function decode(text, fingerprint, sceneCount) {
    if (!text) return null;
    var parts = String(text).split("~");
    if (parts.length !== 6 || parts[0] !== FORMAT || parts[1] !== fingerprint) return null;
    try {
      var state = {
        seq: parseInt(parts[2], 36), current: parseInt(parts[3], 36),
        visited: bitsetDecode(parts[4]).filter(function (i) { return i < sceneCount; }), done: {}
      };
      if (parts[5]) parts[5].split(",").forEach(function (entry) {
        var kv = entry.split(":");
        state.done[kv[0]] = kv[1] === "r" ? "r" : parseInt(kv[1], 36);
      });
      if (!(state.current >= 0 && state.current < sceneCount) || isNaN(state.seq)) return null;
      return state;
    } catch (e) {
      return null;
    }
  }

  var api = { encode: encode, decode: decode, itemKey: itemKey };
  root.ScormbuildState = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : this);
