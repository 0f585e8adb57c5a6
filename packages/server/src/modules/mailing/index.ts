import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import type { Mailer } from '../../platform/mail/index';
import { deliver, type MailJob } from './delivery';
import { weeklyDigest, type DigestResult, sendDigestNow } from './digest';
import { mailingRoutes } from './routes';

/**
 * How people hear from the node: in-app notifications (`notifications.ts`: `notify()`, the one
 * way modules notify, inside their transaction) and e-mail (issue 10): the delivery of every `mail.send` job with bounces recorded (`delivery.ts`),
 * per-user preferences and the e-mail side of notifications (`preferences.ts`, called by
 * `notify()`), and the weekly digest (`digest.ts`).
 */
export { ethicsMembers, notify, staffOf, type NotificationKind } from './notifications';
export { enqueueNotificationMails, preferencesOf, recipientsFor } from './preferences';
export { digestItems, digestText, isoWeek, sendDigestNow, weeklyDigest } from './digest';
export type { DigestResult } from './digest';
export { notificationText } from './delivery';

export interface Mailing {
  sendDigest(): Promise<DigestResult>;
  /** Checks once an hour whether this ISO week's digest went out; sends it if not. */
  start(intervalMs?: number): void;
  stop(): void;
}

export function registerMailing(app: FastifyInstance, ctx: Context, mailer: Mailer): Mailing {
  ctx.jobs.register('mail.send', (payload) => deliver(ctx, mailer, payload as MailJob));
  mailingRoutes(app, ctx);
  let timer: NodeJS.Timeout | undefined;
  const mailing: Mailing = {
    sendDigest: () => sendDigestNow(ctx),
    start(intervalMs = 3_600_000) {
      const tick = () => {
        weeklyDigest(ctx)
          .then((r) => {
            if (r) ctx.log.info({ recipients: r.recipients, items: r.items }, 'weekly digest queued');
          })
          .catch((error: unknown) => ctx.log.error({ err: error }, 'weekly digest failed'))
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs).unref();
          });
      };
      timer = setTimeout(tick, 10_000).unref();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
  app.addHook('onClose', () => mailing.stop());
  return mailing;
}
