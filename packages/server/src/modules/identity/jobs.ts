import type { Context } from '../../platform/context';
import { RESET_REQUEST_JOB, sendPasswordResetLink } from './commands/passwords';

/** Background work of the identity module, registered on the node's job queue. */
export function registerIdentityJobs(ctx: Context): void {
  ctx.jobs.register(RESET_REQUEST_JOB, async (payload) => sendPasswordResetLink(ctx, (payload as { email: string }).email));
}
