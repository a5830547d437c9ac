// The library API without the file readers and YAML parsers (src/index.ts adds them; src/entry.ts loads
// them on first use).
export { lint, resetLintCache, DocumentError, type LintCallOptions, type LintCallResult, type InlineConfig } from './library.js';
export { lintText, type LintOptions } from './engine/lint.js';
export { analyzeReply, SPEECH_ACTS, SUBJECTS, type ClauseView, type SpeechAct, type Subject } from './engine/clauses.js';
export type { Finding, Suggestion } from './engine/findings.js';
export { loadRules, loadPacks, readPack, BUILTIN_RULES_DIR, type LoadRulesOptions } from './rules/load.js';
export { compileRules, type RuleSet, type CompiledRule } from './rules/compile.js';
export { RuleError } from './rules/errors.js';
export type { RuleSpec, PackSpec, Severity, SuggestionSpec, SourceRef } from './rules/types.js';
export { normalize, toOriginalSpan, detectScript, type Normalized, type Script } from './normalize/index.js';
export { renderInScript, prepareRendering } from './normalize/render.js';
export { applyDirectives, applyDirectivesAt, parseDirectives, type Directive } from './engine/directives.js';
export { ConfigCache, findConfigFile, loadConfigFile, rulesForConfig, ignoredBy, resolveConfig, PRESETS, CONFIG_FILES, type ResolvedConfig, type ConfiguredRules } from './config/index.js';
export { selfTest, type SelfTestReport, type SelfTestProblem } from './rules/selftest.js';
// Template files (Markdown, HTML, JSON, YAML) and the repository around them.
export { formatOf, type InputFormat } from './inputs/kinds.js';
export { lintSegments, type SegmentLintOptions } from './inputs/remap.js';
export type { Segment } from './inputs/mapped.js';
export { parseFieldPath, parseFieldPaths, FieldPathError, type FieldPath } from './inputs/field-path.js';
export { DEFAULT_PLACEHOLDER_PATTERNS, placeholderPatterns, maskPlaceholders, type PlaceholderPattern } from './inputs/placeholders.js';
export { IgnoreRules, type IgnoreOptions } from './repo/ignore.js';

