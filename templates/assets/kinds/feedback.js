// @ts-check
/* Feedback scenes: whether the choice that led here was right, Continue or options, and a copy
 * of the feedback the learner can download. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /** @param {SceneData} scene @param {HTMLElement} section @param {PlayerApi} api */
  function download(scene, section, api) {
    var course = api.course, t = api.t(), esc = api.escapeHtml;
    var reflection = scene.reflection ? api.reflections()[scene.reflection] : null;
    var points = section.querySelector(".points");
    api.download(course.id + "-" + scene.id + "-feedback.html", course.title + " - " + scene.title,
      [course.title, t.copy_date + ": " + api.today()],
      "<h1>" + esc(scene.title) + "</h1>" + section.querySelector(".body").innerHTML +
      (points ? "<h2>" + esc(t.points_to_consider) + "</h2>" + points.outerHTML : "") +
      (scene.reflection ? "<h2>" + esc(t.copy_your_reflection) + "</h2><blockquote>" +
        esc(reflection || t.copy_no_reflection) + "</blockquote>" : ""));
  }

  /** @type {KindHandler} */
  var feedback = {
    /* Right or wrong, in a word and an icon as well as a colour, when a judged choice led here. */
    prepare: function (section, scene, api) {
      var verdict = /** @type {HTMLElement} */ (section.querySelector(".verdict"));
      section.querySelector("h1").after(verdict);  // read and seen before the feedback itself
      var last = api.takeChoice();
      verdict.hidden = !last || last.correct === null;
      if (verdict.hidden || !last) return;
      var key = last.correct ? "verdict_right" : "verdict_wrong";
      verdict.className = "verdict " + (last.correct ? "is-correct" : "is-incorrect");
      api.find(verdict, ".icon").textContent = last.correct ? "\u2713" : "\u2717";
      var word = api.find(verdict, "[data-t]");
      word.setAttribute("data-t", key);
      word.textContent = api.t()[key];
    },

    click: function (target, section, scene, api) {
      if (target.getAttribute("data-action") !== "download") return false;
      download(scene, section, api);
      return true;
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).feedback = feedback;
})(globalThis);
