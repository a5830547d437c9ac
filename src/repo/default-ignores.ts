// Files a directory walk (or a glob) passes over by default although huashu reads their kind: project
// and CI files that are JSON or YAML but hold no reply text — linting them flags script names, job names
// and package descriptions. A file named on the command line (or by pre-commit) is still linted. Hidden
// folders (.github/, .gitlab/, .circleci/) and hidden files (.gitlab-ci.yml, .travis.yml) are never walked.
import { basename } from 'node:path';

const DEFAULT_IGNORED: readonly RegExp[] = [
  /^package(-lock)?\.json$/i, // npm manifests and lockfiles
  /^package\..*\.json$/i,
  /^npm-shrinkwrap\.json$/i,
  /^pnpm-lock\.ya?ml$/i,
  /^pnpm-workspace\.ya?ml$/i,
  /^(bun|yarn|deno|composer|poetry|cargo|gemfile)\.lock$/i,
  /^composer\.json$/i,
  /^deno\.jsonc?$/i,
  /^[tj]sconfig([.-].*)?\.json$/i, // tsconfig.json, tsconfig.build.json, jsconfig.json
  /^(docker-)?compose([.-].*)?\.ya?ml$/i, // docker-compose.yml, docker-compose.prod.yaml, compose.yaml
  /^(azure-pipelines|bitbucket-pipelines|appveyor|codecov|netlify|vercel|renovate|lerna|nx|turbo|firebase|app)\.(json|ya?ml)$/i,
  /^action\.ya?ml$/i, // a GitHub Action's metadata
  /^huashu\.config\.ya?ml$/i, // huashu's own config (its rule ids are not a reply)
];

/** Why a file found by walking a directory is skipped by default; undefined: it is linted. */
export function defaultIgnoreReason(path: string): string | undefined {
  const name = basename(path);
  return DEFAULT_IGNORED.some((re) => re.test(name)) ? 'ignored by default (a project or CI file, not reply text; name it to lint it)' : undefined;
}
