import fs from 'node:fs/promises';
import path from 'node:path';
import { SERVER_ROOT } from '../../platform/paths';
import { sql } from 'kysely';
import type { OrganisationCategory } from '@confiance/contract';
import type { Context } from '../../platform/context';
import { createOperator, findUserByEmail } from '../identity/index';
import { acceptInvitation, admitOrganisation, findOrganisation, inviteMember } from '../members/index';
import type { CatalogDeps } from '../catalog/index';
import { seedDemoDatasets } from './catalog-seed';
import { seedDemoPolicies } from './policies-seed';
import { seedDemoRequests } from './requests-seed';
import { seedDemoGovernance } from './governance-seed';
import { seedDemoProjects } from './projects-seed';
import { seedDemoNetwork } from './network-seed';
import { seedDemoEvents } from './events-seed';
import { currentSettings, updateSettings } from '../billing/index';
import type { ContractsDeps } from '../contracts/commands/contracts';
import type { AccessDeps } from '../access/index';
import { parseCsv } from './csv';
import { DEMO_PASSWORD, DOMAINS_BY_ORG, ETHICS_MEMBER, OPERATOR, peopleOf } from './people';

const SEED_KEY = 'demo_seed';
// 2: the catalog's demo datasets.
const SEED_VERSION = 12;
const ORGANISATIONS_CSV = path.join(SERVER_ROOT, 'demo/organisations-occitanie.csv');

const CATEGORY: Record<string, OrganisationCategory> = {
  'public body': 'public_body',
  company: 'company',
  'research institute': 'research',
  association: 'association',
};

export async function isDemoSeeded(ctx: Pick<Context, 'db'>): Promise<boolean> {
  const row = await ctx.db.selectFrom('node_state').select('value').where('key', '=', SEED_KEY).executeTakeFirst();
  return (row?.value as { version?: number } | undefined)?.version === SEED_VERSION;
}

/**
 * Seeds the demo consortium through the same commands people use (admit, invite, accept), so later
 * modules see it as real activity. Idempotent: an interrupted seed resumes where it stopped.
 */
export async function seedDemo(
  ctx: Context,
  catalog: CatalogDeps,
  /** With the contracts module: a contract in force and requests waiting in the inboxes. */
  contracts?: ContractsDeps,
  /** With the access module: queries run under Littoral 21's contracts (its data flows). */
  access?: AccessDeps,
): Promise<{ organisations: number; people: number; datasets: number }> {
  if (await isDemoSeeded(ctx)) return { organisations: 0, people: 0, datasets: 0 };
  const records = parseCsv(await fs.readFile(ORGANISATIONS_CSV, 'utf8'));

  const operator = (await findUserByEmail(ctx.db, OPERATOR.email)) ?? (await createOperator(ctx, { ...OPERATOR, password: DEMO_PASSWORD }));

  let people = 0;
  // Organisations are independent: seeding them concurrently overlaps password hashing (CPU, off
  // the main thread) with database work.
  await Promise.all(
    records.map(async (r, index) => {
      const slug = r.key!;
      const org =
        (await findOrganisation(ctx.db, slug)) ??
        (await admitOrganisation(ctx, {
          slug,
          legalName: r.legal_name!,
          shortName: r.short_name || r.legal_name!,
          category: CATEGORY[r.category!] ?? 'association',
          siren: r.siren || null,
          siret: r.siret_head_office || null,
          vatNumber: r.vat_number || null,
          address: r.address || null,
          postcode: r.postcode || null,
          city: r.city || null,
          website: r.website || null,
          domains: (DOMAINS_BY_ORG[slug] ?? []) as never,
        }));
      const team = peopleOf(slug, index);
      if (slug === 'ekitia') team.unshift({ ...OPERATOR, role: 'org_admin' }, { ...ETHICS_MEMBER, role: 'analyst' });
      for (const person of team) {
        const existing = await findUserByEmail(ctx.db, person.email);
        if (
          existing &&
          (await ctx.db
            .selectFrom('memberships')
            .select('user_id')
            .where('user_id', '=', existing.id)
            .where('organisation_id', '=', org.id)
            .executeTakeFirst())
        )
          continue;
        const { secret } = await inviteMember(ctx, {
          organisationId: org.id,
          email: person.email,
          role: person.role,
          invitedBy: operator.id,
        });
        await acceptInvitation(ctx, secret, { displayName: person.displayName, password: DEMO_PASSWORD });
        people++;
      }
    }),
  );

  await ctx.db
    .updateTable('users')
    .set({ platform_roles: sql<string[]>`array['ethics_member']` })
    .where('email', '=', ETHICS_MEMBER.email)
    .execute();
  const datasets = await seedDemoDatasets(ctx, catalog);
  await seedDemoPolicies(
    ctx,
    operator.id,
    records.map((r) => r.key!),
  );
  if (contracts) await seedDemoRequests(ctx, contracts);
  // The economic model the operator sets: the association keeps 5 % of what providers invoice
  // (3 % for research bodies), invoices go out at 30 days under the providers' billing mandate.
  if ((await currentSettings(ctx.db)).version === 0)
    await updateSettings(
      ctx,
      { userId: operator.id },
      {
        fee: { percent: '5', byCategory: { research: { percent: '3' } } },
        paymentTermsDays: 30,
        mandateReference: 'Mandat de facturation Ekitia 2026',
      },
    );
  // The association's life: its five commissions (the charter now adopted by vote), Littoral 21
  // with its partners and data flows, members' needs and news, the coming events.
  await seedDemoGovernance(ctx, operator.id);
  if (contracts) await seedDemoProjects(ctx, contracts, access);
  await seedDemoNetwork(ctx);
  await seedDemoEvents(ctx);
  // The seed's invitation and notification mails went to fictional `.demo` mailboxes: nobody
  // will read them.
  await ctx.db
    .deleteFrom('jobs')
    .where('kind', '=', 'mail.send')
    .where(sql<boolean>`payload->>'to' like '%.demo'`)
    .execute();
  await ctx.db
    .insertInto('node_state')
    .values({ key: SEED_KEY, value: JSON.stringify({ version: SEED_VERSION, at: new Date().toISOString() }) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value'), updated_at: sql`now()` }))
    .execute();
  return { organisations: records.length, people, datasets };
}
