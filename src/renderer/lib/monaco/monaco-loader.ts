import type * as Monaco from 'monaco-editor/editor/editor.api'

/** The Monaco API (editor and languages namespaces, Range, KeyCode…). */
export type MonacoApi = typeof Monaco

let loading: Promise<MonacoApi> | null = null

/** Loads Monaco on first use (a separate chunk with its worker); later calls share the same promise. */
export function loadMonaco(): Promise<MonacoApi> {
  loading ??= import('./monaco-setup')
    .then((m) => m.monaco)
    .catch((e: unknown) => {
      loading = null // a failed chunk load (e.g. the core restarted mid-build) can be retried
      throw e
    })
  return loading
}

/** Monaco's language for a path, from its extension or file name; plain text when none matches. */
export function languageFor(monaco: MonacoApi, path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? name.slice(dot) : ''
  for (const lang of monaco.languages.getLanguages()) {
    if (lang.filenames?.some((f) => f.toLowerCase() === name)) return lang.id
    if (ext && lang.extensions?.some((e) => e.toLowerCase() === ext)) return lang.id
  }
  return 'plaintext'
}
