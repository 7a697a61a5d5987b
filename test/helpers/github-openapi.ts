import { readFileSync } from 'node:fs'
import type { ErrorObject } from 'ajv'
import { ApiChecker } from './api-checker'
import { GITHUB_OPENAPI_FIXTURE, type OpenApiDoc } from './github-openapi-fixture'

// GitHub's REST docs list conclusions its OpenAPI enum leaves out: a check run can end `stale` (GitHub
// marks it after 14 days incomplete) and Actions runs report `startup_failure`. Real answers carry them.
const DOCUMENTED_CONCLUSIONS = new Set(['stale', 'startup_failure'])

const tolerate = (e: ErrorObject): boolean =>
  e.keyword === 'enum' && e.instancePath.endsWith('/conclusion') && DOCUMENTED_CONCLUSIONS.has(e.data as string)

let checker: ApiChecker | null = null

/** The checker for the fake GitHub: the committed extract of GitHub's OpenAPI description, loaded once per process. */
export function githubApiChecker(): ApiChecker {
  checker ??= new ApiChecker(JSON.parse(readFileSync(GITHUB_OPENAPI_FIXTURE, 'utf8')) as OpenApiDoc, {
    name: 'GitHub',
    // GitHub answers errors the description leaves out (401, 403 for rate limits, 422, 429) in its basic-error shape.
    errorSchema: '#/components/schemas/basic-error',
    tolerate
  })
  return checker
}
