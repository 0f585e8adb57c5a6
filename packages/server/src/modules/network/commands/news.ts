import { newsInput, newsUpdate, type NewsInput } from '@confiance/contract';
import type { z } from 'zod';
import type { Context } from '../../../platform/context';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { findNews, type NewsRow } from '../repository';
import type { Actor } from './needs';

/** A short post of the association (organisation null, the operator's) or of a member. */
export async function publishNews(ctx: Context, actor: Actor, organisationId: string | null, raw: NewsInput): Promise<NewsRow> {
  const parsed = newsInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Actualité invalide');
  const input = parsed.data;
  const id = crypto.randomUUID();
  await ctx.db
    .insertInto('news_posts')
    .values({
      id,
      organisation_id: organisationId,
      author_id: actor.userId,
      title: input.title,
      body: input.body,
      ...(input.publishedAt ? { published_at: new Date(input.publishedAt) } : {}),
    })
    .execute();
  return (await findNews(ctx.db, id))!;
}

export async function updateNews(ctx: Context, post: NewsRow, raw: z.input<typeof newsUpdate>): Promise<NewsRow> {
  const parsed = newsUpdate.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Actualité invalide');
  const input = parsed.data;
  await ctx.db
    .updateTable('news_posts')
    .set({
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.publishedAt !== undefined ? { published_at: new Date(input.publishedAt) } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', post.id)
    .execute();
  const row = await findNews(ctx.db, post.id);
  if (!row) throw new AppError('not_found', 'Actualité introuvable.');
  return row;
}

export async function deleteNews(ctx: Context, post: NewsRow): Promise<void> {
  await ctx.db.deleteFrom('news_posts').where('id', '=', post.id).execute();
}
