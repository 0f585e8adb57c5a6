import type { Executor } from '../../platform/context';

/** What a statement needs to know of the organisations it names, by slug. */
export async function organisationsBySlug(
  db: Executor,
  slugs: readonly string[],
): Promise<Map<string, { slug: string; category: string; active: boolean }>> {
  if (slugs.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisations')
    .select(['slug', 'category', 'status'])
    .where('slug', 'in', [...slugs])
    .execute();
  return new Map(rows.map((r) => [r.slug, { slug: r.slug, category: r.category, active: r.status === 'active' }]));
}
