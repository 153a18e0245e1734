// @ts-check
/* Decision scenes: the learner picks one choice; the first choice taken counts. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /** @type {KindHandler} */
  var decision = {
    click: function (target, section, scene, api) {
      var choiceId = target.getAttribute("data-choice");
      if (choiceId === null) return false;
      var choice = scene.choices.filter(function (c) { return c.id === choiceId; })[0];
      var correctIds = scene.choices.filter(function (c) { return c.correct; }).map(function (c) { return c.id; });
      api.record({
        id: scene.interactionId,
        type: "choice",
        description: scene.title,
        response: [choice.id],
        // A decision takes one choice: each right choice is a correct response of its own.
        patterns: correctIds.length ? correctIds.map(function (id) { return [id]; }) : null,
        options: scene.choices.map(function (c) { return c.id; }),
        result: correctIds.length ? (choice.correct ? "correct" : "incorrect") : "neutral",
        weighting: scene.maxScore,
        points: choice.score
      });
      var state = api.state();
      if (!(scene.index in state.first)) state.first[scene.index] = scene.choices.indexOf(choice);
      api.show(choice.goto);
      return true;
    },

    summary: function (scene, api) {
      var state = api.state(), t = api.t();
      if (!(scene.index in state.first)) return null;
      var choice = scene.choices[state.first[scene.index]];
      var button = api.section(scene.id).querySelector('[data-choice="' + choice.id + '"]');
      var judged = scene.choices.some(function (c) { return c.correct; });
      return [scene.title, api.format(t.summary_choice, { choice: button ? button.textContent : choice.id }) +
        (judged ? " (" + (choice.correct ? t.correct : t.incorrect) + ")" : "")];
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).decision = decision;
})(globalThis);
