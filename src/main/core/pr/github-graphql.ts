import type { ServiceFailure } from './pr-provider'

/** A GraphQL answer that carried `errors` (Octokit throws them without an HTTP status) as a ServiceFailure; null for anything else. */
export function graphqlFailure(e: unknown): ServiceFailure | null {
  const x = e as { name?: string; errors?: { type?: string; message?: string }[] }
  if (x?.name !== 'GraphqlResponseError') return null
  const first = x.errors?.[0]
  const status = first?.type === 'FORBIDDEN' ? 403 : first?.type === 'NOT_FOUND' ? 404 : 422
  return {
    kind: 'http',
    status,
    message: first?.message ?? 'GraphQL error',
    details: (x.errors ?? []).slice(1).map((m) => m.message ?? '')
  }
}
