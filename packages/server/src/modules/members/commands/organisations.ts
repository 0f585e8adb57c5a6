import { sql } from 'kysely';
import type { organisationUpdate } from '@confiance/contract';
import { organisationInput } from '@confiance/contract';
import type { z } from 'zod';
import type { Context } from '../../../platform/context';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { endAllAccessOf } from '../../identity/index';
import { findOrganisation, insertOrganisation, memberUserIds, updateOrganisationRow, type OrganisationRow } from '../repository';
import { recordFact } from '../../ledger/index';

type Input = z.output<typeof organisationInput>;

/** Input field → column: the one place that knows both names (insert, update and re-validation). */
const COLUMNS = {
  legalName: 'legal_name',
  shortName: 'short_name',
  category: 'category',
  siren: 'siren',
  siret: 'siret',
  vatNumber: 'vat_number',
  nafCode: 'naf_code',
  address: 'address',
  postcode: 'postcode',
  city: 'city',
  website: 'website',
  logoUrl: 'logo_url',
  domains: 'domains',
  chorusServiceCode: 'chorus_service_code',
  description: 'description',
} as const;

function columns(input: Partial<Input>) {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(COLUMNS)) {
    const value = input[key as keyof Input];
    if (value !== undefined) out[column] = value;
  }
  return out;
}

/** The operator admits a member organisation (the association's board decision, recorded). */
export async function admitOrganisation(ctx: Pick<Context, 'db'>, raw: z.input<typeof organisationInput>): Promise<OrganisationRow> {
  const input = organisationInput.parse(raw);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const id = await insertOrganisation(trx, { slug: input.slug, ...columns(input) } as Parameters<typeof insertOrganisation>[1]);
    await recordFact(trx, { type: 'member.admitted', public: { organisation: input.slug, category: input.category }, parties: [id] });
    return id;
  });
  return (await findOrganisation(ctx.db, id))!;
}

export async function updateOrganisation(
  ctx: Pick<Context, 'db'>,
  id: string,
  patch: z.output<typeof organisationUpdate>,
): Promise<OrganisationRow> {
  const current = await findOrganisation(ctx.db, id);
  if (!current) throw new AppError('not_found', 'Organisation introuvable.');
  // Re-validate the merged record, so cross-field rules (SIRET starts with SIREN, VAT key) still hold.
  const stored = Object.fromEntries(Object.entries(COLUMNS).map(([key, column]) => [key, current[column]]));
  const merged = organisationInput.safeParse({ slug: current.slug, ...stored, ...patch });
  if (!merged.success) throw validationFailed(merged.error, 'Modification refusée', 'body');
  await updateOrganisationRow(ctx.db, id, columns(patch));
  return (await findOrganisation(ctx.db, id))!;
}

/** Deactivating a member ends every session and token of its people at once. */
export async function deactivateOrganisation(ctx: Pick<Context, 'db'>, id: string): Promise<OrganisationRow> {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('organisations').select(['slug', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
    await updateOrganisationRow(trx, id, {
      status: 'deactivated',
      deactivated_at: sql`coalesce(deactivated_at, now())` as unknown as Date,
    });
    await endAllAccessOf(trx, await memberUserIds(trx, id));
    // Once: deactivating again changes nothing and records nothing.
    if (before?.status === 'active')
      await recordFact(trx, { type: 'member.removed', public: { organisation: before.slug }, parties: [id] });
  });
  return (await findOrganisation(ctx.db, id))!;
}
