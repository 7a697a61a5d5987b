import { readdir } from 'node:fs/promises'
import type { GitRunner } from '../../git/git-runner'
import { readInside, writeInside, type FsFailure } from '../worktree-fs'
import { unifiedDiff } from './unified-diff'
import type { Tool, ToolContext, ToolOutcome } from './tool-types'

const MAX_READ_CHARS = 200_000
const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const fail = (output: string): ToolOutcome => ({ output, isError: true })
/** The model-facing sentence for a refused or failed file operation. */
const explain = (f: FsFailure, path: string, verb: string): string => {
  if (f.kind === 'invalid' || f.kind === 'outside') return `Refused: ${f.reason}.`
  if (f.kind === 'folder') return `${path} is a folder; use list_files.`
  if (f.kind === 'missing') return `Could not ${verb} ${path}: no such file.`
  return `Could not ${verb} ${path}: ${f.reason}.`
}

/** Reads a text file, optionally a range of lines (1-based, inclusive). */
export const readFileTool: Tool = {
  name: 'read_file',
  description:
    'Read a text file in the worktree. Optional start_line and end_line (1-based, inclusive) read a range. Lines are prefixed with their numbers.',
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'Path relative to the worktree root' },
      start_line: { type: 'integer', minimum: 1 },
      end_line: { type: 'integer', minimum: 1 }
    },
    required: ['path']
  },
  category: 'read',
  summarize: (i) => `Read ${str(i.path)}${i.start_line ? `:${i.start_line}-${i.end_line ?? ''}` : ''}`,
  async run(input, ctx) {
    const r = await readInside(ctx.worktree, str(input.path))
    if (!r.ok) return fail(explain(r, str(input.path), 'read'))
    const lines = r.text.split('\n')
    const start = Math.max(1, Number(input.start_line) || 1)
    const end = Math.min(lines.length, Number(input.end_line) || lines.length)
    if (start > lines.length) return fail(`${r.relative} has only ${lines.length} lines.`)
    let out = lines
      .slice(start - 1, end)
      .map((l, i) => `${String(start + i).padStart(5)}  ${l}`)
      .join('\n')
    if (out.length > MAX_READ_CHARS) out = `${out.slice(0, MAX_READ_CHARS)}\n[truncated: the file is longer; read a line range]`
    return { output: out, isError: false }
  }
}

