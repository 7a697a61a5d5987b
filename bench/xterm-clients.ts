import type { BenchCore } from './core-process'

/** Placeholder until the browser client is wired: measured by the Node path instead. */
export async function browserTerminals(_core: BenchCore, _repoId: string, _file: string, _n: number): Promise<number> {
  throw new Error('BENCH_BROWSER=1 is not available yet')
}
