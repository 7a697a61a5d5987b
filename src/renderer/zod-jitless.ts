// Imported first: zod probes `new Function` for its JIT unless told not to, and the strict CSP
// (no unsafe-eval) reports every such probe as a violation.
import { z } from 'zod'

z.config({ jitless: true })
