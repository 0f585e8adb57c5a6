import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * SMTP when configured; otherwise mail is written to the log, so a developer can follow an
 * invitation or reset link without a mail server.
 */
export function createMailer(config: Pick<Config, 'smtp' | 'smtpFrom'>, log: FastifyBaseLogger): Mailer {
  if (!config.smtp) {
    return {
      async send(message) {
        log.info({ mail: message }, `mail to ${message.to}: ${message.subject}`);
      },
      close() {},
    };
  }
  const { host, port, secure, user, password, from } = config.smtp;
  const transport = nodemailer.createTransport({
    host,
    port,
    secure,
    ...(user ? { auth: { user, pass: password ?? '' } } : {}),
    // Loopback sinks in tests and internal relays often have no certificate for their name.
    ...(secure ? {} : { ignoreTLS: host === '127.0.0.1' || host === 'localhost' }),
  });
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      transport.close();
    },
  };
}