/** Turns a glob (`**`, `*`, `?`) into a regular expression over slash-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += glob[i + 2] === '/' ? 2 : 1
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

/** Lists files matching a glob: tracked and untracked ones, ignored files left out. */
export const listFilesTool = (git: GitRunner): Tool => ({
  name: 'list_files',
  description:
    'List files in the worktree matching a glob such as "src/**/*.ts" (default "**"). Ignored files (per .gitignore) are left out.',
  inputSchema: { type: 'object', properties: { pattern: { type: 'string' } } },
  category: 'read',
  summarize: (i) => `List ${str(i.pattern) || '**'}`,
  async run(input, ctx) {
    const pattern = str(input.pattern) || '**'
    const out = await git.exec(ctx.worktree, ['ls-files', '--cached', '--others', '--exclude-standard', '-z'])
    let files: string[]
    if (out.exitCode === 0) files = out.stdout.split('\0').filter(Boolean)
    else
      files = (await readdir(ctx.worktree, { recursive: true, withFileTypes: true }))
        .filter((d) => d.isFile())
        .map((d) => `${d.parentPath ?? ''}/${d.name}`.slice(ctx.worktree.length + 1))
    const re = globToRegExp(pattern.replace(/^\.\//, ''))
    const matched = [...new Set(files)].filter((f) => re.test(f)).sort()
    if (matched.length === 0) return { output: `No files match ${pattern}.`, isError: false }
    const shown = matched.slice(0, 2000)
    return {
      output:
        shown.join('\n') + (matched.length > shown.length ? `\n[${matched.length - shown.length} more not shown; narrow the pattern]` : ''),
      isError: false
    }
  }
})

/** Searches file contents with `git grep` (no extra binary needed). */
export const searchTool = (git: GitRunner): Tool => ({
  name: 'search',
  description:
    'Search file contents in the worktree with a regular expression (git grep, extended syntax). Optional path glob to narrow it. Returns file:line:text.',
  inputSchema: {
    type: 'object',
    properties: { pattern: { type: 'string' }, path: { type: 'string' }, ignore_case: { type: 'boolean' } },
    required: ['pattern']
  },
  category: 'read',
  summarize: (i) => `Search ${JSON.stringify(str(i.pattern))}${i.path ? ` in ${str(i.path)}` : ''}`,
  async run(input, ctx) {
    const args = ['grep', '-n', '-I', '-E', '--untracked', '--no-color']
    if (input.ignore_case) args.push('-i')
    args.push('-e', str(input.pattern), '--')
    if (input.path) args.push(`:(glob)${str(input.path)}`)
    const out = await git.exec(ctx.worktree, args)
    if (out.exitCode === 1) return { output: 'No matches.', isError: false }
    if (out.exitCode !== 0) return fail(`Search failed: ${out.stderr.trim()}`)
    const lines = out.stdout.split('\n').filter(Boolean)
    return {
      output: lines.slice(0, 500).join('\n') + (lines.length > 500 ? `\n[${lines.length - 500} more matches not shown]` : ''),
      isError: false
    }
  }
})

async function editPlan(
  input: Record<string, unknown>,
  ctx: ToolContext
): Promise<{ error: string } | { rel: string; before: string; after: string }> {
  const r = await readInside(ctx.worktree, str(input.path))
  if (!r.ok)
    return {
      error: r.kind === 'missing' ? `${str(input.path)} does not exist; use write_file to create it.` : explain(r, str(input.path), 'read')
    }
  const { relative: rel, text: before } = r
  const oldText = str(input.old_string)
  if (!oldText) return { error: 'old_string must not be empty.' }
  const first = before.indexOf(oldText)
  if (first < 0) return { error: `old_string was not found in ${rel}. Read the file and copy the exact text, whitespace included.` }
  if (before.indexOf(oldText, first + 1) >= 0)
    return { error: `old_string appears more than once in ${rel}; include more surrounding lines so it is unique.` }
  return { rel, before, after: before.slice(0, first) + str(input.new_string) + before.slice(first + oldText.length) }
}

/** Replaces one exact, unique string in a file. */
export const editFileTool: Tool = {
  name: 'edit_file',
  description:
    'Replace an exact string in a file with another. old_string must appear exactly once (include surrounding lines to make it unique).',
  inputSchema: {
    type: 'object',
    properties: { path: { type: 'string' }, old_string: { type: 'string' }, new_string: { type: 'string' } },
    required: ['path', 'old_string', 'new_string']
  },
  category: 'edit',
  summarize: (i) => `Edit ${str(i.path)}`,
  async preview(input, ctx) {
    const plan = await editPlan(input, ctx)
    return 'error' in plan ? { error: plan.error } : { path: plan.rel, diff: unifiedDiff(plan.rel, plan.before, plan.after) }
  },
  async run(input, ctx) {
    const plan = await editPlan(input, ctx)
    if ('error' in plan) return fail(plan.error)
    const w = await writeInside(ctx.worktree, str(input.path), plan.after)
    if (!w.ok) return fail(explain(w, plan.rel, 'edit'))
    return { output: `Edited ${w.relative}.`, isError: false, diff: unifiedDiff(plan.rel, plan.before, plan.after) }
  }
}

/** Creates or overwrites a file. */
export const writeFileTool: Tool = {
  name: 'write_file',
  description: 'Create a file or replace its whole content. Parent folders are created.',
  inputSchema: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] },
  category: 'edit',
  summarize: (i) => `Write ${str(i.path)}`,
  async preview(input, ctx) {
    const before = await contentBefore(ctx.worktree, str(input.path))
    if ('error' in before) return { error: before.error }
    return { path: before.rel, diff: unifiedDiff(before.rel, before.text, str(input.content)) }
  },
  async run(input, ctx) {
    const before = await contentBefore(ctx.worktree, str(input.path))
    if ('error' in before) return fail(before.error)
    const w = await writeInside(ctx.worktree, str(input.path), str(input.content))
    if (!w.ok) return fail(explain(w, before.rel, 'write'))
    return {
      output: `Wrote ${w.relative} (${str(input.content).length} characters).`,
      isError: false,
      diff: unifiedDiff(w.relative, before.text, str(input.content))
    }
  }
}

/** The current text of a file about to be written ('' when it does not exist yet), or why not. */
async function contentBefore(worktree: string, path: string): Promise<{ error: string } | { rel: string; text: string }> {
  const r = await readInside(worktree, path)
  if (r.ok) return { rel: r.relative, text: r.text }
  if (r.kind !== 'missing') return { error: explain(r, path, 'write') }
  return { rel: path.replace(/^\.\//, ''), text: '' }
}
