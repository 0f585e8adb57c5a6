import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors';
import { QueryLimiter } from './limiter';

/** Lets every settled promise run its callbacks. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** An acquisition whose outcome can be looked at without awaiting it. */
function track(promise: Promise<() => void>) {
  const state: { release?: () => void; error?: unknown } = {};
  void promise.then(
    (release) => (state.release = release),
    (error: unknown) => (state.error = error),
  );
  return state;
}

describe('QueryLimiter', () => {
  describe('when a consumer already runs its share', () => {
    it('refuses its next query at once with rate_limited, and lets others in', async () => {
      const limiter = new QueryLimiter(10, 2, 60_000);
      await limiter.acquire('org:a');
      await limiter.acquire('org:a');
      const third = track(limiter.acquire('org:a'));
      await flush();
      expect(third.error).toBeInstanceOf(AppError);
      expect(third.error).toMatchObject({ code: 'rate_limited' });
      expect((third.error as Error).message).toContain('2 requêtes en cours');
      await expect(limiter.acquire('org:b')).resolves.toBeTypeOf('function');
    });

    it('counts it back down to zero as its queries end', async () => {
      const limiter = new QueryLimiter(10, 2, 60_000);
      for (let round = 0; round < 3; round++) {
        const first = await limiter.acquire('org:a');
        const second = await limiter.acquire('org:a');
        await expect(limiter.acquire('org:a')).rejects.toMatchObject({ code: 'rate_limited' });
        first();
        second();
      }
    });
  });

  describe('when the node runs its total', () => {
    it('queues the others first come, first served, handing each freed slot to the next in line', async () => {
      const limiter = new QueryLimiter(2, 5, 60_000);
      const running = [await limiter.acquire('org:a'), await limiter.acquire('org:b')];
      const waiting = ['org:c', 'org:d', 'org:e'].map((consumer) => ({ consumer, state: track(limiter.acquire(consumer)) }));
      const served = () => waiting.filter((w) => w.state.release).map((w) => w.consumer);
      await flush();
      expect(served()).toEqual([]);

      running[1]!();
      await flush();
      expect(served()).toEqual(['org:c']);

      // The slot was handed over, not freed: a newcomer still waits behind d and e.
      const late = track(limiter.acquire('org:f'));
      await flush();
      expect(late.release).toBeUndefined();

      running[0]!();
      await flush();
      expect(served()).toEqual(['org:c', 'org:d']);
      waiting[0]!.state.release!();
      await flush();
      expect(waiting[2]!.state.release).toBeTypeOf('function');
      expect(late.release).toBeUndefined();
      waiting[1]!.state.release!();
      await flush();
      expect(late.release).toBeTypeOf('function');
    });

    it('refuses a query that waited longer than maxWaitMs, and forgets it', async () => {
      const limiter = new QueryLimiter(1, 1, 30);
      const holder = await limiter.acquire('org:a');
      const started = performance.now();
      await expect(limiter.acquire('org:b')).rejects.toMatchObject({ code: 'rate_limited' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(25);
      // Its consumer's count went back down (else this would be refused at once) and it left the
      // queue (else the freed slot would go to it, and this would wait and time out).
      holder();
      await expect(limiter.acquire('org:b')).resolves.toBeTypeOf('function');
    });
  });

  describe('a release', () => {
    it('is idempotent: a second call neither frees another slot nor lowers the count again', async () => {
      const limiter = new QueryLimiter(1, 1, 60_000);
      const release = await limiter.acquire('org:a');
      release();
      const next = await limiter.acquire('org:a');
      const queued = track(limiter.acquire('org:b'));
      release();
      await flush();
      expect(queued.release).toBeUndefined();
      // org:a still holds one query: its count was not lowered by the repeated release.
      await expect(limiter.acquire('org:a')).rejects.toMatchObject({ code: 'rate_limited' });
      next();
      await flush();
      expect(queued.release).toBeTypeOf('function');
    });
  });
});
