import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  describe('when nothing is set', () => {
    const config = loadConfig({});
    it('listens on 8080 on every interface', () => {
      expect(config.port).toBe(8080);
      expect(config.host).toBe('0.0.0.0');
    });
    it('uses embedded PGlite under ./data', () => {
      expect(config.databaseUrl).toBeUndefined();
      expect(config.dataDir).toBe(path.resolve('./data'));
    });
    it('runs the demo, trusts no proxy, sends no mail', () => {
      expect(config.demo).toBe(true);
      expect(config.trustProxy).toBe(false);
      expect(config.smtp).toBeNull();
    });
    it('derives the base URL from the port', () => {
      expect(config.baseUrl).toBe('http://localhost:8080');
      expect(loadConfig({ PORT: '9000' }).baseUrl).toBe('http://localhost:9000');
    });
    it('keeps sessions 14 days and bodies under 1 MiB', () => {
      expect(config.sessionDays).toBe(14);
      expect(config.bodyLimit).toBe(1_048_576);
    });
  });

  it('treats an empty value as unset, as a .env file line `DATABASE_URL=` means', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 8080 });
  });

  it.each([
    ['https://confiance.example.org/', 'https://confiance.example.org'],
    ['https://confiance.example.org', 'https://confiance.example.org'],
    ['https://example.org/confiance//', 'https://example.org/confiance'],
  ])('removes the trailing slash of CONFIANCE_BASE_URL %s', (value, expected) => {
    expect(loadConfig({ CONFIANCE_BASE_URL: value }).baseUrl).toBe(expected);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads CONFIANCE_DEMO=%s as %s', (value, expected) => {
    expect(loadConfig({ CONFIANCE_DEMO: value }).demo).toBe(expected);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
    ['10.0.0.0/8,127.0.0.1', '10.0.0.0/8,127.0.0.1'],
  ])('passes CONFIANCE_TRUST_PROXY=%s to Fastify as %j', (value, expected) => {
    expect(loadConfig({ CONFIANCE_TRUST_PROXY: value }).trustProxy).toBe(expected);
  });

  it('accepts a PostgreSQL URL in either spelling', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/confiance' }).databaseUrl).toBe('postgres://u@db/confiance');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db/confiance' }).databaseUrl).toBe('postgresql://u@db/confiance');
  });

  it('configures SMTP once a host is given, on port 587 unless told otherwise', () => {
    expect(loadConfig({ SMTP_HOST: 'smtp.example.org' }).smtp).toMatchObject({ host: 'smtp.example.org', port: 587, secure: false });
    expect(loadConfig({ SMTP_HOST: 'smtp.example.org', SMTP_PORT: '465', SMTP_SECURE: 'true' }).smtp).toMatchObject({
      port: 465,
      secure: true,
    });
  });

  describe('when a value is wrong, the message names the variable and the value received', () => {
    it.each([
      ['PORT', 'eighty'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['DATABASE_URL', 'mysql://root@db/confiance'],
      ['DATABASE_URL', 'db.example.org:5432'],
      ['CONFIANCE_BASE_URL', 'confiance.example.org'],
      // A scheme-less host:port parses as a URL whose scheme is "localhost:": links would break.
      ['CONFIANCE_BASE_URL', 'localhost:8080'],
      ['CONFIANCE_BASE_URL', 'ftp://confiance.example.org'],
      ['CONFIANCE_DEMO', 'maybe'],
      ['SMTP_PORT', '0'],
      ['SMTP_PORT', 'smtp'],
      ['CONFIANCE_BODY_LIMIT', '10'],
      ['CONFIANCE_LOG_LEVEL', 'verbose'],
    ])('%s=%s', (name, value) => {
      const problems = problemsOf({ [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name}: `));
      expect(problems[0]).toContain(JSON.stringify(value));
    });

    it('lists every wrong value, one line each, in the error message', () => {
      try {
        loadConfig({ PORT: 'x', SMTP_PORT: 'y' });
        expect.unreachable();
      } catch (error) {
        const message = (error as Error).message;
        expect(
          message
            .split('\n')
            .filter((l) => l.startsWith('  - '))
            .map((l) => l.split(':')[0]),
        ).toEqual(['  - PORT', '  - SMTP_PORT']);
      }
    });
  });
});
