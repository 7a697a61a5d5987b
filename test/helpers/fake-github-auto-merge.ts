import type { FakeGithub } from './fake-github'
import type { FakeGithubPulls, FakePull } from './fake-github-pulls'
import type { FakeGithubThreads, FakeGraphqlAnswer } from './fake-github-threads'

/** A repository's settings that bear on auto-merge: "Allow auto-merge", and the base branch's protection. */
export interface FakeRepoRules {
  /** GitHub's "Allow auto-merge" (off unless turned on, as on GitHub). */
  allowAutoMerge: boolean
  /** Approving reviews the protection requires (a change request then blocks too). */
  requiredApprovals: number
  /** Check runs (by name) or commit statuses (by context) that must succeed on the head. */
  requiredChecks: string[]
}

const METHODS = ['MERGE', 'SQUASH', 'REBASE']
const INPUT_TYPES: Record<string, Record<string, RegExp>> = {
  enablePullRequestAutoMerge: {
    pullRequestId: /^ID!$/,
    mergeMethod: /^PullRequestMergeMethod!?$/,
    expectedHeadOid: /^GitObjectID!?$/,
    commitHeadline: /^String!?$/,
    commitBody: /^String!?$/,
    authorEmail: /^String!?$/,
    clientMutationId: /^String!?$/
  },
  disablePullRequestAutoMerge: { pullRequestId: /^ID!$/, clientMutationId: /^String!?$/ }
}
// The fields of the payloads (and of the PullRequest and AutoMergeRequest inside) a request may select.
const FIELDS = new Set(['clientMutationId', 'pullRequest', 'actor', 'login', 'id', 'number', 'state', 'autoMergeRequest', 'mergeMethod'])
;['enabledBy', 'enabledAt', 'commitHeadline', 'commitBody', 'authorEmail'].forEach((f) => FIELDS.add(f))

/**
 * GitHub's auto-merge on the fake: the repository's "Allow auto-merge" and a branch protection just rich
 * enough (required approvals, required checks) for GitHub's verdict (`blocked` while unmet), the GraphQL
 * mutations enablePullRequestAutoMerge (refused for a repository that does not allow it, and for a pull
 * request already "clean": nothing to wait for) and disablePullRequestAutoMerge, checked against the
 * schema's input types; and GitHub merging the pull request itself once its requirements are met, at the
 * expected head only: a push drops the auto-merge.
 */
export class FakeGithubAutoMerge {
  readonly rules = new Map<string, FakeRepoRules>()
  /** Pull requests GitHub merged by itself. */
  readonly merged: { fullName: string; number: number; sha: string; method: string }[] = []

  private constructor(
    private readonly gh: FakeGithub,
    private readonly pulls: FakeGithubPulls
  ) {}

  /** Adds auto-merge to a fake GitHub's pull requests and GraphQL. */
  static attach(gh: FakeGithub, pulls: FakeGithubPulls, threads: FakeGithubThreads): FakeGithubAutoMerge {
    const f = new FakeGithubAutoMerge(gh, pulls)
    pulls.stateOf = (fullName, p) => f.stateOf(fullName, p)
    pulls.changed.push((fullName) => f.settle(fullName))
    threads.operations.push((q, v) => f.graphql(q, v))
    return f
  }

  /** Changes a repository's rules. */
  configure(fullName: string, patch: Partial<FakeRepoRules>): void {
    this.rules.set(fullName, { ...this.rulesOf(fullName), ...patch })
    this.settle(fullName)
  }

  /** What GitHub would do by itself now: merge the pull requests whose requirements are met, drop auto-merge a push outdated. */
  settle(fullName: string): void {
    for (const p of this.pulls.pulls.get(fullName) ?? []) {
      if (!p.autoMerge || p.state !== 'open') continue
      this.pulls.sync(fullName, p)
      if (p.head.sha !== p.autoMerge.expectedHead) {
        p.autoMerge = null
        p.updatedAt = Date.now()
      } else if (['clean', 'has_hooks', 'unstable'].includes(this.stateOf(fullName, p))) {
        this.merged.push({ fullName, number: p.number, sha: p.head.sha, method: p.autoMerge.method })
        p.merged = true
        p.state = 'closed'
        p.autoMerge = null
        p.updatedAt = Date.now()
      }
    }
  }

