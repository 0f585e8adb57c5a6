import { z } from 'zod';

/**
 * Governance (issue 10): the association's commissions (members, agenda, documents) and their
 * votes with quorum and majority rules. The operator can require a vote before some actions
 * (gates): the action then waits, carried by the vote, and runs when the vote is adopted.
 *
 * Ballots: how each member voted is visible to the commission's members and the operator (the
 * commission answers to itself); other signed-in users see the counts only; the ledger records
 * counts and the outcome, never who voted what.
 */

export const COMMISSION_KINDS = ['ethics_charter', 'economic_model', 'network', 'projects', 'custom'] as const;
export type CommissionKind = (typeof COMMISSION_KINDS)[number];

export const COMMISSION_ROLES = ['chair', 'member'] as const;
export type CommissionRole = (typeof COMMISSION_ROLES)[number];

export const VOTE_CHOICES = ['pour', 'contre', 'abstention'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/** simple: more pour than contre; two_thirds: pour ≥ ⅔ of expressed votes; unanimity: no contre. */
export const MAJORITY_RULES = ['simple', 'two_thirds', 'unanimity'] as const;
export type MajorityRule = (typeof MAJORITY_RULES)[number];

export const VOTE_OUTCOMES = ['adopted', 'rejected', 'no_quorum'] as const;
export type VoteOutcome = (typeof VOTE_OUTCOMES)[number];

/** Actions the operator can put behind a vote. */
export const GATED_ACTIONS = ['charter_version', 'fee_change', 'ethics_review'] as const;
export type GatedAction = (typeof GATED_ACTIONS)[number];

export interface Tally {
  pour: number;
  contre: number;
  abstention: number;
  /** Members who voted, abstentions included. */
  voters: number;
  /** Members of the commission: the quorum's base. */
  eligible: number;
  quorumMet: boolean;
}

/**
 * The rules, as a pure function (the server decides with it; the portal shows progress with it).
 * Quorum: voters (abstentions count as present) ≥ quorumPercent % of eligible members, in integers.
 * Majority is judged on expressed votes (pour and contre); abstentions only count for the quorum.
 */
export function tally(counts: { pour: number; contre: number; abstention: number }, eligible: number, quorumPercent: number): Tally {
  const voters = counts.pour + counts.contre + counts.abstention;
  const quorumMet = eligible > 0 && voters * 100 >= quorumPercent * eligible;
  return { ...counts, voters, eligible, quorumMet };
}

export function outcomeOf(t: Tally, majority: MajorityRule): VoteOutcome {
  if (!t.quorumMet) return 'no_quorum';
  const expressed = t.pour + t.contre;
  switch (majority) {
    case 'simple':
      return t.pour > t.contre ? 'adopted' : 'rejected';
    case 'two_thirds':
      return t.pour > 0 && t.pour * 3 >= expressed * 2 ? 'adopted' : 'rejected';
    case 'unanimity':
      return t.pour > 0 && t.contre === 0 ? 'adopted' : 'rejected';
  }
}

// ---------------------------------------------------------------------------------------------
// Commissions

const slug = z.string().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);

export const commissionSummarySchema = z.object({
  slug,
  kind: z.enum(COMMISSION_KINDS),
  name: z.string(),
  description: z.string(),
  membersCount: z.number().int(),
  openVotes: z.number().int(),
  /** The caller's role in it, if any. */
  myRole: z.enum(COMMISSION_ROLES).nullable(),
});
export type CommissionSummary = z.infer<typeof commissionSummarySchema>;
export const commissionList = z.object({ items: z.array(commissionSummarySchema) });

export const commissionMemberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  organisation: z.object({ slug: z.string(), name: z.string() }).nullable(),
  role: z.enum(COMMISSION_ROLES),
  since: z.string(),
});
export type CommissionMemberView = z.infer<typeof commissionMemberSchema>;

export const agendaItemSchema = z.object({ id: z.string(), date: z.string(), title: z.string(), notes: z.string() });
export type AgendaItemView = z.infer<typeof agendaItemSchema>;

export const commissionDocumentSchema = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string().nullable(),
  url: z.string().nullable(),
  /** SHA-256 of the text (UTF-8), so a reader can check the copy they hold. */
  sha256: z.string().nullable(),
  addedAt: z.string(),
});
export type CommissionDocumentView = z.infer<typeof commissionDocumentSchema>;

export const voteSummarySchema = z.object({
  id: z.string(),
  commission: z.object({ slug, name: z.string() }),
  question: z.string(),
  status: z.enum(['open', 'closed']),
  outcome: z.enum(VOTE_OUTCOMES).nullable(),
  closesAt: z.string(),
  gate: z.enum(GATED_ACTIONS).nullable(),
});
export type VoteSummary = z.infer<typeof voteSummarySchema>;

