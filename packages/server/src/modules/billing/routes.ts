import {
  billingSettingsInput,
  billingSettingsSchema,
  billingSummaryQuery,
  billingSummarySchema,
  creditNoteInput,
  estimateInput,
  estimateSchema,
  invoiceIssueInput,
  invoiceList,
  invoiceListQuery,
  invoiceSchema,
  recheckSchema,
  statementQuery,
  statementSchema,
  voteSchema,
  type Principal,
} from '@confiance/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { isUuid } from '../../platform/crypto';
import { AppError } from '../../platform/http/errors';
import { responses, typed } from '../../platform/http/routes';
import { findContract, projectOrganisations } from '../contracts/index';
import { findOrganisation } from '../members/index';
import { findOffer } from '../policies/index';
import { findVote, presentVote, requireVote } from '../governance/index';
import { invoicePdf } from './einvoice/index';
import { estimateForContract, estimateForOffer } from './estimates';
import { associationOf, findInvoice, issueCreditNote, issueInvoice, type InvoiceRow } from './invoices';
import { invoicesCsv, listInvoices, presentInvoice, presentInvoiceSummary } from './presenter';
import { computeStatement, recheckStatement, type Statement } from './statements';
import { billingSummary } from './summary';
import { currentSettings, presentSettings, updateSettings } from './settings';

const idParam = z.object({ id: z.uuid() });

type Loaded = FastifyRequest & { invoice?: InvoiceRow; organisationId?: string };

const memberships = (principal: Principal) => (principal.kind === 'user' ? principal.memberships.map((m) => m.organisationId) : []);
const isOperator = (principal: Principal) => principal.kind === 'user' && principal.platformRoles.includes('operator');

