import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from './backends';
import {
  TEST_PASSWORD,
  expectError,
  makeOrganisation,
  makeUser,
  nextAddress,
  signInAs,
  testNode,
  tokenFor,
  type Caller,
  type TestNode,
} from './harness';

/** A message as the SMTP sink received it, decoded enough to read links. */
interface Received {
  to: string[];
  subject: string;
  text: string;
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header. */
function decodeHeader(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** Enough MIME for nodemailer's single-part text mails: headers, then a QP, base64 or plain body. */
function parseMessage(raw: string, to: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const headerBlock = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map(
    headerBlock.split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  let body = raw.slice(split + 4);
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  if (encoding === 'quoted-printable') {
    // Soft line breaks (`=` at the end of a line) join lines; `=XX` are bytes of UTF-8.
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { to, subject: decodeHeader(headers.get('subject') ?? ''), text: body.replace(/\r\n/g, '\n') };
}

describe.each(backends())('e-mail over SMTP on %s', (backend) => {
  const inbox: Received[] = [];
  let rejectRecipients = false;
  let smtp: SMTPServer;
  let node: TestNode;
  let org: { id: string; slug: string };
  let admin: Caller;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Ends lingering client connections at once when the suite closes the server.
      closeTimeout: 100,
      onRcptTo(address, _session, callback) {
        callback(rejectRecipients ? Object.assign(new Error('mailbox unavailable'), { responseCode: 450 }) : undefined);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          inbox.push(
            parseMessage(
              Buffer.concat(chunks).toString('latin1'),
              session.envelope.rcptTo.map((r) => r.address),
            ),
          );
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    node = await testNode(backend, { env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port) } });
    org = await makeOrganisation(node.ctx, { shortName: 'Atmo Occitanie', legalName: 'Atmo Occitanie' });
    admin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: org.id, role: 'org_admin' })).email);
  });
  afterAll(async () => {
    await node.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });
  beforeEach(() => {
    inbox.length = 0;
  });

  /** Sends what the queue holds (the node's runner is not started in tests) and returns the new mail. */
  async function deliver(): Promise<Received[]> {
    await node.app.confiance.jobs.drain();
    return [...inbox];
  }

  async function invite(email: string, role = 'data_steward', organisation = org, by = admin): Promise<string> {
    const response = await node.app.inject({
      method: 'POST',
      url: `/api/v1/members/${organisation.slug}/invitations`,
      headers: by.headers,
      payload: { email, role },
    });
    expect(response.statusCode).toBe(201);
    const mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual([[email]]);
    const link = /(\S+)\/invitation\?token=([\w-]+)/.exec(mails[0]!.text);
    expect(link?.[1]).toBe('http://confiance.test');
    return link![2]!;
  }

  const preview = (token: string) => node.app.inject({ url: `/api/v1/invitations/${token}`, remoteAddress: nextAddress() });
  const accept = (token: string, payload: Record<string, string>) =>
    node.app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload, remoteAddress: nextAddress() });

  describe('an invitation', () => {
    const email = 'nouvelle.personne@example.test';
    let token: string;

    it('arrives by e-mail with a one-time link to the invitation page', async () => {
      token = await invite(email);
      const [mail] = inbox;
      expect(mail!.subject).toBe('Confiance — invitation à rejoindre Atmo Occitanie');
      expect(mail!.text).toContain('responsable de données');
      expect(mail!.text).toContain('7 jours');
    });

    it('can be previewed through its link', async () => {
      const response = await preview(token);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        email,
        role: 'data_steward',
        organisation: { slug: org.slug, shortName: 'Atmo Occitanie' },
        expiresAt: expect.any(String),
        accountExists: false,
      });
    });

    it('needs a name to create the account', async () => {
      const error = expectError(await accept(token, { password: 'a long enough password' }), 400, 'validation_failed');
      expect(error.details).toEqual({ issues: [expect.objectContaining({ path: 'body.displayName' })] });
    });

    it('creates the account and the membership when accepted', async () => {
      const response = await accept(token, { displayName: 'Nina Garcia', password: 'a long enough password' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ email, organisationId: org.id });
      const session = await signInAs(node.app, email, 'a long enough password');
      const me = await node.app.inject({ url: '/api/v1/auth/session', headers: session.headers });
      expect(me.json()).toMatchObject({
        user: { displayName: 'Nina Garcia' },
        memberships: [{ organisationId: org.id, role: 'data_steward' }],
      });
    });

    it('cannot be used twice (410 invitation_used)', async () => {
      expectError(await preview(token), 410, 'invitation_used');
      expectError(await accept(token, { displayName: 'Someone Else', password: 'another long password' }), 410, 'invitation_used');
    });

    it('is unknown with a made-up link (404)', async () => {
      expectError(await preview('x'.repeat(43)), 404, 'not_found');
    });
  });

  describe('when the invited address already has an account', () => {
    it('asks for that account’s password, not a new one', async () => {
      const other = await makeOrganisation(node.ctx, { shortName: 'CNES' });
      const otherAdmin = await signInAs(node.app, (await makeUser(node.ctx, { organisationId: other.id, role: 'org_admin' })).email);
      const existing = await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' });
      const token = await invite(existing.email, 'analyst', other, otherAdmin);
      expect((await preview(token)).json().accountExists).toBe(true);
      expectError(await accept(token, { password: 'someone guessing it' }), 401, 'invalid_credentials');
      expect((await accept(token, { password: TEST_PASSWORD })).statusCode).toBe(200);
      const session = await signInAs(node.app, existing.email);
      const me = await node.app.inject({ url: '/api/v1/auth/session', headers: session.headers });
      expect(
        me
          .json()
          .memberships.map((m: { organisationId: string }) => m.organisationId)
          .sort(),
      ).toEqual([org.id, other.id].sort());
    });
  });

  describe('when the invitation has expired', () => {
    it('answers 410 invitation_expired to the preview and to acceptance', async () => {
      const email = 'trop.tard@example.test';
      const token = await invite(email);
      await node.ctx.db
        .updateTable('invitations')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('email', '=', email)
        .execute();
      expectError(await preview(token), 410, 'invitation_expired');
      expectError(await accept(token, { displayName: 'Trop Tard', password: 'a long enough password' }), 410, 'invitation_expired');
    });
  });

  describe('when the invitation was cancelled', () => {
    it('answers 410 and creates no account', async () => {
      const email = 'annulee@example.test';
      const token = await invite(email);
      const pending = await node.app.inject({ url: `/api/v1/members/${org.slug}/invitations`, headers: admin.headers });
      const id = pending.json().items.find((i: { email: string }) => i.email === email).id;
      expect(
        (await node.app.inject({ method: 'DELETE', url: `/api/v1/members/${org.slug}/invitations/${id}`, headers: admin.headers }))
          .statusCode,
      ).toBe(200);
      expectError(await accept(token, { displayName: 'Annulée', password: 'a long enough password' }), 410, 'invitation_used');
      expect(await node.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
    });
  });

  describe('password reset', () => {
    const ask = (email: string) =>
      node.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email }, remoteAddress: nextAddress() });
    const confirm = (token: string, newPassword: string) =>
      node.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset/confirm',
        payload: { token, newPassword },
        remoteAddress: nextAddress(),
      });

    it('mails a link to an existing account and nothing for an unknown address, answering both alike', async () => {
      const user = await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' });
      const known = await ask(user.email);
      const unknown = await ask('personne@example.test');
      expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
      expect(known.body).toBe(unknown.body);
      const mails = await deliver();
      expect(mails.map((m) => m.to)).toEqual([[user.email]]);
      expect(mails[0]!.subject).toBe('Confiance — réinitialisation de votre mot de passe');
      expect(mails[0]!.text).toMatch(/http:\/\/confiance\.test\/reinitialiser\?token=[\w-]+/);
    });

    it('sends nothing to a deactivated account', async () => {
      const user = await makeUser(node.ctx);
      await node.ctx.db.updateTable('users').set({ status: 'deactivated' }).where('id', '=', user.id).execute();
      await node.app.confiance.syncCredentials();
      expect((await ask(user.email)).statusCode).toBe(202);
      expect(await deliver()).toEqual([]);
    });

    it('sets the new password, ends every session and token, and works once', async () => {
      const user = await makeUser(node.ctx, { organisationId: org.id, role: 'analyst' });
      const session = await signInAs(node.app, user.email);
      const token = await tokenFor(node.app, session, ['read']);
      await ask(user.email);
      const [mail] = await deliver();
      const secret = /reinitialiser\?token=([\w-]+)/.exec(mail!.text)![1]!;

      const newPassword = 'a fresh passphrase 2026';
      expect((await confirm(secret, newPassword)).statusCode).toBe(200);

      expectError(await node.app.inject({ url: '/api/v1/auth/session', headers: session.headers }), 401, 'unauthenticated');
      expectError(
        await node.app.inject({ url: '/api/v1/auth/session', headers: { authorization: `Bearer ${token}` } }),
        401,
        'unauthenticated',
      );
      await expect(signInAs(node.app, user.email)).rejects.toThrow(/invalid_credentials/);
      await expect(signInAs(node.app, user.email, newPassword)).resolves.toMatchObject({ userId: user.id });

      expectError(await confirm(secret, 'yet another passphrase'), 410, 'reset_link_invalid');
      await expect(signInAs(node.app, user.email, newPassword)).resolves.toMatchObject({ userId: user.id });
    });

    it('leaves no earlier link usable once the password has changed', async () => {
      const user = await makeUser(node.ctx);
      await ask(user.email);
      await ask(user.email);
      const [first, second] = (await deliver()).map((m) => /reinitialiser\?token=([\w-]+)/.exec(m.text)![1]!);
      expect((await confirm(second!, 'a fresh passphrase 2026')).statusCode).toBe(200);
      expectError(await confirm(first!, 'an attacker passphrase 2026'), 410, 'reset_link_invalid');
      await expect(signInAs(node.app, user.email, 'a fresh passphrase 2026')).resolves.toMatchObject({ userId: user.id });
    });

    it('queues the same single job, and no mail yet, whether or not the address has an account', async () => {
      const user = await makeUser(node.ctx);
      const pending = async (kind: string) =>
        (await node.ctx.db.selectFrom('jobs').select('id').where('kind', '=', kind).where('status', '=', 'pending').execute()).length;
      const [requests, mails] = [await pending('identity.password-reset-request'), await pending('mail.send')];
      await ask(user.email);
      expect([await pending('identity.password-reset-request'), await pending('mail.send')]).toEqual([requests + 1, mails]);
      await ask('nobody-here@example.test');
      expect([await pending('identity.password-reset-request'), await pending('mail.send')]).toEqual([requests + 2, mails]);
      expect((await deliver()).map((m) => m.to)).toEqual([[user.email]]);
    });

    it('refuses a link past its hour', async () => {
      const user = await makeUser(node.ctx);
      await ask(user.email);
      const [mail] = await deliver();
      const secret = /reinitialiser\?token=([\w-]+)/.exec(mail!.text)![1]!;
      await node.ctx.db
        .updateTable('password_resets')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('user_id', '=', user.id)
        .execute();
      expectError(await confirm(secret, 'a fresh passphrase 2026'), 410, 'reset_link_invalid');
      await expect(signInAs(node.app, user.email)).resolves.toMatchObject({ userId: user.id });
    });
  });

  // A temporary refusal (4xx); a permanent one (5xx) is not retried: see mailing.test.ts.
  describe('when the mail server refuses a message for now', () => {
    afterAll(() => {
      rejectRecipients = false;
    });

    it('keeps the job and retries it later, with the reason', async () => {
      rejectRecipients = true;
      const email = 'refusee@example.test';
      const response = await node.app.inject({
        method: 'POST',
        url: `/api/v1/members/${org.slug}/invitations`,
        headers: admin.headers,
        payload: { email, role: 'analyst' },
      });
      expect(response.statusCode).toBe(201);
      expect(await deliver()).toEqual([]);
      const job = await node.ctx.db
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', 'mail.send')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('mailbox unavailable') });
      expect(job.run_at.getTime()).toBeGreaterThan(Date.now());

      rejectRecipients = false;
      await node.ctx.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000) })
        .where('id', '=', job.id)
        .execute();
      expect((await deliver()).map((m) => m.to)).toEqual([[email]]);
    });
  });
});
