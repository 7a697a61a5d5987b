import type { DetectedImport, Environment, EnvironmentInput, ShareMode } from '../../../shared/environment'

/** The environment editor's fields, as text the person edits. */
export interface EnvironmentForm {
  setup: string
  copy: string
  share: { path: string; mode: ShareMode }[]
  runCommand: string
  runUrl: string
  archive: string
  startAgent: 'after-setup' | 'parallel'
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

/** The form for an environment (empty fields for none). */
export function formOf(e: Environment | null): EnvironmentForm {
  return {
    setup: e?.setup.join('\n') ?? '',
    copy: e?.copy.join('\n') ?? '',
    share: e?.share.map((s) => ({ ...s })) ?? [],
    runCommand: e?.run?.command ?? '',
    runUrl: e?.run?.url ?? '',
    archive: e?.archive ?? '',
    startAgent: e?.startAgent ?? 'after-setup'
  }
}

/** The environment a form describes (one setup command or copy pattern per line; blank rows dropped). */
export function environmentOf(f: EnvironmentForm): EnvironmentInput {
  return {
    setup: lines(f.setup),
    copy: lines(f.copy),
    share: f.share.filter((s) => s.path.trim()).map((s) => ({ path: s.path.trim(), mode: s.mode })),
    run: f.runCommand.trim()
      ? {
          command: f.runCommand.trim(),
          ...(f.runUrl.trim() ? { url: f.runUrl.trim() } : {})
        }
      : null,
    archive: f.archive.trim() || null,
    startAgent: f.startAgent
  }
}

/** Adds an import to the form: its commands replace the setup, its patterns and folders are added, its run and archive commands fill empty fields. */
export function withImport(f: EnvironmentForm, d: DetectedImport): EnvironmentForm {
  const e = d.environment
  const copy = [...new Set([...lines(f.copy), ...e.copy])]
  const share = [...f.share]
  for (const s of e.share) if (!share.some((x) => x.path === s.path)) share.push({ ...s })
  return {
    ...f,
    setup: e.setup.length ? e.setup.join('\n') : f.setup,
    copy: copy.join('\n'),
    share,
    runCommand: f.runCommand || e.run?.command || '',
    runUrl: f.runUrl || e.run?.url || '',
    archive: f.archive || e.archive || ''
  }
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** What an import would bring, in one line: "3 setup commands · 1 file pattern · run command". */
export function importSummary(e: Environment): string {
  const parts = [
    e.setup.length ? count(e.setup.length, 'setup command') : null,
    e.copy.length ? count(e.copy.length, 'file pattern') : null,
    e.share.length ? `${count(e.share.length, 'shared folder')} (${e.share.map((s) => s.path).join(', ')})` : null,
    e.run ? 'run command' : null,
    e.archive ? 'archive command' : null
  ].filter(Boolean)
  return parts.length ? parts.join(' · ') : 'nothing to import'
}

/** The name people know each format by. */
export const formatLabels: Record<DetectedImport['format'], string> = {
  conductor: 'Conductor',
  cursor: 'Cursor worktrees',
  claude: 'Claude Code',
  devcontainer: 'Dev container'
}
