// ESLint (flat config): the recommended rules over the player and runtime scripts and their Node tests.
"use strict";
const js = require("@eslint/js");
const globals = require("globals");

const unusedVars = ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }];

module.exports = [
  js.configs.recommended,
  {
    // Classic scripts run by the browser (also from file://) and loaded by Node in tests/js.
    files: ["templates/assets/**/*.js", "templates/preview/preview.js", "templates/preview/panel.js",
            "templates/preview/strict-lms.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, ...globals.node }
    },
    rules: { "no-unused-vars": unusedVars }
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: "latest", sourceType: "commonjs", globals: globals.node },
    rules: { "no-unused-vars": unusedVars }
  }
];
