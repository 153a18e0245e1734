/* A small SCORM 1.2 LMS for `scormbuild preview`: it accepts every call,
 * keeps the data model in memory (and in sessionStorage, so that a reload
 * resumes like a real LMS), and tells the side panel about each change. */
(function (root) {
  "use strict";
  var KEY = "scormbuild-preview-cmi";
  var lms = { data: {}, onChange: function () {} };

  function load() {
    try { lms.data = JSON.parse(root.sessionStorage.getItem(KEY)) || {}; } catch (e) { lms.data = {}; }
  }
  function save() {
    try { root.sessionStorage.setItem(KEY, JSON.stringify(lms.data)); } catch (e) {}
    lms.onChange();
  }
  lms.reset = function () { lms.data = {}; save(); };

  var DEFAULTS = { "cmi.core.lesson_status": "not attempted", "cmi.core.student_id": "preview",
                   "cmi.core.student_name": "Preview, Learner", "cmi.core.entry": "ab-initio" };

  root.API = {
    LMSInitialize: function () {
      load();
      if (lms.data["cmi.core.exit"] === "suspend") lms.data["cmi.core.entry"] = "resume";
      save();
      return "true";
    },
    LMSGetValue: function (element) {
      if (element === "cmi.interactions._count") {
        var n = 0;
        while (("cmi.interactions." + n + ".id") in lms.data) n++;
        return String(n);
      }
      if (element in lms.data) return lms.data[element];
      return DEFAULTS[element] || "";
    },
    LMSSetValue: function (element, value) { lms.data[element] = String(value); save(); return "true"; },
    LMSCommit: function () { save(); return "true"; },
    LMSFinish: function () { save(); return "true"; },
    LMSGetLastError: function () { return "0"; },
    LMSGetErrorString: function () { return ""; },
    LMSGetDiagnostic: function () { return ""; }
  };
  load();
  root.PreviewLms = lms;
})(window);
