import { ALLOW, parseCommandLine, refuse, type CommandVerdict, type Word } from './command-policy'

export type { CommandVerdict } from './command-policy'

type Rule = (args: Word[]) => CommandVerdict

/** Decides whether a command line only reads: parsed with shell-quote, every part allow-listed with its flags. */
export function readOnlyVerdict(command: string): CommandVerdict {
  const parsed = parseCommandLine(command)
  if (!parsed.ok) return refuse(parsed.reason)
  for (const [name, ...args] of parsed.commands) {
    if (name!.glob) return refuse('the command name must be a plain word, not a pattern')
    const rule = RULES.get(name!.text)
    const verdict = rule ? rule(args) : refuse(notListed(name!.text))
    if (!verdict.readOnly && args.some((w) => w.beforeRedirect))
      return refuse(
        `${verdict.reason} (a number before a redirection, as in \`2>&1\`, counts as an argument here, because the parser cannot tell \`2>&1\` from \`2 >&1\`; drop the redirection)`
      )
    if (!verdict.readOnly) return verdict
  }
  return ALLOW
}

/** True when `readOnlyVerdict` allows the command. */
export function isReadOnlyCommand(command: string): boolean {
  return readOnlyVerdict(command).readOnly
}

const RUNS_COMMANDS = [
  'env',
  'xargs',
  'exec',
  'eval',
  'command',
  'builtin',
  'source',
  '.',
  'nohup',
  'time',
  'timeout',
  'nice',
  'sudo',
  'watch',
  'parallel'
]
const RUNS_CODE = ['bash', 'sh', 'zsh', 'dash', 'fish', 'python', 'python3', 'node', 'perl', 'ruby', 'php', 'deno', 'bun']

function notListed(name: string): string {
  if (RUNS_COMMANDS.includes(name)) return `\`${name}\` runs other commands, so it is not read-only`
  if (RUNS_CODE.includes(name)) return `\`${name}\` runs arbitrary code, so it is not read-only`
  if (name === 'sed') return '`sed` can write files (`-i`, the `w` command), so it is not on the read-only list'
  if (name === 'awk' || name === 'gawk')
    return `\`${name}\` can run commands (\`system()\`) and write files, so it is not on the read-only list`
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(name))
    return 'setting a variable before a command (`NAME=value cmd`) is not allowed: it can change what the command runs (GIT_PAGER, LD_PRELOAD, …)'
  return `\`${name}\` is not on Plan mode's read-only list`
}

/** Option spelling (a letter, or a long name without `--`) → what it does that is not reading. */
type Denied = Record<string, string>

// A pattern that can expand to a name starting with `-` hands the command an option chosen by whoever named the files.
const mayExpandToOption = (w: Word) => w.glob && '*?[-'.includes(w.text[0]!)

/**
 * For commands whose option set is large, denies the options that write or run something.
 * Short options are checked through clusters (`-ro` is `-r -o`) up to the first letter in
 * `valueShort`, whose value is the rest of the cluster. Long options match by prefix, because
 * getopt and git accept any unambiguous abbreviation (`sort --out=f` is `--output=f`).
 */
function denyOptions(name: string, denied: Denied = {}, valueShort = ''): Rule {
  return (args) => {
    let options = true
    for (const w of args) {
      if (options && Object.keys(denied).length && mayExpandToOption(w))
        return refuse(
          `\`${w.text}\` could expand to a file name starting with \`-\`, which \`${name}\` would read as an option; write \`./${w.text}\` or put it after \`--\``
        )
      if (!options || w.glob || !w.text.startsWith('-') || w.text === '-') continue
      if (w.text === '--') {
        options = false
        continue
      }
      const hit = deniedOption(w.text, denied, valueShort)
      if (hit) return refuse(`\`${name} ${hit}\` ${denied[hit.replace(/^-+/, '')]}`)
    }
    return ALLOW
  }
}

