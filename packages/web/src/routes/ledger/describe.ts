import { LEDGER_PUBLIC, type LedgerEntryType, type LedgerEntryView, type LedgerPublic } from '@confiance/contract';
import type { I18n } from '../../i18n';

type PublicFact = { [T in LedgerEntryType]: { type: T; public: LedgerPublic<T> } }[LedgerEntryType];

/** The entry's public part as its type defines it, or null if the node sent something else. */
function publicFact(entry: Pick<LedgerEntryView, 'type' | 'public'>): PublicFact | null {
  const parsed = LEDGER_PUBLIC[entry.type].safeParse(entry.public);
  return parsed.success ? ({ type: entry.type, public: parsed.data } as PublicFact) : null;
}

export function entryTypeLabel(i18n: Pick<I18n, 't'>, type: LedgerEntryType): string {
  return i18n.t(`ledger.type.${type}`);
}

/** A digest is for machines: the first characters are enough to tell two apart on screen. */
export function shortHash(value: string, length = 12): string {
  return value.length > length ? `${value.slice(0, length)}…` : value;
}

/** "2026-11" → "nov. 2026" (French) / "Nov 2026" (English). */
export function formatMonth(locale: string, month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** The fee's decimal text as the log records it ("5.5") → « 5,5 % » / "5.5%". */
function formatPercent(locale: string, text: string): string {
  return locale === 'fr' ? `${text.replace('.', ',')}\u00a0%` : `${text}%`;
}

function formatAmount(locale: string, cents: number): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/**
 * The public part of an entry in a sentence, after its type's label: « Jeu publié : qualite-air
 * par atmo-occitanie, niveau Membres… ». Organisations and datasets appear by their identifier,
 * as the log records them (names change, identifiers do not).
 */
export function describeEntry(i18n: Pick<I18n, 't' | 'locale'>, entry: Pick<LedgerEntryView, 'type' | 'public'>): string {
  const { t, locale } = i18n;
  const fact = publicFact(entry);
  const label = entryTypeLabel(i18n, entry.type);
  if (!fact) return t('ledger.sentence', { label, body: t('ledger.unreadable', { json: JSON.stringify(entry.public) }) });
  const units = (n: number, unit: 'rows' | 'bytes' | 'queries') => t(`ledger.units.${unit}`, { count: n });
  const body = ((): string => {
    switch (fact.type) {
      case 'member.admitted':
        return t('ledger.say.member.admitted', {
          organisation: fact.public.organisation,
          category: t(`categories.${fact.public.category}`),
        });
      case 'member.removed':
        return t('ledger.say.member.removed', { organisation: fact.public.organisation });
      case 'member.excluded':
        return fact.public.decision
          ? t('ledger.say.member.excludedBy', { organisation: fact.public.organisation, decision: fact.public.decision })
          : t('ledger.say.member.excluded', { organisation: fact.public.organisation });
      case 'user.deactivated':
        return fact.public.organisation
          ? t('ledger.say.user.deactivated', { organisation: fact.public.organisation })
          : t('ledger.say.user.deactivatedNoOrganisation');
      case 'charter.published':
        return t('ledger.say.charter.published', { version: fact.public.version, sha256: shortHash(fact.public.sha256) });
      case 'charter.signed':
        return t('ledger.say.charter.signed', { version: fact.public.version, organisation: fact.public.organisation });
      case 'dataset.published':
        return t('ledger.say.dataset.published', {
          dataset: fact.public.dataset,
          publisher: fact.public.publisher,
          access: t(`access.${fact.public.accessLevel}`),
          licence: fact.public.licence,
          version: String(fact.public.version),
          sha256: shortHash(fact.public.sha256),
        });
      case 'dataset.versioned':
        return t('ledger.say.dataset.versioned', {
          dataset: fact.public.dataset,
          publisher: fact.public.publisher,
          version: String(fact.public.version),
          changes: t('ledger.schemaChanges', { count: fact.public.schemaChanges }),
          sha256: shortHash(fact.public.sha256),
        });
      case 'dataset.deprecated':
      case 'dataset.withdrawn':
        return t('ledger.say.dataset.lifecycle', { dataset: fact.public.dataset, publisher: fact.public.publisher });
      case 'offer.changed': {
        // « offre créée (version 1, accord automatique) sur … » — the digest lets anyone re-check the terms.
        const vars = {
          change: t(`ledger.offerChange.${fact.public.change}`),
          version: String(fact.public.version),
          agreement: t(`ledger.agreement.${fact.public.agreement}`),
          dataset: fact.public.dataset,
          provider: fact.public.provider,
          sha256: shortHash(fact.public.policySha256),
        };
        return fact.public.plan
          ? t('ledger.say.offer.changedPlan', { ...vars, plan: fact.public.plan })
          : t('ledger.say.offer.changed', vars);
      }
      case 'request.decided':
        return t('ledger.say.request.decided', {
          request: fact.public.request,
          consumer: fact.public.consumer,
          dataset: fact.public.dataset,
          provider: fact.public.provider,
          decision: t(`ledger.decision.${fact.public.decision}`),
          purpose: fact.public.purpose,
        });
      case 'request.created':
        return t('ledger.say.request.created', {
          request: fact.public.request,
          consumer: fact.public.consumer,
          dataset: fact.public.dataset,
          provider: fact.public.provider,
          purpose: fact.public.purpose,
        });
      case 'request.withdrawn':
        return t('ledger.say.request.withdrawn', {
          request: fact.public.request,
          consumer: fact.public.consumer,
          dataset: fact.public.dataset,
        });
      case 'contract.accepted':
        return t('ledger.say.contract.accepted', {
          contract: fact.public.contract,
          version: fact.public.version,
          party: fact.public.party,
          role: t(`ledger.role.${fact.public.role}`),
        });
      case 'contract.amendment':
        return t(`ledger.say.contract.amendment.${fact.public.state}`, { contract: fact.public.contract, by: fact.public.by });
      case 'ethics.decided':
        return t('ledger.say.ethics.decided', {
          request: fact.public.request,
          dataset: fact.public.dataset,
          decision: t(`ledger.ethics.${fact.public.decision}`),
        });
      case 'contract.signed':
      case 'contract.amended':
      case 'contract.suspended':
      case 'contract.resumed':
      case 'contract.terminated':
      case 'contract.expired':
        return t('ledger.say.contract', {
          contract: fact.public.contract,
          consumer: fact.public.consumer,
          partyType: t(`categories.${fact.public.partyType}`),
          dataset: fact.public.dataset,
          provider: fact.public.provider,
          purpose: fact.public.purpose,
        });
      case 'query.started':
        return t('ledger.say.query.started', {
          query: fact.public.query,
          consumer: fact.public.consumer,
          dataset: fact.public.dataset,
          provider: fact.public.provider,
          contract: fact.public.contract,
          purpose: fact.public.purpose,
        });
      case 'query.refused':
        return t('ledger.say.query.refused', {
          query: fact.public.query,
          consumer: fact.public.consumer,
          dataset: fact.public.dataset,
          provider: fact.public.provider,
          contract: fact.public.contract,
        });
      case 'query.completed':
        return t('ledger.say.query.completed', {
          query: fact.public.query,
          consumer: fact.public.consumer,
          dataset: fact.public.dataset,
          provider: fact.public.provider,
          units: units(fact.public.units, fact.public.unit),
          contract: fact.public.contract,
        });
      case 'download':
        return t('ledger.say.download', {
          dataset: fact.public.dataset,
          provider: fact.public.provider,
          consumer: fact.public.consumer,
          units: units(fact.public.units, fact.public.unit),
          contract: fact.public.contract,
        });
      case 'statement.issued':
        return t('ledger.say.statement.issued', {
          period: formatMonth(locale, fact.public.period),
          organisation: fact.public.organisation,
          amount: formatAmount(locale, fact.public.amountCents),
        });
      case 'invoice.issued': {
        // Seller, buyer, amount and the XML's digest: anyone holding the invoice can compare it.
        const vars = {
          invoice: fact.public.invoice,
          purpose: t(`ledger.invoicePurpose.${fact.public.purpose}`),
          period: formatMonth(locale, fact.public.period),
          organisation: fact.public.organisation,
          buyer: fact.public.buyer,
          amount: formatAmount(locale, fact.public.amountCents),
          sha256: shortHash(fact.public.xmlSha256),
        };
        if (fact.public.kind === 'credit_note') return t('ledger.say.invoice.credit', { ...vars, corrects: fact.public.corrects ?? '—' });
        return fact.public.underMandate ? t('ledger.say.invoice.issuedMandate', vars) : t('ledger.say.invoice.issued', vars);
      }
      case 'billing.settings':
        return t('ledger.say.billing.settings', {
          version: fact.public.version,
          fee: formatPercent(locale, fact.public.feePercent),
          sha256: shortHash(fact.public.sha256),
        });
      case 'project.revenue': {
        const vars = { revenue: fact.public.revenue, project: fact.public.project, amount: formatAmount(locale, fact.public.amountCents) };
        return fact.public.method === 'measured'
          ? t('ledger.say.project.revenueMeasured', {
              ...vars,
              measure: fact.public.measure ? t(`ledger.measure.${fact.public.measure}`) : t('ledger.measure.unspecified'),
            })
          : t('ledger.say.project.revenueKey', vars);
      }
      case 'vote.decided': {
        const outcome = t(`ledger.outcome.${fact.public.outcome}`);
        const p = fact.public;
        // Decisions recorded by commissions carry their counts; older entries only the outcome.
        if (
          p.commission !== undefined &&
          p.pour !== undefined &&
          p.contre !== undefined &&
          p.abstention !== undefined &&
          p.eligible !== undefined
        )
          return t('ledger.say.vote.decidedCounted', {
            commission: p.commission,
            vote: p.vote,
            subject: p.subject,
            outcome,
            pour: p.pour,
            contre: p.contre,
            abstention: p.abstention,
            eligible: p.eligible,
          });
        return t('ledger.say.vote.decided', { vote: p.vote, subject: p.subject, outcome });
      }
      case 'vote.opened':
        return t('ledger.say.vote.opened', {
          commission: fact.public.commission,
          vote: fact.public.vote,
          subject: fact.public.subject,
          closes: fact.public.closesAt.slice(0, 16).replace('T', ' '),
        });
      case 'details.erased':
        return t('ledger.say.details.erased', { entry: String(fact.public.entry), reason: t(`ledger.reason.${fact.public.reason}`) });
    }
  })();
  return t('ledger.sentence', { label, body });
}
