import { userBody } from './fake-gitlab-bodies'
import type { FakeGitlab } from './fake-gitlab'
import type { FakeGitlabRouteContext } from './fake-gitlab-mrs'

/** One note of a fake discussion. */
export interface FakeNote {
  id: number
  body: string
  author: string
  createdAt: number
  resolved: boolean
}

/** A merge request discussion on lines of the diff (a DiffNote thread), as the fake keeps it. */
export interface FakeDiscussion {
  id: string
  iid: number
  newPath: string
  oldPath: string
  newLine: number | null
  oldLine: number | null
  headSha: string
  baseSha: string
  resolvable: boolean
  notes: FakeNote[]
}

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * Merge request discussions on the fake GitLab, with the documented fields
 * (https://docs.gitlab.com/api/discussions/#merge-requests): list (paginated with x-next-page), add a
 * note to a discussion, and resolve or reopen one (`PUT …/discussions/:id?resolved=true|false`).
 */
export class FakeGitlabThreads {
  readonly discussions = new Map<string, FakeDiscussion[]>()
  readonly notesAdded: { discussion: string; body: string }[] = []
  readonly resolves: { discussion: string; resolved: string | null }[] = []
  private nextNote = 500
  private nextDiscussion = 1

  private constructor(private readonly gl: FakeGitlab) {}

  /** Adds discussion routes to a fake GitLab. */
  static attach(gl: FakeGitlab): FakeGitlabThreads {
    const f = new FakeGitlabThreads(gl)
    gl.routes.unshift((ctx) => f.route(ctx))
    return f
  }

  /** A reviewer starts a discussion on a line of the diff (the new side unless `oldLine` only). */
  discuss(
    path: string,
    d: { iid: number; file: string; newLine: number | null; oldLine?: number | null; headSha: string; author: string; body: string }
  ): FakeDiscussion {
    const made: FakeDiscussion = {
      id: `${(this.nextDiscussion++).toString(16).padStart(8, '0')}${'a'.repeat(32)}`,
      iid: d.iid,
      newPath: d.file,
      oldPath: d.file,
      newLine: d.newLine,
      oldLine: d.oldLine ?? null,
      headSha: d.headSha,
      baseSha: '0'.repeat(40),
      resolvable: true,
      notes: [{ id: this.nextNote++, body: d.body, author: d.author, createdAt: Date.now(), resolved: false }]
    }
    this.discussions.set(path, [...(this.discussions.get(path) ?? []), made])
    return made
  }

  private route(ctx: FakeGitlabRouteContext): boolean {
    const { req, url } = ctx
    const m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/discussions(?:\/([0-9a-f]+)(\/notes)?)?$/.exec(url.pathname)
    if (!m) return false
    const path = decodeURIComponent(m[1]!)
    const list = (this.discussions.get(path) ?? []).filter((d) => d.iid === Number(m[2]))
    const method = req.method ?? 'GET'
    if (!m[3] && method === 'GET') {
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 20))
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1))
      const pages = Math.max(1, Math.ceil(list.length / perPage))
      ctx.body(JSON.stringify(list.slice((page - 1) * perPage, page * perPage).map((d) => this.json(d))), 'application/json', {
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-total': String(list.length),
        'x-total-pages': String(pages),
        'x-next-page': page < pages ? String(page + 1) : '',
        'x-prev-page': page > 1 ? String(page - 1) : ''
      })
      return true
    }
    const d = list.find((x) => x.id === m[3])
    if (!d) {
      ctx.message(404, '404 Discussion Not Found')
      return true
    }
    if (m[4] && method === 'POST') {
      const body = ctx.json.body
      if (typeof body !== 'string' || !body) {
        ctx.message(400, 'body is missing')
        return true
      }
      this.notesAdded.push({ discussion: d.id, body })
      const note: FakeNote = { id: this.nextNote++, body, author: 'skein-user', createdAt: Date.now(), resolved: false }
      d.notes.push(note)
      this.gl.rate.remaining--
      ctx.send(201, JSON.stringify(this.note(d, note)))
      return true
    }
    if (!m[4] && method === 'PUT') {
      const resolved = url.searchParams.get('resolved')
      this.resolves.push({ discussion: d.id, resolved })
      if (resolved !== 'true' && resolved !== 'false') {
        ctx.message(400, 'resolved is missing')
        return true
      }
      for (const n of d.notes) n.resolved = resolved === 'true'
      this.gl.rate.remaining--
      ctx.send(200, JSON.stringify(this.json(d)))
      return true
    }
    return false
  }

  private author(username: string): Record<string, unknown> {
    return userBody(this.gl.baseUrl, username, 100 + username.length)
  }

  private note(d: FakeDiscussion, n: FakeNote) {
    return {
      id: n.id,
      type: 'DiffNote',
      body: n.body,
      attachment: null,
      author: this.author(n.author),
      created_at: iso(n.createdAt),
      updated_at: iso(n.createdAt),
      system: false,
      noteable_id: 1000 + d.iid,
      noteable_type: 'MergeRequest',
      project_id: 1,
      noteable_iid: d.iid,
      commit_id: null,
      position: {
        base_sha: d.baseSha,
        start_sha: d.baseSha,
        head_sha: d.headSha,
        old_path: d.oldPath,
        new_path: d.newPath,
        position_type: 'text',
        old_line: d.oldLine,
        new_line: d.newLine,
        line_range: null
      },
      resolvable: d.resolvable,
      resolved: n.resolved,
      resolved_by: n.resolved ? this.author('reviewer') : null,
      resolved_at: n.resolved ? iso(Date.now()) : null,
      suggestions: [],
      confidential: false,
      internal: false
    }
  }

  private json(d: FakeDiscussion) {
    return { id: d.id, individual_note: false, notes: d.notes.map((n) => this.note(d, n)) }
  }
}
