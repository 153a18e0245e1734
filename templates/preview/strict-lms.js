/* What a strict LMS would refuse in a SCORM data model: the limits of each standard, and the
 * patterns of Moodle's own runtime (mod/scorm/datamodels/scorm_12.js and scorm_13.js), which
 * refuse some values that scorm-again, the preview's LMS, accepts. The player maps values so that
 * none of these apply (README "What the LMS records"); a rule that fires means a bug in the
 * player or a value the course set in raw HTML.
 *
 * One table of rules per standard; each rule names the elements it applies to and says why a
 * value fails, or returns "" when it is fine. */
(function (root) {
  "use strict";

  function length(value) { return String(value).length; }

  function longer(limit, what) {
    return function (value) {
      return length(value) > limit ? length(value).toLocaleString("en") + " characters; " + what + " allows " +
        limit.toLocaleString("en") : "";
    };
  }

  function decimalBetween(low, high, what) {
    return function (value) {
      if (value === "") return "";
      var number = Number(value);
      return isNaN(number) || number < low || number > high ? "not a number from " + low + " to " + high + " (" + what + ")" : "";
    };
  }

  /* SCORM 2004: each part of a response or pattern, by interaction type (Moodle's formats). */
  var SHORT_ID = /^[A-Za-z0-9_.]{1,250}$/;  // CMIShortIdentifier: [\w.], so no hyphen
  function shortIds(value, delimiter, pair) {
    var bad = [];
    String(value).split(delimiter).forEach(function (part) {
      (pair ? part.split(pair) : [part]).forEach(function (id) { if (!SHORT_ID.test(id)) bad.push(id); });
    });
    return bad.length ? "Moodle accepts only letters, digits, _ and . in ids (" + bad.slice(0, 3).map(JSON.stringify).join(", ") + ")" : "";
  }

  function langString(limit) {
    return function (value) {
      var text = String(value).replace(/^\{lang=([a-zA-Z]{2,3}|i|x)(-[a-zA-Z0-9-]{2,8})?\}/, "");
      if (/[\n\r\u2028\u2029]/.test(text)) return "a line break; Moodle's pattern for this text refuses it";
      if (text.charAt(0) === "{") return "starts with \"{\", which Moodle reads as the start of a language tag";
      return longer(limit, "SCORM 2004")(text);
    };
  }

  var RESPONSES_2004 = {
    "choice": function (v) { return shortIds(v, "[,]"); },
    "sequencing": function (v) { return shortIds(v, "[,]"); },
    "matching": function (v) { return shortIds(v, "[,]", "[.]"); },
    "fill-in": function (v) {
      var reasons = String(v).replace(/^\{case_matters=(true|false)\}/, "").split("[,]").map(langString(250));
      return reasons.filter(Boolean)[0] || "";
    },
    "long-fill-in": langString(4000),
    "true-false": function (v) { return /^(true|false)$/.test(v) ? "" : "true-false answers are \"true\" or \"false\""; }
  };

  function response2004(value, interaction) {
    var check = RESPONSES_2004[interaction.type];
    return check && value !== "" ? check(value) : "";
  }

  var RULES = {
    scorm12: [
      { element: /^cmi\.suspend_data$/, check: longer(4096, "SCORM 1.2 (CMIString4096); the LMS cuts or refuses it and the learner cannot resume") },
      { element: /^cmi\.comments$/, check: longer(4096, "SCORM 1.2 (CMIString4096)") },
      { element: /^cmi\.core\.lesson_location$/, check: longer(255, "SCORM 1.2 (CMIString255)") },
      { element: /^cmi\.core\.score\.(raw|min|max)$/, check: decimalBetween(0, 100, "Moodle's range for SCORM 1.2 scores") },
      { element: /^cmi\.interactions\.\d+\.id$/, check: function (value) {
          return /^[\u0021-\u007e]{1,255}$/.test(value) ? "" :
            "SCORM 1.2 identifiers are 1 to 255 characters of printable ASCII without spaces (" + length(value) + " characters)";
        } },
      { element: /^cmi\.interactions\.\d+\.(student_response|correct_responses\.\d+\.pattern)$/,
        check: longer(255, "SCORM 1.2 (CMIFeedback, 255)") },
      { element: /^cmi\.interactions\.\d+\.weighting$/, check: decimalBetween(-100, 100, "Moodle's range for SCORM 1.2 weighting") }
    ],
    scorm2004: [
      { element: /^cmi\.suspend_data$/, check: longer(64000, "SCORM 2004 (characterstring, SPM 64,000)") },
      { element: /^cmi\.location$/, check: longer(1000, "SCORM 2004 (characterstring, SPM 1,000)") },
      { element: /^cmi\.interactions\.\d+\.id$/, check: function (value) {
          return /^\S{1,4000}$/.test(value) ? "" : "SCORM 2004 identifiers are 1 to 4,000 characters without spaces";
        } },
      { element: /^cmi\.interactions\.\d+\.(learner_response|correct_responses\.\d+\.pattern)$/, check: response2004 },
      { element: /^cmi\.interactions\.\d+\.description$/, check: langString(250) },
      { element: /^cmi\.comments_from_learner\.\d+\.comment$/, check: langString(4000) },
      { element: /^cmi\.score\.scaled$/, check: decimalBetween(-1, 1, "SCORM 2004") }
    ]
  };

  /* Every element of the model (a plain copy of scorm-again's cmi) as [name, value]. */
  function elements(model, prefix, out) {
    Object.keys(model || {}).forEach(function (key) {
      var value = model[key];
      if (key.charAt(0) === "_") return;
      if (value && typeof value === "object") elements(value, prefix + "." + key, out);
      else if (value !== null && value !== undefined) out.push([prefix + "." + key, String(value)]);
    });
    return out;
  }

  /* [{element, value, why}] for every value of the model a strict LMS would refuse. */
  function check(format, model) {
    var rules = RULES[format] || [];
    var interactions = (model && model.interactions) || {};
    var found = [];
    elements(model, "cmi", []).forEach(function (pair) {
      var index = /^cmi\.interactions\.(\d+)\./.exec(pair[0]);
      var interaction = index ? interactions[index[1]] || {} : {};
      rules.forEach(function (rule) {
        if (!rule.element.test(pair[0])) return;
        var why = rule.check(pair[1], interaction);
        if (why) found.push({ element: pair[0], value: pair[1], why: why });
      });
    });
    return found;
  }

  root.ScormbuildStrictLms = { check: check, elements: elements };
})(window);
