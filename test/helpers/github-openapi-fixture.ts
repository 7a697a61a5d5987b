import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

/** The GitHub REST operations Skein calls, as (method, path template) in GitHub's OpenAPI description. */
export const GITHUB_OPERATIONS: readonly (readonly [method: string, path: string])[] = [
  ['get', '/repos/{owner}/{repo}/commits/{ref}/check-runs'],
  ['get', '/repos/{owner}/{repo}/commits/{ref}/status'],
  ['get', '/repos/{owner}/{repo}'],
  ['get', '/repos/{owner}/{repo}/actions/jobs/{job_id}/logs'],
  // Pull requests: find, open, read, reviews, reviewers, labels, merge; review comments and replies.
  ['get', '/repos/{owner}/{repo}/pulls'],
  ['post', '/repos/{owner}/{repo}/pulls'],
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}'],
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews'],
  ['post', '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers'],
  ['post', '/repos/{owner}/{repo}/issues/{issue_number}/labels'],
  ['put', '/repos/{owner}/{repo}/pulls/{pull_number}/merge'],
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}/comments'],
  ['post', '/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies']
]

/** Where the committed extract lives. */
export const GITHUB_OPENAPI_FIXTURE = join(__dirname, '..', 'fixtures', 'github-openapi.json')

/** An OpenAPI 3.0 document, loosely typed: only `paths` and `components` are walked. */
export interface OpenApiDoc {
  openapi: string
  info: Record<string, unknown>
  paths: Record<string, Record<string, unknown>>
  components: Record<string, Record<string, unknown>>
  [key: string]: unknown
}

/** The installed `@octokit/openapi` package's version and its description of api.github.com (about 13 MB of JSON). */
export function loadOctokitSpec(): { version: string; spec: OpenApiDoc } {
  const require = createRequire(__filename)
  const pkg = require.resolve('@octokit/openapi/package.json')
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version
  const spec = JSON.parse(readFileSync(join(pkg, '..', 'generated', 'api.github.com.json'), 'utf8')) as OpenApiDoc
  return { version, spec }
}

const resolvePointer = (doc: OpenApiDoc, ref: string): unknown =>
  ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc)

/**
 * The operations `ops` of `spec` and every component they reach through `$ref`, without the
 * `examples` (which only illustrate). The result is a valid OpenAPI document of its own.
 */
export function extractOperations(spec: OpenApiDoc, ops: readonly (readonly [string, string])[], source: string): OpenApiDoc {
  const refs = new Set<string>()
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip)
    if (!node || typeof node !== 'object') return node
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) {
      if (k === 'examples') continue
      if (k === '$ref' && typeof v === 'string' && !refs.has(v)) {
        refs.add(v)
        strip(resolvePointer(spec, v))
      }
      out[k] = strip(v)
    }
    return out
  }
  const paths: OpenApiDoc['paths'] = {}
  for (const [method, path] of ops) {
    const op = spec.paths[path]?.[method]
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the description`)
    paths[path] = { ...paths[path], [method]: strip(op) }
  }
  const components: OpenApiDoc['components'] = {}
  for (const ref of [...refs].sort()) {
    const [, , kind, name] = ref.split('/') as [string, string, string, string]
    components[kind] = { ...components[kind], [name]: strip(resolvePointer(spec, ref)) }
  }
  return {
    openapi: spec.openapi,
    info: { title: spec.info.title, version: spec.info.version, 'x-extracted-from': source },
    paths,
    components
  }
}

/** The extract as written to the fixture file, from the installed package. */
export function githubFixtureFromPackage(): OpenApiDoc {
  const { version, spec } = loadOctokitSpec()
  return extractOperations(spec, GITHUB_OPERATIONS, `@octokit/openapi@${version} generated/api.github.com.json`)
}