  /** What the protection still asks for, in a few words. */
  unmet(fullName: string, p: FakePull): string[] {
    const rules = this.rulesOf(fullName)
    const latest = new Map<string, string>()
    for (const r of p.reviews) if (['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(r.state)) latest.set(r.user, r.state)
    const states = [...latest.values()]
    const out: string[] = []
    if (rules.requiredApprovals > 0 && states.includes('CHANGES_REQUESTED')) out.push('changes requested')
    if (states.filter((s) => s === 'APPROVED').length < rules.requiredApprovals) out.push('approvals')
    const commit = this.gh.commit(fullName, p.head.sha)
    for (const name of rules.requiredChecks) {
      const run = commit.checkRuns.filter((r) => r.name === name).at(-1)
      const status = commit.statuses.find((s) => s.context === name)
      const passed = run
        ? run.status === 'completed' && ['success', 'neutral', 'skipped'].includes(run.conclusion ?? '')
        : status?.state === 'success'
      if (!passed) out.push(`check ${name}`)
    }
    return out
  }

  private rulesOf(fullName: string): FakeRepoRules {
    return this.rules.get(fullName) ?? { allowAutoMerge: false, requiredApprovals: 0, requiredChecks: [] }
  }

  private stateOf(fullName: string, p: FakePull): FakePull['mergeableState'] {
    const base = p.draft ? 'draft' : p.mergeableState
    if (base !== 'clean') return base
    return this.unmet(fullName, p).length ? 'blocked' : 'clean'
  }

  private find(id: unknown): { fullName: string; p: FakePull } | null {
    const n = typeof id === 'string' && /^PR_\d+$/.test(id) ? Number(id.slice(3)) : NaN
    for (const [fullName, list] of this.pulls.pulls) {
      const p = list.find((x) => x.number === n)
      if (p) return { fullName, p }
    }
    return null
  }

  // The two mutations, as GitHub's schema has them: declared variables of the input's types, known payload fields.
  private graphql(q: string, variables: Record<string, unknown>): FakeGraphqlAnswer | null {
    const m =
      /^mutation\(([^)]*)\) \{ (enablePullRequestAutoMerge|disablePullRequestAutoMerge)\(input: \{ ([^}]*) \}\) \{(.*)\}\s*\}$/.exec(q)
    if (!m) return null
    const [, decl, op, input, selection] = m as unknown as [string, string, keyof typeof INPUT_TYPES, string, string]
    const declared = new Map(
      decl
        .split(',')
        .map((d) => d.trim().split(/:\s*/))
        .map(([n, t]) => [n!.replace(/^\$/, ''), t ?? ''])
    )
    const fields = new Map(input.split(',').map((f) => f.trim().split(/:\s*/) as [string, string]))
    for (const [field, value] of fields) {
      const type = INPUT_TYPES[op]![field]
      if (!type) return { invalid: `InputObject '${op}Input' doesn't accept argument '${field}'` }
      const name = value?.replace(/^\$/, '')
      if (!value?.startsWith('$') || !declared.has(name!) || !type.test(declared.get(name!)!))
        return { invalid: `Type mismatch on variable $${name} and argument ${field}` }
    }
    if (!fields.has('pullRequestId')) return { invalid: `Argument 'pullRequestId' on InputObject '${op}Input' is required` }
    const unknown = (selection.match(/[A-Za-z_]\w*/g) ?? []).filter((f) => !FIELDS.has(f))
    if (unknown.length) return { invalid: `Field '${unknown[0]}' doesn't exist on the payload of ${op}` }
    const value = (field: string) => variables[fields.get(field)?.replace(/^\$/, '') ?? '']
    const method = value('mergeMethod')
    const head = value('expectedHeadOid')
    if (method !== undefined && !METHODS.includes(String(method)))
      return { invalid: `Variable of type PullRequestMergeMethod was given ${String(method)}` }
    if (head !== undefined && !(typeof head === 'string' && /^[0-9a-f]{40}$/.test(head)))
      return { invalid: `Variable of type GitObjectID was provided invalid value` }

    const refused = (type: string, message: string): FakeGraphqlAnswer => ({
      data: { [op]: null },
      errors: [{ type, message, path: [op] }]
    })
    const found = this.find(value('pullRequestId'))
    if (!found) return refused('NOT_FOUND', `Could not resolve to a node with the global id of '${String(value('pullRequestId'))}'`)
    const { fullName, p } = found
    this.pulls.sync(fullName, p)
    if (op === 'disablePullRequestAutoMerge') {
      if (p.autoMerge) p.updatedAt = Date.now()
      p.autoMerge = null
      return { data: { [op]: { pullRequest: { id: `PR_${p.number}` } } } }
    }
    if (!this.rulesOf(fullName).allowAutoMerge) return refused('UNPROCESSABLE', 'Auto merge is not allowed for this repository')
    if (p.state !== 'open' || p.merged) return refused('UNPROCESSABLE', 'Pull request Pull request is closed')
    if (head !== undefined && head !== p.head.sha)
      return refused('UNPROCESSABLE', 'Pull request Head sha does not match the expected head oid')
    const state = this.stateOf(fullName, p)
    if (state !== 'blocked' && state !== 'behind') return refused('UNPROCESSABLE', `Pull request Pull request is in ${state} status`)
    p.autoMerge = { method: String(method ?? 'MERGE').toLowerCase() as 'merge', enabledBy: 'skein-user', expectedHead: p.head.sha }
    p.updatedAt = Date.now()
    return {
      data: {
        [op]: {
          pullRequest: {
            id: `PR_${p.number}`,
            autoMergeRequest: { mergeMethod: String(method ?? 'MERGE'), enabledBy: { login: 'skein-user' } }
          }
        }
      }
    }
  }
}
