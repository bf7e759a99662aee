// The password strength estimator, run as a short-lived child process by lib/auth/password-strength.ts
// (which explains why). Reads {"password", "userInputs"} as JSON on stdin, writes
// {"score", "warning", "suggestions"} as JSON on stdout. The password never appears in argv or env.
// zxcvbn-ts with its common-password list and English dictionaries: https://zxcvbn-ts.github.io/zxcvbn/
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { password, userInputs } = JSON.parse(input);

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  // Plain English sentences instead of translation keys.
  translations: en.translations,
  // Levenshtein matching is off: it made one check take about 1.5 s on this project's 2-core machine,
  // and exact, l33t and reversed dictionary matches already catch the common passwords.
  useLevenshteinDistance: false,
});
const { score, feedback } = zxcvbn.check(password, userInputs);
process.stdout.write(JSON.stringify({ score, warning: feedback.warning, suggestions: feedback.suggestions }));
