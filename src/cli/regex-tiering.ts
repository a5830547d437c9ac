// V8 runs a regular expression in its bytecode interpreter the first time and compiles it to machine code
// the second time (`--regexp-tier-up-ticks`, default 1). A one-draft `huashu lint` runs most of the rules'
// ~200 patterns (large alternations) only a few times: once for the draft, then once for each suggestion
// that is linted again (src/suggest). Compiling them at their second run was ~110 M instructions of a
// ~1,170 M run (~10 ms), more than all the linting of the candidates. From 20 runs on, a pattern is compiled
// as before; an audit, which runs every pattern thousands of times, compiles each at its first run instead
// (compileRegexpsAtFirstRun). Set before the rules are built: a pattern takes the setting in force when it
// is created. Not a change of meaning: the interpreter and the compiled code match alike. Nor is turning
// off the peephole pass over the interpreter's bytecode: a pattern run a handful of times does not repay it
// (~30 M instructions of a one-draft lint), and from its 20th run the pattern is machine code, which the
// pass never touched. docs/performance.md has the figures.
import { setFlagsFromString } from 'node:v8';

export const REGEXP_TIER_UP_TICKS = 20;

let done = false;

export function tuneRegexTierUp(): void {
  if (done) return;
  done = true;
  try {
    setFlagsFromString(`--regexp-tier-up-ticks=${REGEXP_TIER_UP_TICKS} --no-regexp-peephole-optimization`);
  } catch {
    // a Node without the flag: the default tiering
  }
}

/**
 * For a run that lints thousands of replies (`huashu audit`): every pattern runs thousands of times, so
 * compile it to machine code at its first run. Interpreting its first 20 runs, then compiling it anyway,
 * made the corpus audit ~4% slower by wall time (docs/performance.md). V8 reads this setting when it
 * compiles a pattern, so patterns created before the call take it too.
 */
export function compileRegexpsAtFirstRun(): void {
  try {
    setFlagsFromString('--no-regexp-tier-up');
  } catch {
    // a Node without the flag: the tiering set by tuneRegexTierUp
  }
}
