// @ts-check
/* Quiz scenes: questions checked one by one; the first answer to each counts. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /** @param {HTMLElement} section @param {PlayerApi} api */
  function reset(section, api) {
    var find = api.find;
    section.querySelectorAll(".question").forEach(function (fieldset) {
      fieldset.querySelectorAll("input").forEach(function (input) { input.checked = false; input.disabled = false; });
      find(fieldset, '[data-action="check"]').disabled = false;
      var feedback = find(fieldset, ".question-feedback");
      feedback.textContent = "";
      feedback.className = "question-feedback";
      fieldset.removeAttribute("data-answered");
    });
    find(section, '.actions > [data-action="next"]').disabled = true;
  }

  /**
   * @param {QuizSceneData} scene @param {HTMLElement} section @param {HTMLElement} fieldset
   * @param {PlayerApi} api
   */
  function check(scene, section, fieldset, api) {
    var t = api.t(), find = api.find;
    var qIndex = Array.prototype.indexOf.call(section.querySelectorAll(".question"), fieldset);
    var question = scene.questions[qIndex];
    var picked = Array.prototype.filter.call(fieldset.querySelectorAll("input"), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
    var feedback = find(fieldset, ".question-feedback");
    if (!picked.length) {
      feedback.textContent = t.choose_an_answer;
      return;
    }
    var correctIds = question.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; });
    var right = picked.length === correctIds.length && picked.every(function (id) { return correctIds.indexOf(id) >= 0; });
    var isTrueFalse = question.kind === "true-false";
    api.record({
      id: question.interactionId,
      type: isTrueFalse ? "true-false" : "choice",
      description: question.text,
      response: isTrueFalse ? picked[0] === "true" : picked,
      patterns: [isTrueFalse ? correctIds[0] === "true" : correctIds],
      options: question.options.map(function (o) { return o.id; }),
      result: right ? "correct" : "incorrect",
      weighting: question.points,
      points: right ? question.points : 0
    });
    var state = api.state();
    var key = scene.index + "-" + qIndex;
    if (api.counts(key in state.quiz, right ? 1 : 0, state.quiz[key] || 0)) state.quiz[key] = right ? 1 : 0;
    var more = right ? question.feedbackCorrect : question.feedbackIncorrect;  // the author's words, if any
    feedback.textContent = (right ? t.correct : t.incorrect) + "." + (more ? " " + more : "");
    feedback.className = "question-feedback " + (right ? "is-correct" : "is-incorrect");
    fieldset.setAttribute("data-answered", right ? "correct" : "incorrect");
    fieldset.querySelectorAll("input").forEach(function (input) { input.disabled = true; });
    find(fieldset, '[data-action="check"]').disabled = true;
    var allAnswered = section.querySelectorAll(".question:not([data-answered])").length === 0;
    find(section, '.actions > [data-action="next"]').disabled = !allAnswered;
    api.restartClock();
    api.persist();
  }

  /** @type {KindHandler} */
  var quiz = {
    prepare: function (section, scene, api) { reset(section, api); },

    click: function (target, section, scene, api) {
      if (target.getAttribute("data-action") !== "check") return false;
      check(/** @type {QuizSceneData} */ (scene), section, /** @type {HTMLElement} */ (target.closest(".question")), api);
      return true;
    },

    summary: function (scene, api) {
      var state = api.state();
      var right = 0, answered = 0;
      scene.questions.forEach(function (q, qi) {
        var key = scene.index + "-" + qi;
        if (key in state.quiz) { answered += 1; right += state.quiz[key]; }
      });
      return answered ? { term: scene.title, detail: api.format(api.t().summary_quiz, { n: right, m: scene.questions.length }) }
        : null;
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).quiz = quiz;
})(globalThis);
