import { stat } from 'node:fs/promises'

/** A log's size, or -1 when it cannot be read. */
export const logSizeOnDisk = (path: string): Promise<number> =>
  stat(path).then(
    (s) => s.size,
    () => -1
  )

/** Whether a file exists (any error reads as no). */
export const fileExists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false
  )