function deniedOption(option: string, denied: Denied, valueShort: string): string | undefined {
  if (option.startsWith('--')) {
    const given = option.slice(2).split('=')[0]!
    const long = Object.keys(denied).find((d) => d.length > 1 && d.startsWith(given))
    return long && `--${long}`
  }
  for (const letter of option.slice(1)) {
    if (letter in denied) return `-${letter}`
    if (valueShort.includes(letter)) return undefined
  }
  return undefined
}

const WRITES_OUTPUT = 'writes its output to a file'

const FIND_DENIED: Denied = {
  '-exec': 'runs a command',
  '-execdir': 'runs a command',
  '-ok': 'runs a command',
  '-okdir': 'runs a command',
  '-delete': 'deletes files',
  '-fprint': 'writes to a file',
  '-fprint0': 'writes to a file',
  '-fprintf': 'writes to a file',
  '-fls': 'writes to a file'
}

const find: Rule = (args) => {
  for (const w of args) {
    // find has no `--`: a pattern expanding to `-delete` would be a primary wherever it stands.
    if (mayExpandToOption(w))
      return refuse(
        `\`${w.text}\` is expanded by bash and could name a file like \`-delete\`; quote the pattern: \`find . -name '${w.text}'\``
      )
    if (!w.glob && w.text in FIND_DENIED) return refuse(`\`find ${w.text}\` ${FIND_DENIED[w.text]}`)
  }
  return ALLOW
}

const UNIQ_FLAGS = new Set([
  '-c',
  '--count',
  '-d',
  '--repeated',
  '-D',
  '-u',
  '--unique',
  '-i',
  '--ignore-case',
  '-z',
  '--zero-terminated',
  '--all-repeated',
  '--group'
])
const UNIQ_VALUES = new Set(['--skip-fields', '--skip-chars', '--check-chars'])

// uniq's second operand is its output file, so its options are allow-listed to count operands exactly.
const uniq: Rule = (args) => {
  let operands = 0
  let options = true
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!
    if (w.glob) return refuse('`uniq` with a pattern could get two file names, and it writes to the second one as its output file')
    if (options && w.text === '--') options = false
    else if (options && w.text.startsWith('-') && w.text !== '-') {
      const [long, value] = w.text.split('=', 2)
      if (w.text.startsWith('--')) {
        if (UNIQ_VALUES.has(long!) && value === undefined) i++
        else if (!UNIQ_FLAGS.has(long!) && !UNIQ_VALUES.has(long!)) return refuse(`\`uniq ${w.text}\` is not on the read-only list`)
        continue
      }
      for (let j = 1; j < w.text.length; j++) {
        const letter = w.text[j]!
        if ('fsw'.includes(letter)) {
          if (j === w.text.length - 1) i++
          break
        }
        if (!UNIQ_FLAGS.has(`-${letter}`)) return refuse(`\`uniq -${letter}\` is not on the read-only list`)
      }
    } else operands++
  }
  return operands > 1 ? refuse('`uniq` treats a second file name as its output file and writes it; give it one input file') : ALLOW
}

const safe = (name: string) => denyOptions(name)

const RULES = new Map<string, Rule>([
  ...[
    'ls',
    'cat',
    'head',
    'tail',
    'wc',
    'grep',
    'pwd',
    'echo',
    'which',
    'stat',
    'du',
    'df',
    'cut',
    'diff',
    'cmp',
    'basename',
    'dirname',
    'realpath',
    'uname',
    'whoami',
    'true',
    'jq'
  ].map((n): [string, Rule] => [n, safe(n)]),
  [
    'rg',
    denyOptions('rg', {
      pre: 'runs a program on each file',
      'pre-glob': 'picks files for `--pre`, which runs a program',
      'hostname-bin': 'runs a program'
    })
  ],
  ['sort', denyOptions('sort', { o: WRITES_OUTPUT, output: WRITES_OUTPUT, 'compress-program': 'runs a program' }, 'kStTy')],
  ['tree', denyOptions('tree', { o: WRITES_OUTPUT, R: 'reruns itself writing a file into each directory', output: WRITES_OUTPUT })],
  ['date', denyOptions('date', { s: 'sets the system clock', set: 'sets the system clock' }, 'dfIr')],
  ['file', denyOptions('file', { C: 'compiles a magic file, writing it', compile: 'compiles a magic file, writing it' }, 'efFmP')],
  ['printf', denyOptions('printf', { v: 'assigns to a shell variable, which the agent shell keeps for later commands' })],
  ['find', find],
  ['uniq', uniq],
  ['git', (args) => git(args)]
])

