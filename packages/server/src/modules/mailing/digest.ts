import { sql } from 'kysely';
import type { Context, Executor } from '../../platform/context';
import { upcomingEvents } from '../events/index';

const DAY = 86_400_000;
const MARKER = 'mail_digest';

export interface DigestItem {
  title: string;
  /** Portal path. */
  link: string;
  /** One short line under the title (organisation, date…). */
  detail?: string;
}

export interface DigestItems {
  datasets: DigestItem[];
  projects: DigestItem[];
  needs: DigestItem[];
  events: DigestItem[];
}

const paris = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Paris' });

/** What is new in the last 7 days (datasets, projects, needs) and what happens in the next 30 (events). */
export async function digestItems(db: Executor, now = new Date()): Promise<DigestItems> {
  const since = new Date(now.getTime() - 7 * DAY);
  const datasets = await db
    .selectFrom('datasets as d')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select(['d.slug', 'd.title_fr', 'o.short_name'])
    .where('d.status', '=', 'published')
    .where('d.issued', '>', since)
    .orderBy('d.issued', 'desc')
    .execute();
  // Projects and needs belong to other modules of this issue; read with plain SQL so the digest
  // depends on their tables only (`needs` may not exist on a node migrated before it).
  const projects = await sql<{ id: string; title: string; short_name: string }>`
    select p.id, p.title, o.short_name from projects p join organisations o on o.id = p.lead_organisation_id
    where p.created_at > ${since} order by p.created_at desc`.execute(db);
  const needsTable = await sql<{ present: boolean }>`select to_regclass('needs') is not null as present`.execute(db);
  const needs = needsTable.rows[0]?.present
    ? (
        await sql<{ id: string; title: string; short_name: string }>`
          select n.id, n.title, o.short_name from needs n join organisations o on o.id = n.organisation_id
          where n.created_at > ${since} order by n.created_at desc`.execute(db)
      ).rows
    : [];
  const events = await upcomingEvents(db, 30, now);
  return {
    datasets: datasets.map((d) => ({ title: d.title_fr, link: `/datasets/${d.slug}`, detail: d.short_name })),
    projects: projects.rows.map((p) => ({ title: p.title, link: `/projets/${p.id}`, detail: `porté par ${p.short_name}` })),
    needs: needs.map((n) => ({ title: n.title, link: `/besoins/${n.id}`, detail: n.short_name })),
    events: events.map((e) => ({
      title: e.title,
      link: `/evenements/${e.id}`,
      detail: `${paris.format(e.starts_at)} — ${e.place ?? 'en ligne'}`,
    })),
  };
}

const SECTIONS: [keyof DigestItems, string][] = [
  ['datasets', 'Nouveaux jeux de données'],
  ['projects', 'Nouveaux projets'],
  ['needs', 'Nouveaux besoins exprimés'],
  ['events', 'Événements à venir'],
];

export function isEmpty(items: DigestItems): boolean {
  return SECTIONS.every(([key]) => items[key].length === 0);
}

/** The digest as plain French text with absolute links. */
export function digestText(baseUrl: string, displayName: string, items: DigestItems): string {
  const lines = [`Bonjour ${displayName},`, '', 'Voici ce qui s’est passé cette semaine dans l’espace de données Confiance.'];
  for (const [key, heading] of SECTIONS) {
    if (items[key].length === 0) continue;
    lines.push('', `${heading} (${items[key].length})`, '-'.repeat(heading.length));
    for (const item of items[key]) {
      lines.push(`• ${item.title}${item.detail ? ` — ${item.detail}` : ''}`, `  ${baseUrl}${item.link}`);
    }
  }
  lines.push(
    '',
    '—',
    'Vous recevez ce résumé hebdomadaire car il est activé sur votre compte.',
    `Pour ne plus le recevoir : ${baseUrl}/profil#notifications`,
  );
  return lines.join('\n');
}

export interface DigestResult {
  recipients: number;
  items: Record<keyof DigestItems, number>;
}

const counts = (items: DigestItems) => ({
  datasets: items.datasets.length,
  projects: items.projects.length,
  needs: items.needs.length,
  events: items.events.length,
});

/** Queues one digest per opted-in active user, in `db` (the caller's transaction, if any). */
async function queueDigest(ctx: Context, db: Executor, now: Date): Promise<DigestResult> {
  const items = await digestItems(db, now);
  if (isEmpty(items)) return { recipients: 0, items: counts(items) };
  const users = await db
    .selectFrom('users as u')
    .select(['u.email', 'u.display_name'])
    .where('u.status', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notification_preferences as p')
            .select('p.user_id')
            .whereRef('p.user_id', '=', 'u.id')
            .where('p.topic', '=', 'digest')
            .where('p.email', '=', false),
        ),
      ),
    )
    .orderBy('u.email')
    .execute();
  const subject = `Confiance — le résumé de la semaine (${new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(now)})`;
  for (let i = 0; i < users.length; i += 500) {
    await db
      .insertInto('jobs')
      .values(
        users.slice(i, i + 500).map((u) => ({
          kind: 'mail.send',
          payload: JSON.stringify({ to: u.email, subject, text: digestText(ctx.config.baseUrl, u.display_name, items) }),
        })),
      )
      .execute();
  }
  return { recipients: users.length, items: counts(items) };
}

/** The operator's « send now »: not tied to the week, does not move the weekly marker. */
export async function sendDigestNow(ctx: Context, now = new Date()): Promise<DigestResult> {
  return ctx.db.transaction().execute((trx) => queueDigest(ctx, trx, now));
}

/** ISO 8601 week of a date, e.g. `2026-W48` (weeks start on Monday, week 1 holds 4 January). */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / DAY + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The weekly run: at most once per ISO week across every replica. The marker row is locked for
 * the transaction, so a second node waits, then sees the week already done; the mails are queued
 * in the same transaction as the marker, so a crash leaves neither. A node's very first run only
 * sets the marker: a fresh node does not mail everyone the moment it starts.
 */
export async function weeklyDigest(ctx: Context, now = new Date()): Promise<DigestResult | null> {
  const week = isoWeek(now);
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('node_state')
      .values({ key: MARKER, value: JSON.stringify({ week }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return null;
    const row = await trx.selectFrom('node_state').select('value').where('key', '=', MARKER).forUpdate().executeTakeFirstOrThrow();
    if ((row.value as { week?: string }).week === week) return null;
    const result = await queueDigest(ctx, trx, now);
    await trx
      .updateTable('node_state')
      .set({ value: JSON.stringify({ week, at: now.toISOString(), recipients: result.recipients }), updated_at: sql`now()` })
      .where('key', '=', MARKER)
      .execute();
    return result;
  });
}
