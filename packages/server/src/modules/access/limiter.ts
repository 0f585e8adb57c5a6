import { AppError } from '../../platform/http/errors';

/**
 * How many queries run at once: at most `perConsumer` for one consumer (an organisation, or an
 * anonymous visitor's address), so one cannot starve the others, and at most `total` on the node;
 * beyond that a query waits its turn, first come first served, for at most `maxWaitMs`.
 */
export class QueryLimiter {
  private running = 0;
  private readonly byConsumer = new Map<string, number>();
  private readonly waiting: { resolve: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly total: number,
    private readonly perConsumer: number,
    private readonly maxWaitMs = 15_000,
  ) {}

  /** Takes a slot for `consumer`; the returned function gives it back (call it once). */
  async acquire(consumer: string): Promise<() => void> {
    const mine = this.byConsumer.get(consumer) ?? 0;
    if (mine >= this.perConsumer)
      throw new AppError(
        'rate_limited',
        `Vous avez déjà ${mine} requête${mine > 1 ? 's' : ''} en cours sur ce nœud : attendez qu’elle${mine > 1 ? 's' : ''} se termine${mine > 1 ? 'nt' : ''}.`,
      );
    this.byConsumer.set(consumer, mine + 1);
    if (this.running >= this.total) {
      try {
        await new Promise<void>((resolve, reject) => {
          const entry = {
            resolve,
            timer: setTimeout(() => {
              this.waiting.splice(this.waiting.indexOf(entry), 1);
              reject(new AppError('rate_limited', 'Le nœud calcule déjà beaucoup de requêtes : réessayez dans un instant.'));
            }, this.maxWaitMs),
          };
          this.waiting.push(entry);
        });
      } catch (error) {
        this.leave(consumer);
        throw error;
      }
    } else {
      this.running++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.leave(consumer);
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        // The slot passes to the next in line without going through `running`.
        next.resolve();
      } else {
        this.running--;
      }
    };
  }

  private leave(consumer: string): void {
    const n = (this.byConsumer.get(consumer) ?? 1) - 1;
    if (n <= 0) this.byConsumer.delete(consumer);
    else this.byConsumer.set(consumer, n);
  }
}