export function billingRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['Facturation'];

  // --- resources, loaded before the authorization check ------------------------------------------

  /** An organisation named by slug in the query or body: its id is the resource's owner. */
  async function organisationResource(request: FastifyRequest, slug: unknown) {
    if (typeof slug !== 'string' || slug.length === 0) return {};
    const organisation = await findOrganisation(ctx.db, slug);
    if (!organisation) return null;
    (request as Loaded).organisationId = organisation.id;
    return { organisationId: organisation.id };
  }

  async function invoiceResource(request: FastifyRequest, side: 'parties' | 'seller') {
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) return null;
    const row = await findInvoice(ctx.db, id);
    if (!row) return null;
    (request as Loaded).invoice = row;
    return side === 'parties' ? { parties: [row.seller_id, row.buyer_id] } : { organisationId: row.seller_id };
  }
  const loadedInvoice = (request: FastifyRequest) => (request as Loaded).invoice!;

  async function association() {
    const org = await associationOf(ctx);
    return org ? { slug: org.slug, name: org.short_name } : null;
  }

  // --- settings ------------------------------------------------------------------------------------

  api.get(
    '/api/v1/billing/settings',
    {
      schema: {
        tags,
        summary: "Les réglages de facturation de l'opérateur (commission, crédits, délais)",
        response: responses({ 200: billingSettingsSchema }),
      },
      config: { permission: { action: 'read', subject: 'BillingSettings' } },
    },
    async () => presentSettings(ctx.db, await currentSettings(ctx.db), await association()),
  );

  api.put(
    '/api/v1/billing/settings',
    {
      schema: {
        tags,
        summary:
          'Changer les réglages de facturation (opérateur) : une nouvelle version, inscrite au registre — ou, si l’opérateur l’a soumise au vote d’une commission, 202 avec le vote ouvert',
        body: billingSettingsInput,
        response: responses({ 200: billingSettingsSchema, 202: voteSchema }),
      },
      config: { permission: { action: 'update', subject: 'BillingSettings' } },
    },
    async (request, reply) => {
      const vote = await requireVote(ctx, 'fee_change', { userId: currentUser(request).userId }, request.body);
      if (vote) return reply.status(202).send(await presentVote(ctx.db, (await findVote(ctx.db, vote))!, request.auth.principal));
      const version = await updateSettings(ctx, { userId: currentUser(request).userId }, request.body);
      return presentSettings(ctx.db, version, await association());
    },
  );

  // --- estimates -----------------------------------------------------------------------------------

  api.post(
    '/api/v1/billing/estimate',
    {
      schema: {
        tags,
        summary: "Ce qu'un usage coûterait, sous un contrat ou selon une offre",
        body: estimateInput,
        response: responses({ 200: estimateSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'Estimate',
          resourceFromBody: true,
          resource: async (request) => {
            const body = (request.body ?? {}) as { contract?: unknown; offer?: unknown; organisation?: unknown };
            if (typeof body.contract === 'string' && isUuid(body.contract)) {
              const contract = await findContract(ctx.db, body.contract);
              if (!contract) return null;
              const partners = contract.project_id ? await projectOrganisations(ctx.db, contract.project_id) : [];
              return { parties: [contract.provider_id, contract.consumer_id, ...partners] };
            }
            // An offer's estimate is for one organisation: the caller's own (the first, unless named).
            const principal = request.auth.principal;
            if (typeof body.organisation === 'string') {
              const organisation = await findOrganisation(ctx.db, body.organisation);
              if (!organisation) return null;
              (request as Loaded).organisationId = organisation.id;
              return { parties: [organisation.id] };
            }
            const first = memberships(principal)[0];
            if (first) (request as Loaded).organisationId = first;
            return { parties: first ? [first] : [] };
          },
        },
      },
    },
    async (request) => {
      const { contract, offer, usage } = request.body;
      if (contract) {
        const row = await findContract(ctx.db, contract);
        if (!row) throw new AppError('not_found', 'Contrat introuvable.');
        return estimateForContract(ctx.db, row, usage);
      }
      const offerRow = await findOffer(ctx.db, offer!);
      if (!offerRow || offerRow.status !== 'active') throw new AppError('not_found', 'Offre introuvable ou retirée.');
      const organisationId = (request as Loaded).organisationId;
      if (!organisationId)
        throw new AppError('validation_failed', "Indiquez l'organisation pour laquelle estimer (vous n'êtes membre d'aucune).", {
          issues: [{ path: ['organisation'], message: 'organisation attendue' }],
        });
      return estimateForOffer(ctx.db, offerRow, organisationId, usage);
    },
  );

  // --- statements ----------------------------------------------------------------------------------

  api.get(
    '/api/v1/billing/statements',
    {
      schema: {
        tags,
        summary: "Le relevé mensuel d'une organisation, calculé depuis le registre",
        querystring: statementQuery,
        response: responses({ 200: statementSchema }),
      },
      config: {
        permission: {
          action: 'read',
          subject: 'Statement',
          resource: (request) => organisationResource(request, (request.query as { organisation?: unknown }).organisation),
        },
      },
    },
    async (request) => computeStatement(ctx, request.query),
  );

  api.post(
    '/api/v1/billing/statements/recheck',
    {
      schema: {
        tags,
        summary: 'Revérifier un relevé contre le registre (entrées citées, point de contrôle, tarifs)',
        body: statementSchema,
        response: responses({ 200: recheckSchema }),
      },
      config: {
        permission: {
          action: 'read',
          subject: 'Statement',
          resourceFromBody: true,
          resource: (request) => organisationResource(request, (request.body as { organisation?: unknown } | undefined)?.organisation),
        },
      },
    },
    async (request) => {
      const { matches, differences } = await recheckStatement(ctx, request.body as Statement);
      return { matches, differences };
    },
  );

  api.get(
    '/api/v1/billing/summary',
    {
      schema: {
        tags,
        summary: 'Mois par mois : revenus, dépenses et commission (une organisation, ou tout le nœud pour l’opérateur)',
        querystring: billingSummaryQuery,
        response: responses({ 200: billingSummarySchema }),
      },
      config: {
        permission: {
          action: 'list',
          subject: 'Statement',
          resource: (request) => organisationResource(request, (request.query as { organisation?: unknown }).organisation),
        },
      },
    },
    async (request) => billingSummary(ctx, request.query.organisation ?? null, request.query.months),
  );

  // --- invoices ------------------------------------------------------------------------------------

  const invoiceListRoute = (url: string, csv: boolean) =>
    api.get(
      url,
      {
        schema: {
          tags,
          summary: csv ? 'Les factures et avoirs en CSV (export comptable)' : 'Les factures et avoirs (émis ou reçus)',
          querystring: invoiceListQuery,
          response: responses({ 200: csv ? z.string().describe('CSV (text/csv)') : invoiceList }),
        },
        config: { permission: { action: 'list', subject: 'Invoice' } },
      },
      async (request, reply) => {
        const principal = request.auth.principal;
        const { organisation, period } = request.query;
        let only: string[] | null = isOperator(principal) ? null : memberships(principal);
        if (organisation) {
          const row = await findOrganisation(ctx.db, organisation);
          if (!row) throw new AppError('not_found', `Organisation introuvable : « ${organisation} ».`);
          if (only && !only.includes(row.id)) throw new AppError('forbidden', "Vous n'êtes pas membre de cette organisation.");
          only = [row.id];
        }
        const rows = await listInvoices(ctx.db, { organisations: only, period: period ?? null });
        if (!csv) {
          const items = rows.map(presentInvoiceSummary);
          return { items, total: items.length };
        }
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="factures${period ? `-${period}` : ''}.csv"`)
          .send(invoicesCsv(rows));
      },
    );
  invoiceListRoute('/api/v1/billing/invoices', false);
  invoiceListRoute('/api/v1/billing/export', true);

  const presentById = async (id: string) => {
    const [row] = await listInvoices(ctx.db, { id });
    return presentInvoice(row!);
  };

  api.post(
    '/api/v1/billing/invoices',
    {
      schema: {
        tags,
        summary: 'Émettre la facture du mois : usage (au nom du fournisseur, sous mandat) ou commission (au nom de l’association)',
        body: invoiceIssueInput,
        response: responses({ 201: invoiceSchema }),
      },
      config: {
        permission: {
          action: 'create',
          subject: 'Invoice',
          resourceFromBody: true,
          resource: async (request) => {
            const body = (request.body ?? {}) as { purpose?: unknown; provider?: unknown };
            // The seller acts: the provider for its usage invoices, the association for its fee.
            if (body.purpose === 'fee') {
              const org = await associationOf(ctx);
              return org ? { organisationId: org.id } : {};
            }
            return organisationResource(request, body.provider);
          },
        },
      },
    },
    async (request, reply) => {
      const id = await issueInvoice(ctx, { userId: currentUser(request).userId }, request.body);
      return reply.status(201).send(await presentById(id));
    },
  );

  api.get(
    '/api/v1/billing/invoices/:id',
    {
      schema: { tags, summary: 'Une facture ou un avoir', params: idParam, response: responses({ 200: invoiceSchema }) },
      config: { permission: { action: 'read', subject: 'Invoice', resource: (r) => invoiceResource(r, 'parties') } },
    },
    async (request) => presentById(loadedInvoice(request).id),
  );

  api.get(
    '/api/v1/billing/invoices/:id/pdf',
    {
      schema: {
        tags,
        summary: 'La facture en PDF (le XML CII fait foi et se télécharge à côté)',
        params: idParam,
        response: responses({ 200: z.string().describe('application/pdf') }),
      },
      config: { permission: { action: 'read', subject: 'Invoice', resource: (r) => invoiceResource(r, 'parties') } },
    },
    async (request, reply) => {
      const row = loadedInvoice(request);
      const pdf = await invoicePdf(row.document as Parameters<typeof invoicePdf>[0]);
      // Bytes, not the JSON the typed reply expects: sent through the plain reply, as file downloads are.
      return (reply as FastifyReply)
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${row.number}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );

  api.get(
    '/api/v1/billing/invoices/:id/xml',
    {
      schema: {
        tags,
        summary: 'La facture électronique : XML CII D16B, norme EN 16931 (profil Factur-X EN16931)',
        params: idParam,
        response: responses({ 200: z.string().describe('application/xml') }),
      },
      config: { permission: { action: 'read', subject: 'Invoice', resource: (r) => invoiceResource(r, 'parties') } },
    },
    async (request, reply) => {
      const row = loadedInvoice(request);
      return reply
        .header('content-type', 'application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${row.number}.xml"`)
        .send(row.xml);
    },
  );

  api.post(
    '/api/v1/billing/invoices/:id/credit-note',
    {
      schema: {
        tags,
        summary: 'Annuler une facture par un avoir (jamais par modification ni suppression)',
        params: idParam,
        body: creditNoteInput,
        response: responses({ 201: invoiceSchema }),
      },
      config: { permission: { action: 'update', subject: 'Invoice', resource: (r) => invoiceResource(r, 'seller') } },
    },
    async (request, reply) => {
      const id = await issueCreditNote(ctx, { userId: currentUser(request).userId }, loadedInvoice(request).id, request.body.reason);
      return reply.status(201).send(await presentById(id));
    },
  );
}
