import { digestResultSchema, mailFailureList, notificationPreferencesInput, notificationPreferencesSchema } from '@confiance/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { currentUser } from '../../platform/authz/index';
import type { Context } from '../../platform/context';
import { responses, typed } from '../../platform/http/routes';
import { sendDigestNow } from './digest';
import { preferencesOf, setPreferences } from './preferences';
import { presentFailure } from './presenter';

export function mailingRoutes(app: FastifyInstance, ctx: Context): void {
  const api = typed(app);
  const tags = ['E-mail'];
  // Only one's own preferences: the resource is the caller, so the table's `own` condition holds.
  const own = {
    resource: (request: FastifyRequest) => {
      const p = request.auth.principal;
      return p.kind === 'user' ? { userId: p.userId } : {};
    },
  };

  async function preferences(userId: string) {
    const user = await ctx.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow();
    // The last refusal for this address: shown until a later change of preferences acknowledges it.
    const acknowledged = await ctx.db
      .selectFrom('notification_preferences')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    let failures = ctx.db.selectFrom('mail_failures').selectAll().where('recipient', '=', user.email);
    if (acknowledged?.at) failures = failures.where('created_at', '>', acknowledged.at);
    const last = await failures.orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return { email: await preferencesOf(ctx.db, userId), lastFailure: last ? presentFailure(last) : null };
  }

  api.get(
    '/api/v1/me/notification-preferences',
    {
      schema: {
        tags,
        summary: 'Mes préférences d’e-mail et le dernier e-mail non remis',
        response: responses({ 200: notificationPreferencesSchema }),
      },
      config: { permission: { action: 'read', subject: 'NotificationPreference', ...own } },
    },
    async (request) => preferences(currentUser(request).userId),
  );

  api.put(
    '/api/v1/me/notification-preferences',
    {
      schema: {
        tags,
        summary: 'Choisir les notifications reçues par e-mail et le résumé hebdomadaire',
        body: notificationPreferencesInput,
        response: responses({ 200: notificationPreferencesSchema }),
      },
      config: { permission: { action: 'update', subject: 'NotificationPreference', ...own } },
    },
    async (request) => {
      const { userId } = currentUser(request);
      await setPreferences(ctx.db, userId, request.body.email);
      return preferences(userId);
    },
  );

  api.get(
    '/api/v1/mail/failures',
    {
      schema: { tags, summary: 'Les e-mails refusés par le serveur SMTP (opérateur)', response: responses({ 200: mailFailureList }) },
      config: { permission: { action: 'list', subject: 'MailFailure' } },
    },
    async () => {
      const rows = await ctx.db.selectFrom('mail_failures').selectAll().orderBy('created_at', 'desc').limit(200).execute();
      return { items: rows.map(presentFailure), total: rows.length };
    },
  );

  api.post(
    '/api/v1/mail/digest',
    {
      schema: { tags, summary: 'Envoyer le résumé hebdomadaire maintenant (opérateur)', response: responses({ 200: digestResultSchema }) },
      config: { permission: { action: 'create', subject: 'Digest' } },
    },
    async () => sendDigestNow(ctx),
  );
}
