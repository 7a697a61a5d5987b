/** A git- and filesystem-safe slug from free text: lowercase ascii, digits and dashes. */
export function slugify(text: string, fallback = 'thread', maxLength = 48): string {
  const base = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (!base) return fallback
  if (base.length <= maxLength) return base
  const cut = base.slice(0, maxLength)
  const dash = cut.lastIndexOf('-')
  return (dash > maxLength / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '')
}

/** The first of slug, slug-2, slug-3… that `taken` does not hold. */
export function nextFreeSlug(slug: string, taken: (candidate: string) => boolean): string {
  if (!taken(slug)) return slug
  for (let n = 2; ; n++) {
    const candidate = `${slug}-${n}`
    if (!taken(candidate)) return candidate
  }
}

/** A time-ordered, collision-resistant thread id. */
export function newThreadId(): string {
  const rand = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => (b % 36).toString(36)).join('')
  return `t${Date.now().toString(36)}${rand}`
}
