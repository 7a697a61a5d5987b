import type { EnvironmentInput, ImportFormat } from '../../../../shared/environment'

/** What one importer read from another tool's file. */
export interface ImportedEnvironment {
  format: ImportFormat
  environment: EnvironmentInput
  /** What was left out or changed, and why. */
  notes: string[]
}

/** A parse failure of the file itself (it is not valid JSON, or not an object). */
export interface ImportFailure {
  format: ImportFormat
  message: string
}

/** A plain object, or null. */
export const asObject = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null

/** A non-empty trimmed string, or null. */
export const asCommand = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null)
