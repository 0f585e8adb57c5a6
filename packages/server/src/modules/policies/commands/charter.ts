import { canonicalJson, charterPublishInput, type CharterPublishInput } from '@confiance/contract';
import type { Context, Executor } from '../../../platform/context';
import { sha256Hex } from '../../../platform/crypto';
import { AppError, validationFailed } from '../../../platform/http/errors';
import { recordFact } from '../../ledger/index';
import { currentCharter, findCharterVersion, hasSigned, type CharterVersionRow } from '../repository';

export interface Actor {
  userId: string;
  /** The commission's vote that adopted the action, when the operator put it behind one. */
  vote?: string;
}

const versionNumbers = (v: string) => v.split('.').map(Number) as [number, number];
function isLater(a: string, b: string): boolean {
  const [a1, a2] = versionNumbers(a);
  const [b1, b2] = versionNumbers(b);
  return a1 > b1 || (a1 === b1 && a2 > b2);
}

/**
 * A new charter version comes into force at once: organisations that signed an earlier one must
 * sign again before they offer or obtain non-open data (their cached credentials are dropped by
 * the table's trigger). Its SHA-256 goes to the ledger, so anyone can check the text they read.
 */
export async function publishCharter(ctx: Context, actor: Actor, raw: CharterPublishInput): Promise<CharterVersionRow> {
  const input = checkCharterInput(raw);
  await ctx.db.transaction().execute((trx) => publishCharterIn(trx, actor, input));
  return (await findCharterVersion(ctx.db, input.version))!;
}

export function checkCharterInput(raw: unknown): CharterPublishInput {
  const parsed = charterPublishInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Version de charte invalide');
  return parsed.data;
}

/** Refuses a version that would not follow the one in force. */
export async function checkCharterOrder(db: Executor, version: string): Promise<void> {
  const current = await currentCharter(db);
  if (current && !isLater(version, current.version)) {
    throw new AppError('conflict', `La version ${version} doit suivre la version en vigueur (${current.version}).`, {
      issues: [{ path: 'version', message: `après ${current.version}` }],
    });
  }
}

/** The publication itself, in the caller's transaction (a vote's closing one, when gated). */
export async function publishCharterIn(trx: Executor, actor: Actor, raw: CharterPublishInput): Promise<void> {
  const input = checkCharterInput(raw);
  const sha256 = sha256Hex(canonicalJson({ version: input.version, title: input.title, body: input.body, rules: input.rules }));
  await checkCharterOrder(trx, input.version);
  const current = await currentCharter(trx);
  await trx
    .insertInto('charter_versions')
    .values({
      version: input.version,
      position: (current?.position ?? 0) + 1,
      title_fr: input.title.fr,
      title_en: input.title.en,
      body_fr: input.body.fr,
      body_en: input.body.en,
      rules: JSON.stringify(input.rules),
      sha256,
      published_by: actor.userId,
    })
    .execute();
  await recordFact(trx, {
    type: 'charter.published',
    public: { version: input.version, sha256, ...(actor.vote ? { vote: actor.vote } : {}) },
    details: { by: actor.userId },
    parties: [],
  });
}

/**
 * An org admin signs the version they read for their organisation. Signing a version that is no
 * longer in force is refused, so nobody commits to a text other than the one that applies.
 */
export async function signCharter(
  ctx: Context,
  actor: Actor,
  organisation: { id: string; slug: string },
  version: string,
): Promise<{ created: boolean }> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await currentCharter(trx);
    if (!current) throw new AppError('not_found', 'Aucune charte n’est encore publiée.');
    if (current.version !== version) {
      throw new AppError(
        'charter_outdated',
        `La version ${version} n’est plus en vigueur : relisez la version ${current.version} avant de la signer.`,
        { currentVersion: current.version },
      );
    }
    if (await hasSigned(trx, organisation.id, version)) return { created: false };
    await trx.insertInto('charter_signatures').values({ organisation_id: organisation.id, version, signed_by: actor.userId }).execute();
    await recordFact(trx, {
      type: 'charter.signed',
      public: { organisation: organisation.slug, version },
      details: { by: actor.userId },
      parties: [organisation.id],
    });
    return { created: true };
  });
}
