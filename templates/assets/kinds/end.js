// @ts-check
/* The end scene: the attempt's result (reported by the player), the learner's journey (each
 * decision with its verdict and a way back to its feedback, reflections beside the model points,
 * quiz results), a record to download, and a way on that says what going through again does. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";

  /** @param {PlayerApi} api @returns {SummaryEntry[]} */
  function entries(api) {
    var out = [];
    api.course.scenes.forEach(function (scene) {
      var kind = api.kindOf(scene);
      var entry = kind.summary ? kind.summary(scene, api) : null;
      if (entry) out.push(entry);
    });
    // The course's variables that have a label: what the learner's choices added up to.
    var values = api.variables(), t = api.t();
    api.course.variables.forEach(function (variable) {
      if (!variable.label) return;
      var value = values[variable.name];
      out.push({ term: variable.label, detail: value === true ? t.value_yes : value === false ? t.value_no : String(value) });
    });
    return out;
  }

  /** @param {string} tag @param {string} className @param {string} text */
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  /* Right or wrong: an icon (not read out) and a word, as well as a colour. */
  /** @param {boolean} right @param {Messages} t */
  function verdictOf(right, t) {
    var verdict = element("span", "verdict " + (right ? "is-correct" : "is-incorrect"), "");
    verdict.appendChild(element("span", "icon", right ? "\u2713" : "\u2717")).setAttribute("aria-hidden", "true");
    verdict.appendChild(document.createTextNode(" " + (right ? t.correct : t.incorrect)));
    return verdict;
  }

  /** @param {HTMLElement} section @param {SummaryEntry[]} list @param {PlayerApi} api */
  function showJourney(section, list, api) {
    var t = api.t();
    var dl = section.querySelector(".answers dl");
    dl.textContent = "";
    list.forEach(function (entry) {
      dl.appendChild(element("dt", "", entry.term));
      var dd = element("dd", "", "");
      dd.appendChild(element("span", "", entry.detail));
      if (entry.verdict === true || entry.verdict === false) {
        dd.appendChild(document.createTextNode(" "));
        dd.appendChild(verdictOf(entry.verdict, t));
      }
      if (entry.results) {
        var list = element("ul", "quiz-results", "");
        entry.results.forEach(function (result) {
          var item = element("li", "", result.text + " ");
          item.appendChild(verdictOf(result.verdict, t));
          list.appendChild(item);
        });
        dd.appendChild(list);
      }
      if (entry.quote) dd.appendChild(element("blockquote", "learner-text", entry.quote));
      if (entry.points) {
        dd.appendChild(element("p", "points-title", t.compare_points));
        dd.appendChild(entry.points.cloneNode(true));
      }
      if (entry.goto) {
        var again = element("button", "link", t.see_feedback);
        again.setAttribute("type", "button");
        again.setAttribute("data-goto", entry.goto);
        again.setAttribute("data-return", "");
        again.setAttribute("data-verdict", entry.verdict === true ? "right" : entry.verdict === false ? "wrong" : "");
        dd.appendChild(element("br", "", ""));
        dd.appendChild(again);
      }
      dl.appendChild(dd);
    });
    /** @type {HTMLElement} */ (dl.parentNode).hidden = !list.length;
  }

  /* The learner's record: who, when, the result and the journey, as a file to keep. */
  /** @param {HTMLElement} section @param {PlayerApi} api */
  function downloadRecord(section, api) {
    var t = api.t(), course = api.course, esc = api.escapeHtml;
    var meta = [course.title, t.copy_date + ": " + api.today()];
    if (api.learnerName()) meta.splice(1, 0, t.record_learner + ": " + api.learnerName());
    var result = Array.prototype.map.call(section.querySelectorAll(".result p"), function (p) {
      return "<p>" + esc(p.textContent) + "</p>";
    }).join("");
    var journey = entries(api).map(function (entry) {
      var verdict = entry.verdict === true ? " (" + t.correct + ")" : entry.verdict === false ? " (" + t.incorrect + ")" : "";
      return "<h3>" + esc(entry.term) + "</h3><p>" + esc(entry.detail + verdict) + "</p>" +
        (entry.results ? "<ul>" + entry.results.map(function (r) {
          return "<li>" + esc(r.text + " (" + (r.verdict ? t.correct : t.incorrect) + ")") + "</li>";
        }).join("") + "</ul>" : "") +
        (entry.quote ? "<blockquote>" + esc(entry.quote) + "</blockquote>" : "") +
        (entry.points ? entry.points.outerHTML : "");
    }).join("");
    api.download(course.id + "-record.html", course.title + " - " + t.download_record, meta,
      "<h1>" + esc(course.title) + "</h1><h2>" + esc(t.record_result) + "</h2>" + result +
      (journey ? "<h2>" + esc(t.journey) + "</h2>" + journey : ""));
  }

  /** @type {{score: number | null, passed: boolean | null, passMark: number | null} | null} */
  var lastResult = null;  // what complete() said, to write again in another language

  /* The result lines, the scoring note, the journey and the "again" button, in the current language. */
  /** @param {HTMLElement} section @param {PlayerApi} api */
  function render(section, api) {
    var t = api.t(), mode = api.mode(), policy = api.course.scoring, result = lastResult;
    if (!result) return;
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
    lines.forEach(function (line) { box.appendChild(element("p", "", line)); });
    box.className = "result" + (result.passed === false && mode !== "browse" ? " result-failed" : " result-passed");
    // What going through again does to the score, in the words of the course's policy.
    var note = api.find(section, ".scoring-note");
    var key = result.passed === false ? "failed_" + policy : "scoring_" + policy;
    note.setAttribute("data-t", key);
    note.textContent = t[key] || "";
    note.hidden = api.readOnly() || result.score === null;
    showJourney(section, entries(api), api);
    var again = api.find(section, '[data-action="look-again"]');
    var againKey = api.readOnly() ? "look_again" : "again_" + policy;
    again.setAttribute("data-t", againKey);
    again.textContent = t[againKey];
  }

  /** @type {KindHandler} */
  var end = {
    shown: function (section, scene, api) {
      lastResult = api.complete();
      render(section, api);
    },

    relabel: function (section, scene, api) { render(section, api); },

    click: function (target, section, scene, api) {
      if (target.getAttribute("data-action") !== "download-record") return false;
      downloadRecord(section, api);
      return true;
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).end = end;
})(globalThis);
