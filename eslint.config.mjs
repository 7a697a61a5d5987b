// The architecture guide's import boundaries, as lint rules: `npm test` fails on a violation.
// Types and unused names are the compiler's job (tsconfig/*.json); this file only says who may import what.
import tseslint from 'typescript-eslint'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

/** One `no-restricted-imports` rule from pattern groups, each with the reason a person reads. */
const restrict = (...patterns) => ['error', { patterns }]

const noElectron = {
  regex: '^electron(/|$)',
  message:
    'Only the Electron shell (src/main/index.ts, src/main/electron) and the preload import electron; the core and the CLI run under plain Node.'
}

// The renderer's layers run one way: app/ (the composition root) -> features/<name> -> state/, ui/, lib/ -> src/shared.
const rendererBase = [
  noElectron,
  {
    group: ['**/main/**', '**/main', '**/cli/**', '**/preload/**'],
    message: 'The renderer talks to the core only through the protocol in src/shared (the RPC client), never by importing it.'
  },
  { group: nodeBuiltins, message: 'The renderer runs in a page: no Node modules.' }
]
const noApp = {
  regex: '^\\.{1,2}/(.*/)?app(/|$)',
  message: 'app/ is the composition root on top: features, state/, ui/ and lib/ never import it.'
}
/** Another feature's file other than its index: `../<feature>/<file>` or `…/features/<feature>/<file>`. */
const deepFeature = '^(\\.\\./[^./][^/]*|\\.{1,2}/(.*/)?features/[^/]+)/(?!index$)[^/]+'
const featureMessage =
  "A feature uses another feature only through its public index.ts (import from '../<feature>'); export what is needed there."

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '**/*.d.ts'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '^(?!zod$|\\./)',
        message: 'src/shared is the protocol both sides load: it imports only zod and its own files.'
      })
    }
  },
  {
    files: [
      'src/main/core/**/*.ts',
      'src/cli/**/*.ts',
      'src/main/serve.ts',
      'src/main/core-process.ts',
      'src/main/electron/core-process-runtime.ts',
      'src/main/electron/core-process-protocol.ts'
    ],
    rules: {
      'no-restricted-imports': restrict(noElectron, {
        group: ['**/renderer/**', '**/renderer'],
        message: 'The core and the CLI never import the renderer; they share only src/shared.'
      })
    }
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(noElectron, {
        group: ['**/renderer/**', '**/cli/**', '**/electron/**'],
        message: 'The core is the bottom layer: it imports src/shared and itself, never the renderer, the CLI or the Electron shell.'
      })
    }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrict(...rendererBase) }
  },
  {
    files: ['src/renderer/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict(...rendererBase, noApp, { regex: deepFeature, message: featureMessage }),
      // no-restricted-imports does not see import(): a lazy load of another feature's file goes through that feature too.
      // (esquery ends a regex at the first '/', so slashes are written \x2F.)
      'no-restricted-syntax': [
        'error',
        { selector: `ImportExpression > Literal.source[value=/${deepFeature.replaceAll('/', '\\x2F')}/]`, message: featureMessage }
      ]
    }
  },
  {
    files: ['src/renderer/state/**/*.{ts,tsx}', 'src/renderer/ui/**/*.{ts,tsx}', 'src/renderer/lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict(...rendererBase, noApp, {
        regex: '^\\.{1,2}/(.*/)?features(/|$)',
        message: 'state/, ui/ and lib/ sit under the features: they never import one (move the shared piece down instead).'
      })
    }
  }
)
