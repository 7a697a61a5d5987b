import { appError, ErrorCode, type AppError } from '../../../shared/errors'

/** Turns a filesystem failure into a message a person can act on. */
export function storageError(cause: unknown, path: string, action: string): AppError {
  const code = (cause as NodeJS.ErrnoException)?.code
  const why =
    code === 'ENOSPC'
      ? 'the disk is full. Free some space and try again'
      : code === 'EACCES' || code === 'EPERM'
        ? `permission was denied. Check that you can write to ${path}`
        : code === 'EROFS'
          ? 'the file system is read-only'
          : code === 'EDQUOT'
            ? 'your disk quota is used up'
            : `${(cause as Error)?.message ?? String(cause)}`
  return appError(ErrorCode.StorageFailed, `Could not ${action} (${path}): ${why}.`, { errno: code ?? null })
}
