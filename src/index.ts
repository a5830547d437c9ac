// huashu's library API: the same engine the CLI runs.
export { lintText, type LintOptions } from './engine/lint.js';
export { analyzeReply, SPEECH_ACTS, SUBJECTS, type ClauseView, type SpeechAct, type Subject } from './engine/clauses.js';
export type { Finding, Suggestion } from './engine/findings.js';
export { loadRules, loadPacks, readPack, BUILTIN_RULES_DIR, type LoadRulesOptions } from './rules/load.js';
export { compileRules, type RuleSet, type CompiledRule } from './rules/compile.js';
export { parsePack } from './rules/parse.js';
export { RuleError } from './rules/errors.js';
export type { RuleSpec, PackSpec, Severity, SuggestionSpec, SourceRef } from './rules/types.js';
export { normalize, toOriginalSpan, detectScript, type Normalized, type Script } from './normalize/index.js';
export { renderInScript, prepareRendering } from './normalize/render.js';
export { applyDirectives, parseDirectives, type Directive } from './engine/directives.js';
export { ConfigCache, findConfigFile, loadConfigFile, rulesForConfig, ignoredBy, resolveConfig, PRESETS, CONFIG_FILES, type ResolvedConfig, type ConfiguredRules } from './config/index.js';
export { parseConfig, type ConfigSpec } from './config/parse.js';
export { selfTest, type SelfTestReport, type SelfTestProblem } from './rules/selftest.js';
// Template files (Markdown, HTML, JSON, YAML) and the repository around them.
export { lintDocument, type DocumentLintOptions, type DocumentResult } from './inputs/lint-document.js';
export { extractSegments, formatOf, type InputFormat, type ExtractOptions } from './inputs/formats.js';
export { lintSegments, type SegmentLintOptions } from './inputs/remap.js';
export type { Segment } from './inputs/mapped.js';
export { parseFieldPath, parseFieldPaths, FieldPathError, type FieldPath } from './inputs/field-path.js';
export { DEFAULT_PLACEHOLDER_PATTERNS, placeholderPatterns, maskPlaceholders, type PlaceholderPattern } from './inputs/placeholders.js';
export { IgnoreRules, type IgnoreOptions } from './repo/ignore.js';

// Library users may render any text (or compile packs without buildRuleSet): load OpenCC up front. The CLI
// does not import this module, and loads OpenCC only for text not rendered at build time.
import { prepareRendering } from './normalize/render.js';
await prepareRendering();
