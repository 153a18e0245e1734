// @ts-check
/* Reflection scenes: the learner writes a text (kept by the LMS or LRS), then sees the model points. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /** @type {KindHandler} */
  var reflection = {
    keepsText: true,

    prepare: function (section, scene, api) {
      section.querySelector("form").hidden = false;
      api.find(section, ".model-points").hidden = true;
      section.querySelector("textarea").value = api.reflections()[scene.id] || "";
    },

    submit: function (section, scene, api) {
      var t = api.t(), find = api.find;
      var box = section.querySelector("textarea");
      var text = box.value.trim();
      var error = find(section, ".form-error");
      if (text.length < scene.minLength) {
        error.textContent = api.format(t.reflection_too_short, { n: scene.minLength });
        error.hidden = false;
        box.setAttribute("aria-invalid", "true");
        box.focus();
        return;
      }
      error.hidden = true;
      box.removeAttribute("aria-invalid");
      api.reflections()[scene.id] = text;
      api.record({ id: scene.interactionId, type: "text", description: scene.title, response: text, patterns: null,
                   result: "neutral", weighting: 0, points: 0 });
      api.saveReflection(scene.id, text);
      var state = api.state();
      if (state.reflected.indexOf(scene.index) < 0) state.reflected.push(scene.index);
      api.persist();
      section.querySelector("form").hidden = true;
      var points = find(section, ".model-points");
      points.hidden = false;
      find(points, ".saved-note").focus();
    },

    summary: function (scene, api) {
      var text = api.reflections()[scene.id];
      return text ? [scene.title, text, "reflection-text"] : null;
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).reflection = reflection;
})(globalThis);
