// @ts-check
/* Feedback scenes: besides Continue or options, a copy of the feedback the learner can download. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /** @param {unknown} text */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /** @param {SceneData} scene @param {HTMLElement} section @param {PlayerApi} api */
  function download(scene, section, api) {
    var course = api.course, t = api.t();
    var reflection = scene.reflection ? api.reflections()[scene.reflection] : null;
    var points = section.querySelector(".points");
    var date;
    try { date = new Date().toLocaleDateString(course.language, { year: "numeric", month: "long", day: "numeric" }); }
    catch (e) { date = new Date().toISOString().slice(0, 10); }
    var html = "<!DOCTYPE html><html lang=\"" + escapeHtml(course.language) + "\"><head><meta charset=\"utf-8\">" +
      "<title>" + escapeHtml(course.title + " - " + scene.title) + "</title>" +
      "<style>body{font-family:Georgia,serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5;color:#111}" +
      "h1{font-size:1.5em}.meta{color:#444}blockquote{border-left:4px solid #888;margin:1em 0;padding:.5em 1em;white-space:pre-wrap}</style>" +
      "</head><body><p class=\"meta\">" + escapeHtml(course.title) + "<br>" + escapeHtml(t.copy_date) + ": " + escapeHtml(date) + "</p>" +
      "<h1>" + escapeHtml(scene.title) + "</h1>" + section.querySelector(".body").innerHTML +
      (points ? "<h2>" + escapeHtml(t.points_to_consider) + "</h2>" + points.outerHTML : "") +
      (scene.reflection ? "<h2>" + escapeHtml(t.copy_your_reflection) + "</h2><blockquote>" +
        escapeHtml(reflection || t.copy_no_reflection) + "</blockquote>" : "") +
      "</body></html>";
    var blob = new Blob([html], { type: "text/html;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = course.id + "-" + scene.id + "-feedback.html";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  /** @type {KindHandler} */
  var feedback = {
    click: function (target, section, scene, api) {
      if (target.getAttribute("data-action") !== "download") return false;
      download(scene, section, api);
      return true;
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).feedback = feedback;
})(globalThis);
