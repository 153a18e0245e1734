// @ts-check
/* Decision scenes: the learner picks one choice; the course's scoring policy says which choice counts. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /** @param {SceneData} scene */
  function judged(scene) { return scene.choices.some(function (c) { return c.correct; }); }

  /* The feedback on a choice: the scene it leads to, or the first feedback scene after it when
   * the way there passes a reflection or a page first. */
  /** @param {PlayerApi} api @param {string | null} sceneId */
  function feedbackAfter(api, sceneId) {
    var steps = api.course.scenes.length;
    for (var scene = api.scene(sceneId); scene && steps > 0; scene = api.scene(scene.next), steps--) {
      if (scene.kind === "feedback") return scene.id;
      if (scene.kind === "decision" || scene.kind === "end") break;
    }
    return sceneId;
  }

  /** @type {KindHandler} */
  var decision = {
    /* A decision answered before says which answer counts, in the policy's words. */
    prepare: function (section, scene, api) {
      var note = /** @type {HTMLElement | null} */ (section.querySelector(".answered-before"));
      if (!note) {
        note = document.createElement("p");
        note.className = "answered-before";
        section.querySelector(".choices").before(note);
      }
      var key = "answered_" + api.course.scoring;
      note.setAttribute("data-t", key);
      note.textContent = api.t()[key] || "";
      note.hidden = !(scene.index in api.state().first) || api.readOnly() || !(scene.maxScore > 0);
    },

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
      var had = scene.index in state.first ? scene.choices[state.first[scene.index]].score : 0;
      if (api.counts(scene.index in state.first, choice.score, had)) state.first[scene.index] = scene.choices.indexOf(choice);
      api.chose(scene, choice.id, correctIds.length ? !!choice.correct : null);
      api.show(choice.goto || api.onward(scene));
      return true;
    },

    summary: function (scene, api) {
      var state = api.state(), t = api.t();
      if (!(scene.index in state.first)) return null;
      var choice = scene.choices[state.first[scene.index]];
      var button = api.section(scene.id).querySelector('[data-choice="' + choice.id + '"]');
      var text = button ? button.textContent : choice.id;
      var words = api.course.scoring === "first-attempt" ? t.summary_choice : t.you_chose;
      return { term: scene.title, detail: api.format(words, { choice: text }),
               verdict: judged(scene) ? !!choice.correct : null,
               goto: feedbackAfter(api, choice.goto || api.onward(scene)) || undefined };
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).decision = decision;
})(globalThis);
