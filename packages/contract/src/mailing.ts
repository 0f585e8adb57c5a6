import { z } from 'zod';
import { listOf } from './common';

/**
 * Topics of e-mail notifications. A notification kind belongs to the topic of its prefix
 * (`request.received` → requests); the digest is its own topic.
 */
export const NOTIFICATION_TOPICS = ['requests', 'contracts', 'projects', 'needs', 'governance', 'events', 'other', 'digest'] as const;
export type NotificationTopic = (typeof NOTIFICATION_TOPICS)[number];

const PREFIX_TOPIC: Record<string, NotificationTopic> = {
  request: 'requests',
  review: 'requests',
  contract: 'contracts',
  project: 'projects',
  need: 'needs',
  vote: 'governance',
  commission: 'governance',
  governance: 'governance',
  event: 'events',
};

export function topicOf(kind: string): NotificationTopic {
  return PREFIX_TOPIC[kind.split('.')[0] ?? ''] ?? 'other';
}

export const mailFailureSchema = z.object({
  id: z.uuid(),
  recipient: z.string(),
  subject: z.string(),
  /** The SMTP reply code (550…), null when the server could not be reached. */
  responseCode: z.number().int().nullable(),
  response: z.string(),
  /** 5xx: given up at once; 4xx: retried. */
  permanent: z.boolean(),
  at: z.string(),
});
export const mailFailureList = listOf(mailFailureSchema);

export const notificationPreferencesSchema = z.object({
  email: z.record(z.enum(NOTIFICATION_TOPICS), z.boolean()),
  /** The last message to this user's address that the mail server refused, if any since the last change. */
  lastFailure: mailFailureSchema.nullable(),
});
export const notificationPreferencesInput = z.object({
  email: z.partialRecord(z.enum(NOTIFICATION_TOPICS), z.boolean()),
});

export const digestResultSchema = z.object({
  /** Messages queued (one per opted-in active user, none when nothing is new). */
  recipients: z.number().int(),
  items: z.object({ datasets: z.number().int(), projects: z.number().int(), needs: z.number().int(), events: z.number().int() }),
});

export type MailFailureView = z.output<typeof mailFailureSchema>;
export type NotificationPreferencesView = z.output<typeof notificationPreferencesSchema>;
export type NotificationPreferencesInput = z.input<typeof notificationPreferencesInput>;
export type DigestResult = z.output<typeof digestResultSchema>;
