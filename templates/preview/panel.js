/* The preview's panel: what the LMS will record, in words.
 *
 * For SCORM it reads the data model scorm-again holds: status, score against the pass mark, the
 * bookmark, the size of the resume state against its limit, each interaction as stored (and, where
 * the player maps values so that every LMS accepts them, what it means), and the reflections. The
 * stored values are read back with the player's own helpers (common.js), so the two always agree.
 * For every format it lists the xAPI statements the local LRS received.
 *
 * Course text is untrusted: everything is written with textContent, never as HTML. */
(function (root) {
  "use strict";
  var common = root.ScormbuildCommon;

  /* An element with a class (optional) and children: strings become text nodes. */
  function el(tag, className, children) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function value(text) { return el("code", "value", [String(text)]); }

  function section(title, children) {
    return el("section", "", [el("h2", "", [title])].concat(children));
  }

  /* A definition list from [term, description...] rows; empty rows are left out. */
  function facts(rows) {
    var list = el("dl");
    rows.forEach(function (row) {
      if (!row) return;
      list.appendChild(el("dt", "", [row[0]]));
      list.appendChild(el("dd", "", row.slice(1)));
    });
    return list;
  }

  function number(n) { return Number(n).toLocaleString("en"); }

  function ordered(object) {
    return Object.keys(object || {}).filter(function (k) { return /^\d+$/.test(k); })
      .sort(function (a, b) { return a - b; }).map(function (k) { return object[k]; });
  }

  /* -- reading stored values back, per standard (README "What the LMS records") -- */

  function split(text, delimiter) { return text === "" ? [] : String(text).split(delimiter); }

  /* A reader turns a stored value into words; `label` names a choice id by its text (from the
   * interaction's xAPI definition, which the player sends for every format). */
  function quoted(text) { return "\u201c" + text + "\u201d"; }

  /* Ids in words: the stored value itself when nothing was mapped and no id has a text. */
  function named(parts, read, stored, joiner) {
    var words = parts.map(read);
    return words.every(function (word, i) { return word === parts[i]; }) ? stored : words.join(joiner);
  }

  function idList(delimiter, id, joiner) {
    return function (stored, label) {
      return named(split(stored, delimiter), function (part) { return label(id(part)); }, stored, joiner);
    };
  }

  function pairs(delimiter, pair, id) {
    return function (stored, label) {
      return named(split(stored, delimiter), function (part) {
        var ends = part.split(pair);
        return label(id(ends[0])) + " \u2192 " + label(id(ends.slice(1).join(pair)));
      }, stored, ", ");
    };
  }

  function text(decode) { return function (stored) { return quoted(decode(stored)); }; }

  function same(id) { return id; }
  function from2004(id) { return String(id).replace(/_/g, "-"); }

  var STANDARDS = {
    scorm12: {
      status: function (m) { return [["Status", value(m.core.lesson_status || "not attempted")]]; },
      score: function (m) { return m.core.score.raw; },
      location: function (m) { return m.core.lesson_location; },
      resumeLimit: 4096,
      resumeNote: "SCORM 1.2's limit",
      response: "student_response",
      reads: {
        "choice": idList(",", same, ", "),
        "sequencing": idList(",", same, " then "),
        "matching": pairs(",", ".", same),
        "true-false": function (stored) { return { t: "true", f: "false", 1: "true", 0: "false" }[stored] || stored; },
        "fill-in": text(common.decodeText)
      },
      /* Reflections: cmi.comments blocks, and the older ones that follow the state in suspend_data. */
      reflections: function (m) {
        var data = String(m.suspend_data || "");
        var spilled = data.indexOf("\n") >= 0 ? data.slice(data.indexOf("\n") + 1) : "";
        return common.parseComments(spilled).concat(common.parseComments(m.comments));
      },
      extraSizes: function (m) {
        return m.comments ? [["Comments", number(String(m.comments).length) + " of 4,096 characters"]] : [];
      }
    },
    scorm2004: {
      status: function (m) {
        return [["Completion", value(m.completion_status || "unknown")], ["Success", value(m.success_status || "unknown")]];
      },
      score: function (m) { return m.score.raw; },
      location: function (m) { return m.location; },
      resumeLimit: 64000,
      resumeNote: "SCORM 2004's limit; a SCORM 1.2 package has 4,096",
      response: "learner_response",
      reads: {
        "choice": idList("[,]", from2004, ", "),
        "sequencing": idList("[,]", from2004, " then "),
        "matching": pairs("[,]", "[.]", from2004),
        "fill-in": function (stored) {
          var matters = /^\{case_matters=true\}/.test(stored);
          var answers = split(String(stored).replace(/^\{case_matters=(true|false)\}/, ""), "[,]")
            .map(common.decodeText).join(" / ");
          return quoted(answers) + (matters ? " (case matters)" : "");
        },
        "long-fill-in": text(common.decodeLangString)
      },
      reflections: function (m) {
        return ordered(m.comments_from_learner).map(function (c) {
          return [c.location || "", common.decodeLangString(c.comment || "")];
        });
      },
      extraSizes: function () { return []; }
    }
  };

  /* The stored value, and what it means where the player mapped it or the course names it. */
  function stored(text, read, label) {
    var out = [value(text)];
    var meaning = read ? read(text, label || same) : text;
    if (meaning !== text && meaning !== quoted(text)) out.push(el("span", "means", [" means " + meaning]));
    return out;
  }

  /* {interaction id: {choice id: its text}} from the definitions in the `answered` statements. */
  function choiceLabels(statements) {
    var labels = {};
    statements.forEach(function (s) {
      var definition = s.object && s.object.definition;
      var at = String(s.object && s.object.id).lastIndexOf("/interactions/");
      if (!definition || at < 0) return;
      var names = labels[String(s.object.id).slice(at + "/interactions/".length)] = {};
      ["choices", "source", "target"].forEach(function (list) {
        (Array.isArray(definition[list]) ? definition[list] : []).forEach(function (c) {
          if (c && typeof c.id === "string" && firstText(c.description)) names[c.id] = firstText(c.description);
        });
      });
    });
    return labels;
  }

  var RESULTS = { correct: ["ok", "\u2713 "], wrong: ["bad", "\u2717 "], incorrect: ["bad", "\u2717 "] };

  function interactionCard(standard, item, position, names) {
    var read = standard.reads[item.type];
    var label = function (id) { return names && names[id] ? quoted(names[id]) : id; };
    var patterns = ordered(item.correct_responses).map(function (p) { return p.pattern; });
    var result = RESULTS[item.result] || ["", ""];
    return el("li", "card", [
      el("h3", "", [position + ". " + (item.id || "(no id)")]),
      facts([
        ["Type", value(item.type || "")],
        item.description ? ["Description"].concat(stored(item.description, text(common.decodeLangString))) : null,
        ["Response"].concat(stored(item[standard.response] || "", read, label)),
        patterns.length ? ["Correct"].concat(patterns.reduce(function (all, pattern, i) {
          return all.concat(i ? [el("br")] : [], stored(pattern, read, label));
        }, [])) : null,
        ["Result", el("span", result[0], [result[1] + (item.result || "none")])],
        item.weighting !== undefined && item.weighting !== "" ? ["Weighting", item.weighting] : null
      ])
    ]);
  }

  function scoreLine(raw, passMark) {
    if (raw === "" || raw === undefined) return "not reported yet (the player reports it at an end scene)";
    var score = Number(raw);
    if (passMark === null || passMark === undefined) return score + " % (the course has no pass mark)";
    var passed = score >= passMark;
    return el("span", passed ? "ok" : "bad", [score + " %, pass mark " + passMark + " %: " +
      (passed ? "\u2713 at or above it" : "\u2717 below it")]);
  }

  /* The SCORM record as an LMS's reports will show it. */
  function renderRecord(container, format, model, passMark, labels) {
    var standard = STANDARDS[format];
    container.textContent = "";
    if (!standard || !model) return;
    var resume = String(model.suspend_data || "").length;
    var meter = el("meter");
    meter.min = 0;
    meter.max = standard.resumeLimit;
    meter.high = standard.resumeLimit * 0.75;
    meter.value = Math.min(resume, standard.resumeLimit);
    meter.setAttribute("aria-label", "Resume state size");
    container.appendChild(section("Status and score", [facts(standard.status(model).concat([
      ["Score", scoreLine(standard.score(model), passMark)],
      ["Bookmark", standard.location(model) ? value(standard.location(model)) : "none yet"],
      ["Resume state", el("span", "", [number(resume) + " of " + number(standard.resumeLimit) + " characters (" +
        standard.resumeNote + ")"]), el("br"), meter]
    ], standard.extraSizes(model)))]));

    var interactions = ordered(model.interactions);
    var list = el("ol", "cards");
    list.style.listStyle = "none";
    list.style.paddingLeft = "0";
    interactions.forEach(function (item, i) {
      list.appendChild(interactionCard(standard, item, i + 1, (labels || {})[item.id]));
    });
    container.appendChild(section("Interactions (" + interactions.length + ")",
      interactions.length ? [list] : [el("p", "", ["None yet: each decision, quiz question and reflection adds one."])]));

    var reflections = standard.reflections(model);
    var texts = el("ul");
    reflections.forEach(function (r) {
      texts.appendChild(el("li", "card", [el("h3", "", [r[0] || "(no scene)"]), el("p", "text", [r[1]])]));
    });
    texts.style.listStyle = "none";
    texts.style.paddingLeft = "0";
    container.appendChild(section("Reflections (" + reflections.length + ")",
      reflections.length ? [texts] : [el("p", "", ["None yet."])]));
  }

  /* -- problems -- */

  function renderStrict(list, problems) {
    list.textContent = "";
    problems.forEach(function (p) {
      var shown = p.value.length > 80 ? p.value.slice(0, 79) + "\u2026" : p.value;
      list.appendChild(el("li", "", [el("code", "", [p.element]), " = ", value(shown), ": " + p.why + "."]));
    });
  }

  function addRefused(list, call, error, diagnostic) {
    list.appendChild(el("li", "", ["scorm-again refused ", el("code", "", [call]), ": " + error +
      (diagnostic ? " (" + diagnostic + ")" : "") + "."]));
  }

  /* -- statements -- */

  function lastPart(id) { return String(id).split(/[/:]/).filter(Boolean).pop() || String(id); }

  function firstText(map) {
    if (!map || typeof map !== "object") return "";
    var key = Object.keys(map).filter(function (k) { return typeof map[k] === "string"; })[0];
    return key ? map[key] : "";
  }

  /* One statement as [verb, what it is about, what its result says]. */
  function describeStatement(s) {
    var verb = firstText(s.verb.display) || lastPart(s.verb.id);
    var object = firstText(s.object.definition && s.object.definition.name) || lastPart(s.object.id);
    var r = s.result && typeof s.result === "object" ? s.result : {};
    var details = [];
    if (r.response !== undefined) details.push("response \u201c" + r.response + "\u201d");
    if (r.success === true || r.success === false) details.push(r.success ? "\u2713 success" : "\u2717 failure");
    if (r.completion === true) details.push("completed");
    if (r.score && typeof r.score.scaled === "number") details.push("score " + Math.round(r.score.scaled * 100) + " %");
    return [verb, object, details.join(", ")];
  }

  function renderStatements(list, statements) {
    list.textContent = "";
    statements.slice().reverse().forEach(function (s) {
      var line = describeStatement(s);
      list.appendChild(el("li", "", [el("span", "verb", [line[0]]), " " + line[1],
        line[2] ? el("span", "means", [": " + line[2]]) : null]));
    });
  }

  /* The raw data model as element = value rows, for experts. */
  function renderRaw(body, model) {
    body.textContent = "";
    root.ScormbuildStrictLms.elements(model, "cmi", []).forEach(function (pair) {
      if (pair[1] === "") return;
      var row = body.insertRow();
      row.insertCell().textContent = pair[0];
      row.insertCell().textContent = pair[1];
    });
  }

  root.ScormbuildPanel = {
    renderRecord: renderRecord, choiceLabels: choiceLabels, renderStrict: renderStrict, addRefused: addRefused,
    renderStatements: renderStatements, describeStatement: describeStatement, renderRaw: renderRaw
  };
})(window);
