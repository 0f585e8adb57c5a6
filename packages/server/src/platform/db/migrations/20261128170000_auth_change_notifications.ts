import { sql, type Kysely } from 'kysely';

/**
 * Every change that can narrow what a signed-in user may do (a session ended, a token revoked,
 * a role changed, a user or organisation deactivated) notifies channel `confiance_auth` with the
 * user's id, or `*` for an organisation. PostgreSQL delivers notifications only when the
 * transaction commits, to every node listening: each node drops its cached credentials then.
 * A trigger cannot be forgotten by a new code path, which a call in each command could.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function confiance_auth_changed() returns trigger language plpgsql as $$
    begin
      if TG_TABLE_NAME = 'organisations' then
        perform pg_notify('confiance_auth', '*');
      elsif TG_TABLE_NAME = 'users' then
        perform pg_notify('confiance_auth', (case when TG_OP = 'DELETE' then OLD.id else NEW.id end)::text);
      else
        perform pg_notify('confiance_auth', (case when TG_OP = 'DELETE' then OLD.user_id else NEW.user_id end)::text);
      end if;
      return null;
    end $$`.execute(db);
  // Only columns that decide access: "last used" stamps must not flush the cache every minute.
  const triggers = {
    sessions: 'after update of expires_at or delete on sessions',
    api_tokens: 'after update of revoked_at, expires_at, scopes or delete on api_tokens',
    memberships: 'after insert or update or delete on memberships',
    users: 'after update of status, platform_roles or delete on users',
  };
  for (const [table, when] of Object.entries(triggers)) {
    await sql.raw(`create trigger ${table}_auth_changed ${when} for each row execute function confiance_auth_changed()`).execute(db);
  }
  await sql`
    create trigger organisations_auth_changed after update of status on organisations
    for each row when (OLD.status is distinct from NEW.status) execute function confiance_auth_changed()`.execute(db);
}
