// A core's transcript in a child process, saving items as fast as it can and serving windows between saves (so the
// offset index sidecar is written too), for a test to kill -9 at any moment. Run with `node --import tsx`.
import { methods } from '../../src/shared/methods'
import { openRig, rigItem } from './transcript-rig'

const [home, threadId] = process.argv.slice(2) as [string, string]
async function main(): Promise<void> {
  const rig = await openRig(home, threadId)
  for (let n = 0; ; n++) {
    await rig.transcript.save(rigItem(threadId, n, n % 3 === 0 ? { output: `${n}:${'y'.repeat(20_000)}` } : {}))
    if (n % 4 === 0) await rig.transcript.save(rigItem(threadId, Math.floor(n / 2), { text: `re-saved at ${n}` }))
    if (n % 5 === 0) await rig.transcript.window(methods['item/list'].params.parse({ threadId, limit: 5 }))
    process.stdout.write(`saved ${n}\n`)
  }
}

void main()
