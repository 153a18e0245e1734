// @ts-check
/* The end scene: the attempt's result (reported once, by the player) and the learner's answers. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /* What the learner answered, as each kind sums it up (decisions, quizzes, reflections). */
  /** @param {HTMLElement} section @param {PlayerApi} api */
  function showAnswers(section, api) {
    var list = section.querySelector(".answers dl");
    list.textContent = "";
    api.course.scenes.forEach(function (scene) {
      var kind = api.kindOf(scene);
      var entry = kind.summary ? kind.summary(scene, api) : null;
      if (!entry) return;
      var dt = document.createElement("dt");
      dt.textContent = entry[0];
      var dd = document.createElement("dd");
      dd.textContent = entry[1];
      if (entry[2]) dd.className = entry[2];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    /** @type {HTMLElement} */ (list.parentNode).hidden = !list.children.length;
  }

  /** @type {KindHandler} */
  var end = {
    shown: function (section, scene, api) {
      var t = api.t(), mode = api.mode();
      var result = api.complete();
      var lines = [];
      if (mode === "browse") lines.push(t.browse_end);  // a preview has no verdict
      else {
        if (result.score !== null) lines.push(api.format(t.result_score, { score: api.percent(result.score) }));
        if (result.passed === true) lines.push(api.format(t.result_passed, { pass: api.percent(result.passMark) }));
        else if (result.passed === false) lines.push(api.format(t.result_failed, { pass: api.percent(result.passMark) }));
        else lines.push(t.result_completed);
      }
      var box = section.querySelector(".result");
      box.textContent = "";
      lines.forEach(function (line) {
        var p = document.createElement("p");
        p.textContent = line;
        box.appendChild(p);
      });
      box.className = "result" + (result.passed === false && mode !== "browse" ? " result-failed" : " result-passed");
      showAnswers(section, api);
      api.find(section, '[data-action="look-again"]').hidden = !api.readOnly();
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).end = end;
})(globalThis);
