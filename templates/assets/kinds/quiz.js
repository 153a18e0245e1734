// @ts-check
/* Quiz scenes: questions checked one by one; the first answer to each counts.
 * Options marked to shuffle (and matching answers, ordering items) get a new random order each
 * time the scene is shown; the ids the LMS records never change. */
(function (/** @type {ScormbuildRoot} */ root) {
  "use strict";
  var LIST = Array.prototype;

  /** @param {Element} parent @param {string} selector @returns {HTMLElement[]} */
  function all(parent, selector) { return LIST.slice.call(parent.querySelectorAll(selector)); }

  /* Fisher-Yates: the elements put back in their parent in a random order, not the one they had
   * (when there is more than one). */
  /** @param {HTMLElement[]} elements */
  function shuffle(elements) {
    if (elements.length < 2) return;
    var order = elements.slice();
    do {
      for (var i = order.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var swap = order[i]; order[i] = order[j]; order[j] = swap;
      }
    } while (order.every(function (el, k) { return el === elements[k]; }));
    var parent = /** @type {HTMLElement} */ (elements[0].parentNode);
    var after = elements[elements.length - 1].nextSibling;
    order.forEach(function (el) { parent.insertBefore(el, after); });
  }

  /* Whether text starts with the word (in any case), followed by a space, a punctuation mark or nothing. */
  /** @param {string} text @param {string} word */
  function startsWith(text, word) {
    var next = text.charAt(word.length);
    return !!word && text.slice(0, word.length).toLowerCase() === word.toLowerCase() &&
      (!next || /[\s.,;:!?\u2026\u060c\u061b\u061f)]/.test(next));
  }

  /** @param {HTMLElement} parent @param {string} text @param {string} className */
  function mark(parent, text, className) {
    var span = document.createElement("span");
    span.className = "mark " + className;
    span.textContent = text;
    parent.appendChild(span);
  }

  /** @param {HTMLElement} section @param {QuizSceneData} scene @param {PlayerApi} api */
  function reset(section, scene, api) {
    var find = api.find;
    all(section, ".question").forEach(function (fieldset, qIndex) {
      var question = scene.questions[qIndex];
      all(fieldset, ".mark").forEach(function (el) { el.remove(); });
      all(fieldset, ".is-right, .is-wrong").forEach(function (el) { el.classList.remove("is-right", "is-wrong"); });
      all(fieldset, "input, select, .ordering button").forEach(function (el) {
        var input = /** @type {HTMLInputElement} */ (el);
        if (input.type === "checkbox" || input.type === "radio") input.checked = false;
        else if (input.tagName !== "BUTTON") input.value = "";
        input.disabled = false;
      });
      if (question.kind === "ordering") {
        // Back to the author's order first, so that the shuffle never shows the right order.
        var list = find(fieldset, ".ordering");
        question.options.forEach(function (o) { list.appendChild(find(list, '[data-item="' + o.id + '"]')); });
        shuffle(all(list, "li"));
        edges(list);
        find(fieldset, ".ordering-status").textContent = "";
      } else if (question.kind === "matching") {
        all(fieldset, "select").forEach(function (select) { shuffle(all(select, 'option:not([value=""])')); });
      } else if (question.shuffle) {
        shuffle(all(fieldset, "label.option"));
      }
      find(fieldset, '[data-action="check"]').disabled = false;
      var feedback = find(fieldset, ".question-feedback");
      feedback.textContent = "";
      feedback.className = "question-feedback";
      fieldset.removeAttribute("data-answered");
    });
    find(section, '.actions > [data-action="next"]').disabled = true;
  }

  /* The first item cannot move up, the last cannot move down. */
  /** @param {HTMLElement} list */
  function edges(list) {
    var items = all(list, "li");
    items.forEach(function (li, i) {
      /** @type {HTMLButtonElement} */ (li.querySelector('[data-action="move-up"]')).disabled = i === 0;
      /** @type {HTMLButtonElement} */ (li.querySelector('[data-action="move-down"]')).disabled = i === items.length - 1;
    });
  }

  /* Moves an ordering item one place; the focus stays on the item (on its other button at an
   * end) and the live region says where it is now. */
  /** @param {HTMLElement} button @param {PlayerApi} api */
  function move(button, api) {
    var up = button.getAttribute("data-action") === "move-up";
    var li = /** @type {HTMLElement} */ (button.closest("li"));
    var list = /** @type {HTMLElement} */ (li.parentNode);
    var sibling = up ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    list.insertBefore(li, up ? sibling : sibling.nextSibling);
    edges(list);
    var focus = /** @type {HTMLButtonElement} */ (button).disabled ? li.querySelector(up ? '[data-action="move-down"]' : '[data-action="move-up"]') : button;
    /** @type {HTMLElement} */ (focus).focus();
    var items = all(list, "li");
    var status = api.find(/** @type {HTMLElement} */ (list.parentNode), ".ordering-status");
    status.textContent = api.format(api.t().moved_to, {
      item: api.find(li, ".item-text").textContent || "", n: items.indexOf(li) + 1, m: items.length });
  }

  /**
   * What the learner answered, as the LMS records it, or null when nothing is answered yet.
   * @param {QuestionData} question @param {HTMLElement} fieldset
   * @returns {{type: InteractionRecord["type"], response: any, patterns: any[], right: boolean} | null}
   */
  function answer(question, fieldset) {
    var ids = question.options.map(function (o) { return o.id; });
    if (question.kind === "matching") {
      var pairs = all(fieldset, "select").map(function (el) {
        return [el.getAttribute("data-source") || "", /** @type {HTMLSelectElement} */ (el).value];
      });
      if (pairs.some(function (p) { return !p[1]; })) return null;
      return { type: "matching", response: pairs, patterns: [ids.map(function (id) { return [id, id]; })],
               right: pairs.every(function (p) { return p[0] === p[1]; }) };
    }
    if (question.kind === "ordering") {
      var order = all(fieldset, ".ordering li").map(function (li) { return li.getAttribute("data-item") || ""; });
      return { type: "sequencing", response: order, patterns: [ids], right: order.join("\n") === ids.join("\n") };
    }
    if (question.kind === "fill-in") {
      var typed = /** @type {HTMLInputElement} */ (fieldset.querySelector("input")).value.trim();
      if (!typed) return null;
      var same = function (/** @type {string} */ a) {
        return question.caseSensitive ? a === typed : a.toLowerCase() === typed.toLowerCase();
      };
      return { type: "fill-in", response: typed, patterns: question.accepted, right: question.accepted.some(same) };
    }
    var picked = all(fieldset, "input").filter(function (i) { return /** @type {HTMLInputElement} */ (i).checked; })
      .map(function (i) { return /** @type {HTMLInputElement} */ (i).value; });
    if (!picked.length) return null;
    var correctIds = question.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; });
    var right = picked.length === correctIds.length && picked.every(function (id) { return correctIds.indexOf(id) >= 0; });
    var isTrueFalse = question.kind === "true-false";
    return { type: isTrueFalse ? "true-false" : "choice", response: isTrueFalse ? picked[0] === "true" : picked,
             patterns: [isTrueFalse ? correctIds[0] === "true" : correctIds], right: right };
  }

  /* After a check: each option, pair or item says whether it was the learner's answer and what
   * the right one is, in words (colour and icon come from the classes). */
  /** @param {QuestionData} question @param {HTMLElement} fieldset @param {PlayerApi} api */
  function showMarks(question, fieldset, api) {
    var t = api.t();
    if (question.kind === "matching") {
      all(fieldset, ".match").forEach(function (row) {
        var select = /** @type {HTMLSelectElement} */ (row.querySelector("select"));
        var ok = select.value === select.getAttribute("data-source");
        row.classList.add(ok ? "is-right" : "is-wrong");
        var right = select.querySelector('option[value="' + select.getAttribute("data-source") + '"]');
        mark(row, ok ? t.correct_answer : api.format(t.correct_answer_is, { answer: right ? right.textContent || "" : "" }),
             ok ? "mark-right" : "mark-wrong");
      });
    } else if (question.kind === "ordering") {
      all(fieldset, ".ordering li").forEach(function (li, i) {
        var place = question.options.map(function (o) { return o.id; }).indexOf(li.getAttribute("data-item") || "");
        li.classList.add(place === i ? "is-right" : "is-wrong");
        mark(li, place === i ? t.correct_position : api.format(t.correct_position_is, { n: place + 1 }),
             place === i ? "mark-right" : "mark-wrong");
      });
    } else if (question.kind === "fill-in") {
      var box = api.find(fieldset, ".fill-in");
      var right = fieldset.getAttribute("data-answered") === "correct";
      box.classList.add(right ? "is-right" : "is-wrong");
      if (!right) mark(box, api.format(t.correct_answer_is, { answer: question.accepted[0] }), "mark-right");
    } else {
      all(fieldset, "label.option").forEach(function (label) {
        var input = /** @type {HTMLInputElement} */ (label.querySelector("input"));
        var option = question.options.filter(function (o) { return o.id === input.value; })[0];
        if (input.checked) {
          label.classList.add(option.correct ? "is-right" : "is-wrong");
          mark(label, t.your_answer, option.correct ? "mark-right" : "mark-wrong");
        }
        if (option.correct) {
          if (!input.checked) label.classList.add("is-missed");
          mark(label, t.correct_answer, "mark-right");
        }
      });
    }
  }

  /**
   * @param {QuizSceneData} scene @param {HTMLElement} section @param {HTMLElement} fieldset
   * @param {PlayerApi} api
   */
  function check(scene, section, fieldset, api) {
    var t = api.t(), find = api.find;
    var qIndex = all(section, ".question").indexOf(fieldset);
    var question = scene.questions[qIndex];
    var feedback = find(fieldset, ".question-feedback");
    var given = answer(question, fieldset);
    if (!given) {
      feedback.textContent = question.kind === "fill-in" ? t.type_an_answer : t.choose_an_answer;
      return;
    }
    var right = given.right;
    api.record({
      id: question.interactionId,
      type: given.type,
      description: question.text,
      response: given.response,
      patterns: given.patterns,
      options: question.options.map(function (o) { return o.id; }),
      caseSensitive: question.caseSensitive,
      result: right ? "correct" : "incorrect",
      weighting: question.points,
      points: right ? question.points : 0
    });
    var state = api.state();
    var key = scene.index + "-" + qIndex;
    if (api.counts(key in state.quiz, right ? 1 : 0, state.quiz[key] || 0)) state.quiz[key] = right ? 1 : 0;
    var word = right ? t.correct : t.incorrect;
    var more = (right ? question.feedbackCorrect : question.feedbackIncorrect).trim();  // the author's words, if any
    // The word once: not again before an author's text that starts with it ("Correct. Correct." never).
    feedback.textContent = startsWith(more, word) ? more : word + "." + (more ? " " + more : "");
    feedback.className = "question-feedback " + (right ? "is-correct" : "is-incorrect");
    fieldset.setAttribute("data-answered", right ? "correct" : "incorrect");
    all(fieldset, "input, select, .ordering button").forEach(function (el) {
      /** @type {HTMLInputElement} */ (el).disabled = true;
    });
    find(fieldset, '[data-action="check"]').disabled = true;
    showMarks(question, fieldset, api);
    var allAnswered = section.querySelectorAll(".question:not([data-answered])").length === 0;
    find(section, '.actions > [data-action="next"]').disabled = !allAnswered;
    api.restartClock();
    api.persist();
  }

  /** @type {KindHandler} */
  var quiz = {
    prepare: function (section, scene, api) {
      reset(section, /** @type {QuizSceneData} */ (scene), api);
      if (section.hasAttribute("data-enter-checks")) return;
      // Enter in a fill-in box checks the answer, as a learner expects of a one-line answer.
      section.setAttribute("data-enter-checks", "");
      section.addEventListener("keydown", function (event) {
        var box = /** @type {Element} */ (event.target);
        if (event.key !== "Enter" || !box.closest(".fill-in")) return;
        event.preventDefault();
        var check = /** @type {HTMLButtonElement | null} */ (box.closest(".question").querySelector('[data-action="check"]'));
        if (check && !check.disabled) check.click();
      });
    },

    click: function (target, section, scene, api) {
      var action = target.getAttribute("data-action");
      if (action === "move-up" || action === "move-down") { move(target, api); return true; }
      if (action !== "check") return false;
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
      var results = scene.questions.filter(function (q, qi) { return (scene.index + "-" + qi) in state.quiz; })
        .map(function (q) { return { text: q.text, verdict: !!state.quiz[scene.index + "-" + scene.questions.indexOf(q)] }; });
      return answered ? { term: scene.title, detail: api.format(api.t().summary_quiz, { n: right, m: scene.questions.length }),
                          results: results } : null;
    }
  };

  (root.ScormbuildKinds = root.ScormbuildKinds || /** @type {Object<string, KindHandler>} */ ({})).quiz = quiz;
})(globalThis);