export const commissionSchema = commissionSummarySchema.extend({
  members: z.array(commissionMemberSchema),
  agenda: z.array(agendaItemSchema),
  documents: z.array(commissionDocumentSchema),
  votes: z.array(voteSummarySchema),
  abilities: z.object({ manage: z.boolean(), chair: z.boolean(), openVote: z.boolean() }),
});
export type CommissionView = z.infer<typeof commissionSchema>;

export const commissionUpdate = z.object({ name: text(200).optional(), description: z.string().trim().max(4000).optional() }).strict();
export const commissionMemberInput = z.object({ email: z.email().max(320), role: z.enum(COMMISSION_ROLES).default('member') }).strict();
export const agendaItemInput = z
  .object({
    date: z.iso.date(),
    title: text(300),
    notes: z.string().trim().max(8000).default(''),
  })
  .strict();
export const commissionDocumentInput = z
  .object({
    title: text(300),
    text: z.string().trim().min(1).max(200_000).optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .strict()
  .refine((d) => (d.text === undefined) !== (d.url === undefined), {
    message: 'Donnez soit un texte, soit un lien.',
    path: ['text'],
  });
export type CommissionDocumentInput = z.input<typeof commissionDocumentInput>;

// ---------------------------------------------------------------------------------------------
// Votes

export const voteInput = z
  .object({
    commission: slug,
    question: text(300),
    description: z.string().trim().max(8000).default(''),
    /** Share of members who must vote, in percent. */
    quorumPercent: z.number().int().min(0).max(100).default(50),
    majority: z.enum(MAJORITY_RULES).default('simple'),
    opensAt: z.iso.datetime({ offset: true }).optional(),
    closesAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type VoteInput = z.input<typeof voteInput>;

export const ballotInput = z.object({ choice: z.enum(VOTE_CHOICES) }).strict();
export const voteListQuery = z
  .object({
    commission: slug.optional(),
    status: z.enum(['open', 'closed']).optional(),
    gate: z.enum(GATED_ACTIONS).optional(),
  })
  .strict();

export const voteSchema = voteSummarySchema.extend({
  description: z.string(),
  quorumPercent: z.number().int(),
  majority: z.enum(MAJORITY_RULES),
  opensAt: z.string(),
  closedAt: z.string().nullable(),
  tally: z.object({
    pour: z.number().int(),
    contre: z.number().int(),
    abstention: z.number().int(),
    voters: z.number().int(),
    eligible: z.number().int(),
    quorumMet: z.boolean(),
  }),
  /** The action waiting for this vote, described in French, and what became of it. */
  action: z
    .object({
      kind: z.enum(GATED_ACTIONS),
      summary: z.array(z.string()),
      status: z.enum(['pending', 'executed', 'rejected', 'failed']),
      error: z.string().nullable(),
      payload: z.unknown(),
    })
    .nullable(),
  myChoice: z.enum(VOTE_CHOICES).nullable(),
  /** Who voted what: for the commission's members and the operator only (null for others). */
  ballots: z.array(z.object({ name: z.string(), choice: z.enum(VOTE_CHOICES) })).nullable(),
  /** Ledger index of the `vote.decided` entry, once recorded. */
  ledgerIndex: z.number().int().nullable(),
  abilities: z.object({ cast: z.boolean(), close: z.boolean() }),
});
export type VoteView = z.infer<typeof voteSchema>;
export const voteList = z.object({ items: z.array(voteSummarySchema) });

// ---------------------------------------------------------------------------------------------
// Gates

export const gateSchema = z.object({
  action: z.enum(GATED_ACTIONS),
  enabled: z.boolean(),
  commission: z.object({ slug, name: z.string() }),
  quorumPercent: z.number().int(),
  majority: z.enum(MAJORITY_RULES),
  /** How long a gated vote stays open, in days. */
  durationDays: z.number().int(),
});
export type GateView = z.infer<typeof gateSchema>;
export const gateList = z.object({ items: z.array(gateSchema) });
export const gatesUpdate = z
  .object({
    items: z
      .array(
        z
          .object({
            action: z.enum(GATED_ACTIONS),
            enabled: z.boolean(),
            commission: slug.optional(),
            quorumPercent: z.number().int().min(0).max(100).optional(),
            majority: z.enum(MAJORITY_RULES).optional(),
            durationDays: z.number().int().min(1).max(365).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(GATED_ACTIONS.length),
  })
  .strict();
export type GatesUpdate = z.input<typeof gatesUpdate>;

/** A gated action's answer (202) is the vote opened on it rather than the action's result. */
export function isVote(value: object): value is VoteView {
  return 'question' in value && 'tally' in value;
}
