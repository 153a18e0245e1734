// @ts-check
/* Reflection scenes: the learner writes a text (kept by the LMS or LRS), then sees it beside the
 * model points and says whether it covered them (recorded, never scored). */
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
      find(section, ".learner-text").textContent = text;
      var points = find(section, ".model-points");
      points.hidden = false;
      find(points, ".saved-note").focus();
    },

    click: function (target, section, scene, api) {
      if (target.getAttribute("data-action") !== "self-check" || !scene.selfCheckId) return false;
      var value = target.getAttribute("data-value");
      api.record({ id: scene.selfCheckId, type: "choice", description: scene.title + ": " + api.t().self_check_question,
                   response: [value], patterns: null, options: ["all", "some", "none"], result: "neutral",
                   weighting: 0, points: 0 });
      section.querySelectorAll('[data-action="self-check"]').forEach(function (button) {
        button.setAttribute("aria-pressed", String(button === target));
      });
      api.find(section, ".self-check-noted").textContent = api.t().self_check_noted;
      api.persist();
      return true;
    },

    summary: function (scene, api) {
      var text = api.reflections()[scene.id];
      return text ? { term: scene.title, detail: api.t().your_reflection, quote: text,
                      points: api.section(scene.id).querySelector(".points") } : null;
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).reflection = reflection;
})(globalThis);
