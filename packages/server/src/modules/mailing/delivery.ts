import type { Context } from '../../platform/context';
import { PermanentJobError } from '../../platform/jobs/index';
import type { Mailer, MailMessage } from '../../platform/mail/index';

/** A `mail.send` job: a message, and for a notification the portal path it points to. */
export interface MailJob extends MailMessage {
  link?: string;
}

/** The text a notification's e-mail carries: its title, the absolute link, how to stop them. */
export function notificationText(baseUrl: string, job: MailJob): string {
  if (!job.link) return job.text;
  return [
    job.text,
    '',
    `Ouvrir dans Confiance : ${baseUrl}${job.link}`,
    '',
    '—',
    'Vous recevez ce message car les notifications par e-mail sont activées sur votre compte.',
    `Pour choisir celles que vous recevez : ${baseUrl}/profil#notifications`,
  ].join('\n');
}

/** What nodemailer reports when the server answers with an error (`responseCode`, `response`). */
interface SmtpError {
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * Sends one job's message. A refusal is recorded (`mail_failures`) so the user's profile and the
 * operator can see it; a permanent one (5xx: no such mailbox, rejected) is not retried, since
 * retrying cannot change the answer; a transient one (4xx, no connection) is retried by the queue.
 */
export async function deliver(ctx: Context, mailer: Mailer, job: MailJob): Promise<void> {
  const message: MailMessage = { to: job.to, subject: job.subject, text: notificationText(ctx.config.baseUrl, job) };
  try {
    await mailer.send(message);
  } catch (error) {
    const e = error as SmtpError;
    const code = typeof e.responseCode === 'number' ? e.responseCode : null;
    const response = (e.response ?? e.message ?? String(error)).slice(0, 1000);
    const permanent = code !== null && code >= 500 && code < 600;
    const user = await ctx.db.selectFrom('users').select('id').where('email', '=', job.to.toLowerCase()).executeTakeFirst();
    await ctx.db
      .insertInto('mail_failures')
      .values({ recipient: job.to, user_id: user?.id ?? null, subject: job.subject, response_code: code, response, permanent })
      .execute();
    if (permanent) throw new PermanentJobError(response, { cause: error });
    throw error;
  }
}
