import type { mailFailureSchema } from '@confiance/contract';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { MailFailuresTable } from '../../platform/db/schema';

export function presentFailure(row: Selectable<MailFailuresTable>): z.output<typeof mailFailureSchema> {
  return {
    id: row.id,
    recipient: row.recipient,
    subject: row.subject,
    responseCode: row.response_code,
    response: row.response,
    permanent: row.permanent,
    at: row.created_at.toISOString(),
  };
}