// Global options allowed before a git subcommand; the rest change which repository, config or programs git uses.
const GIT_GLOBAL = new Set(['--no-pager', '-P', '--no-optional-locks', '--literal-pathspecs', '--no-replace-objects'])

function gitGlobalReason(option: string): string {
  if (option === '-c' || option.startsWith('--config-env')) return `\`git ${option}\` can set a pager or an alias that runs a command`
  if (option === '-C' || option.startsWith('--git-dir') || option.startsWith('--work-tree'))
    return `\`git ${option}\` points git at another repository, whose config can name programs git runs`
  if (option === '-p' || option === '--paginate') return `\`git ${option}\` runs the configured pager program`
  if (option.startsWith('--exec-path')) return '`git --exec-path` changes where git finds the programs it runs'
  return `the git option \`${option}\` is not on the read-only list`
}

function git(args: Word[]): CommandVerdict {
  let i = 0
  for (; i < args.length && args[i]!.text.startsWith('-'); i++) {
    if (!GIT_GLOBAL.has(args[i]!.text) || args[i]!.glob) return refuse(gitGlobalReason(args[i]!.text))
  }
  const sub = args[i]
  if (!sub) return refuse('`git` needs a read-only subcommand such as `git log` or `git status`')
  const rule = sub.glob ? undefined : GIT_SUBCOMMANDS.get(sub.text)
  return rule ? rule(args.slice(i + 1)) : refuse(`\`git ${sub.text}\` is not on the read-only list`)
}

// git log/diff/show take hundreds of options: deny the few that write a file or run a configured program.
const GIT_DENIED: Denied = {
  output: WRITES_OUTPUT,
  'ext-diff': 'runs the configured external diff program',
  textconv: 'runs the configured textconv programs'
}

/** An allow-listed listing mode: flags, options whose value is `=v` or the next word, and operands only with `listFlags`. */
interface ListingOptions {
  flags: Set<string>
  shortFlags: string
  values: Set<string>
  listFlags: Set<string>
}

function listing(what: string, o: ListingOptions): Rule {
  return (args) => {
    let operands = 0
    let listMode = false
    for (let i = 0; i < args.length; i++) {
      const w = args[i]!
      if (w.glob)
        return refuse(`\`git ${what}\` with an unquoted pattern could get file names as ${what} names to create; quote the pattern`)
      const name = w.text.split('=')[0]!
      if (o.listFlags.has(w.text)) listMode = true
      if (!w.text.startsWith('-')) operands++
      else if (o.values.has(name)) {
        if (!w.text.includes('=') && i + 1 < args.length) i++
      } else if (
        !o.flags.has(w.text) &&
        !o.flags.has(`${name}=`) &&
        !(w.text.length > 1 && [...w.text.slice(1)].every((c) => o.shortFlags.includes(c)))
      ) {
        return refuse(`\`git ${what} ${w.text}\` is not allowed: only listing is read-only`)
      }
    }
    return operands && !listMode
      ? refuse(`\`git ${what}\` with a name creates a ${what}; use \`git ${what} --list <pattern>\` to list`)
      : ALLOW
  }
}

const LISTING_VALUES = new Set(['--contains', '--no-contains', '--merged', '--no-merged', '--points-at', '--sort', '--format'])
const LISTING_FLAGS = [
  '-l',
  '--list',
  '-i',
  '--ignore-case',
  '--no-color',
  '--no-column',
  '--omit-empty',
  '--color',
  '--color=',
  '--column',
  '--column='
]

