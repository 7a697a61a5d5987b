// Loaded only through monaco-loader's dynamic import(), so Monaco never weighs on the app's cold start.
// Only the core editor API, the diff editor, a few read-only contributions and Monaco's basic
// (Monarch) languages: no TypeScript/JSON/CSS/HTML language services and none of their workers.
import * as monaco from 'monaco-editor/editor/editor.api'
import 'monaco-editor/features/codicon/register'
import 'monaco-editor/features/diffEditor/register'
import 'monaco-editor/features/find/register'
import 'monaco-editor/features/contextmenu/register'
import 'monaco-editor/features/clipboard/register'
import 'monaco-editor/features/bracketMatching/register'
import 'monaco-editor/features/lineSelection/register'
import 'monaco-editor/languages/definitions/register.all'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker&inline'
import { applyMonacoTheme } from './monaco-theme'

// Diffs are computed in Monaco's editor worker, off the main thread. It is the only worker there is.
// Inline (started from a blob: URL, which the CSP allows) so it also starts from the desktop app's file:// page.
self.MonacoEnvironment = { getWorker: () => new EditorWorker({ name: 'monaco-editor-worker' }) }

applyMonacoTheme(monaco)

/** The Monaco API, set up: worker, languages and the app's themes. */
export { monaco }
