// Writes test/fixtures/github-openapi.json: the GitHub REST operations Skein calls, taken with every
// schema they use from GitHub's official OpenAPI description (the @octokit/openapi package). The
// fake GitHub validates every request and response against it. Run after updating the package:
//   npx tsx scripts/github-openapi-fixture.ts
// test/ci-openapi.test.ts fails while the fixture and the package disagree.
import { writeFileSync } from 'node:fs'
import { GITHUB_OPENAPI_FIXTURE, githubFixtureFromPackage } from '../test/helpers/github-openapi-fixture'

const doc = githubFixtureFromPackage()
writeFileSync(GITHUB_OPENAPI_FIXTURE, JSON.stringify(doc, null, 1) + '\n')
console.log(`${GITHUB_OPENAPI_FIXTURE}: ${Object.keys(doc.paths).length} paths from ${String(doc.info['x-extracted-from'])}`)