const gitBranch = listing('branch', {
  flags: new Set([
    ...LISTING_FLAGS,
    '-a',
    '--all',
    '-r',
    '--remotes',
    '-v',
    '-vv',
    '--verbose',
    '--show-current',
    '--abbrev=',
    '--no-abbrev'
  ]),
  shortFlags: 'arvli',
  values: LISTING_VALUES,
  listFlags: new Set(['-l', '--list'])
})

const gitTag = listing('tag', {
  flags: new Set([...LISTING_FLAGS, '-n']),
  shortFlags: 'lin0123456789',
  values: LISTING_VALUES,
  listFlags: new Set(['-l', '--list'])
})

function gitRemote(args: Word[]): CommandVerdict {
  let i = 0
  while (i < args.length && (args[i]!.text === '-v' || args[i]!.text === '--verbose')) i++
  const [sub, ...rest] = args.slice(i)
  if (!sub) return ALLOW
  if (sub.glob || rest.some((w) => w.glob)) return refuse('`git remote` takes remote names, not patterns')
  const names = rest.filter((w) => !w.text.startsWith('-'))
  const options = rest.filter((w) => w.text.startsWith('-')).map((w) => w.text)
  if (sub.text === 'get-url' && names.length <= 1 && options.every((x) => x === '--push' || x === '--all')) return ALLOW
  if (sub.text === 'show' && options.length && options.every((x) => x === '-n')) return ALLOW
  if (sub.text === 'show') return refuse('`git remote show` contacts the remote; `git remote show -n <name>` does not')
  return refuse(
    `\`git remote ${sub.text}\` changes the remotes or contacts them; only \`git remote -v\`, \`get-url\` and \`show -n\` are read-only`
  )
}

const CONFIG_ACTIONS = new Set(['--get', '--get-all', '--get-regexp', '--list', '-l'])
const CONFIG_FLAGS = new Set([
  '--global',
  '--system',
  '--local',
  '--worktree',
  '--show-origin',
  '--show-scope',
  '--name-only',
  '--null',
  '-z',
  '--bool',
  '--int',
  '--bool-or-int',
  '--path',
  '--expiry-date',
  '--includes',
  '--no-includes',
  '--fixed-value'
])
const CONFIG_VALUES = new Set(['--file', '-f', '--blob', '--type', '--default'])

function gitConfig(args: Word[]): CommandVerdict {
  let action = false
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!
    if (w.glob) return refuse('`git config` takes names, not patterns; quote them')
    if (!w.text.startsWith('-')) continue
    const name = w.text.split('=')[0]!
    if (CONFIG_ACTIONS.has(w.text)) action = true
    else if (CONFIG_VALUES.has(name)) {
      if (!w.text.includes('=')) i++
    } else if (!CONFIG_FLAGS.has(w.text))
      return refuse(`\`git config ${w.text}\` is not allowed: only \`--get\`, \`--get-all\`, \`--get-regexp\` and \`--list\` read`)
  }
  return action ? ALLOW : refuse('`git config` without `--get`, `--get-all`, `--get-regexp` or `--list` sets a value')
}

const GIT_SUBCOMMANDS = new Map<string, Rule>([
  ...['status', 'log', 'diff', 'show', 'blame', 'ls-files', 'ls-tree', 'rev-parse', 'describe', 'shortlog'].map((s): [string, Rule] => [
    s,
    denyOptions(`git ${s}`, GIT_DENIED)
  ]),
  ['cat-file', denyOptions('git cat-file', { ...GIT_DENIED, filters: 'runs the configured filter programs' })],
  [
    'grep',
    denyOptions('git grep', {
      ...GIT_DENIED,
      O: 'opens the files in a program it names',
      'open-files-in-pager': 'opens the files in a program it names'
    })
  ],
  ['branch', gitBranch],
  ['tag', gitTag],
  ['remote', gitRemote],
  ['config', gitConfig]
])
