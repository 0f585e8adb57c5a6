/**
 * Differencing protection for aggregate-only data, across the results released under one contract.
 * Pure: no I/O. `protect()` (disclosure.ts) makes each result safe on its own; this module stops a
 * consumer from attacking the *sequence*: `count where age < 50` minus `count where age < 49` is
 * the number of people aged 49; a département's total queried alone, then its men and women
 * separately, gives back the masked women by subtraction.
 *
 * Model. The data's **atoms** are the distinct combinations of every dimension value (dep × sexe ×
 * jour × tranche d'âge …), numbered by the caller. A released cell is the set of atoms its filters
 * and group key select, with its published value (null when masked). A consumer who knows two
 * published cells knows the sum over any atom set they can write as a combination of them; the node
 * knows every atom's true count (`atomCounts`) and refuses a candidate result when that knowledge,
 * joined to the contract's earlier releases, would isolate a small group (1..threshold people) or
 * a cell the node masked.
 *
 * Checks, cheapest first (each says what an attacker does without it):
 * 1. Pairwise differences (query-set overlap/size control: Denning 1980, Adam & Wortmann 1989). For a
 *    published candidate cell C and a published earlier cell R sharing atoms: when one contains the
 *    other, D = bigger \ smaller is known exactly (C − R); its true count must be 0 or > threshold,
 *    or the consumer learns a group of 1..threshold people (the age < 50 − age < 49 attack). When C
 *    and R only overlap, C \ R and R \ C are not known alone, but querying C ∩ R or C ∪ R next would
 *    reveal them; checking both now (policy `overlaps`, on by default) refuses the step that
 *    prepares the attack rather than waiting for a third query the linear check might miss.
 * 2. Masked cells stay masked. A published candidate cell whose atoms equal an earlier masked cell's
 *    is refused (a cell masked as secondary suppression in one table is not masked when queried
 *    alone: the attacker just asks for it). A nested difference D equal to a masked cell's atoms is
 *    refused whatever its count: secondary suppressions hide counts > threshold, and a masked 0 was
 *    masked for a reason of its own. Candidate-candidate nested pairs are checked against masked
 *    cells too (the total, then men and women in one later result).
 * 3. A bounded linear-algebra check. Published cells are equations over the atoms; atoms that every
 *    involved cell treats alike form one unknown (a *class*). After Gauss–Jordan elimination, a
 *    masked cell, or a class holding 1..threshold people, whose indicator lies in the row space is
 *    determined (T − A − B − C = the people aged 99, each pair harmless). Targets the history alone
 *    already determined are not blamed on the candidate (an earlier leak is not this query's doing);
 *    nor are the candidate's own masked cells and small classes that the candidate alone determines
 *    (within one result, `protect()` owns the question). An earlier masked cell that the candidate
 *    alone sums to (60..79 + 80..98 after 60..98 was masked) is refused.
 *
 * Zero. A difference whose true count is 0 is allowed: it describes nobody, so no record can be
 *   isolated (the same choice as `minUnits` in disclosure.ts); refusing it would refuse every pair of
 *   queries whose filters differ only on empty combinations (age < 110 then age < 120). The residual
 *   risk is negative disclosure ("nobody aged 49 in the Lozère was hospitalised"): a consumer who
 *   knows someone is in D learns they are not in the data. Cells the node masked, even at 0, stay
 *   masked through check 2.
 *
 * Not covered:
 * - Rounding is ignored: differences are judged on true counts, conservatively; the noise rounding
 *   adds is not counted as protection.
 * - The refusal itself tells something: that some difference holds 1..threshold people (or that a
 *   linear combination pins a masked cell). `reason` never states the count; `conflicts` carries it
 *   for the node's own audit and must not be sent to the consumer. Simulatable auditing (deciding
 *   on atom sets and published values only) would remove this channel at the price of refusing
 *   almost every nested pair; the query limiter bounds how many refusals an attacker can collect.
 * - Check 3 sees the candidate and the earlier cells connected to it through shared atoms (breadth
 *   first, the most recent first at each hop), at most `maxEquations` of them, and `maxClasses`
 *   unknowns; chains through cells beyond that cap, and sets that are unions of several classes without being a
 *   masked cell or a pairwise difference, are not searched. When the bounds are exceeded the check
 *   runs on the truncated system (or is skipped) and says so in `stats`; checks 1 and 2 always see
 *   every overlapping cell.
 * - Measures other than counts (sums) are not modelled; neither are releases under other contracts
 *   held by the same consumer (the caller should key the history by consumer when it can).
 *
 * Cost. `ReleaseHistory` indexes cells by blocks of atom ids, so a check touches only cells sharing
 * a block with the candidate; atom sets are run-length encoded, so a filter on leading dimensions
 * is a handful of runs, not a list of every atom. The history is capped (`maxCells`, 20 000 cells
 * by default): nothing is ever dropped — older releases are what the consumer already knows —
 * so once the cap is reached every further release under the contract is refused with
 * `history_full`, and the data holder must decide (a new contract, with the consumer's history
 * carried over or not).
 */

/**
 * A set of atom ids, run-length encoded: `[start₀, end₀, start₁, end₁, …]`, half-open runs,
 * strictly increasing and never adjacent, so that equal sets have equal encodings. Build one with
 * `atomSet` or `atomRange`.
 */
export type AtomSet = readonly number[];

export interface ReleaseRef {
  /** When the result was released, shown to the consumer in the refusal. */
  at: Date;
}

export interface ReleasedCell {
  atoms: AtomSet;
  /** Published value; null = masked. */
  value: number | null;
  /** The release the cell belongs to (history cells); absent on candidate cells. */
  release?: ReleaseRef;
}

export interface DifferencingPolicy {
  /** Groups of 1..threshold people must not be isolated (OpenSAFELY: 7). */
  threshold: number;
  /** Check 1 also on cells that overlap without being nested. Default true. */
  overlaps?: boolean;
  /** Run check 3. Default true. */
  linear?: boolean;
  /** Earlier cells (equations or masked targets) check 3 takes at most, besides the candidate's. Default 300. */
  maxEquations?: number;
  /** Unknowns (atom classes) beyond which check 3 is skipped. Default 2 000. */
  maxClasses?: number;
  /** Cells a contract's history may hold. Default 20 000. */
  maxCells?: number;
}

export const DIFFERENCING_DEFAULTS = Object.freeze({
  threshold: 7,
  overlaps: true,
  linear: true,
  maxEquations: 300,
  maxClasses: 2000,
  maxCells: 20_000,
});

/** A cell of the history, or of the candidate, by index. */
export interface CellRef {
  source: 'history' | 'candidate';
  index: number;
}

/** Why a candidate is refused; `isolated` is a true count, for the node's audit only. */
export type Conflict =
  | { kind: 'difference'; candidate: number; released: CellRef; relation: 'subset' | 'superset' | 'overlap'; isolated: number }
  | { kind: 'masked'; candidate: number; released: CellRef | null; masked: CellRef }
  | { kind: 'linear'; released: CellRef | null; masked: CellRef; isolated?: undefined }
  | { kind: 'linear'; released: CellRef | null; masked?: undefined; isolated: number }
  | { kind: 'history_full'; cells: number; cap: number };

export interface CheckStats {
  /** Earlier cells sharing atoms with the candidate (checks 1 and 2 compare against all of them). */
  overlapping: number;
  /** What check 3 did. */
  linear: 'off' | 'not_needed' | 'checked' | 'truncated' | 'skipped';
  equations: number;
  classes: number;
}

export type CheckResult =
  | { ok: true; stats: CheckStats }
  | {
      ok: false;
      /** French, for the consumer: which release, which cell; never a count. */
      reason: string;
      conflicts: Conflict[];
      stats: CheckStats;
    };

// ——— Atom sets ———

function assertId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`atom id must be a non-negative integer, got ${id}`);
}

/** The set of the given atom ids (any order, duplicates allowed). */
export function atomSet(ids: Iterable<number>): AtomSet {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: number[] = [];
  for (const id of sorted) {
    assertId(id);
    if (runs.length > 0 && runs[runs.length - 1] === id) runs[runs.length - 1] = id + 1;
    else runs.push(id, id + 1);
  }
  return runs;
}

/** Atoms `start` (included) to `end` (excluded). */
export function atomRange(start: number, end: number): AtomSet {
  assertId(start);
  assertId(end);
  return end > start ? [start, end] : [];
}

export function atomUnion(...sets: AtomSet[]): AtomSet {
  const runs: [number, number][] = [];
  for (const set of sets) for (let i = 0; i < set.length; i += 2) runs.push([set[i]!, set[i + 1]!]);
  runs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [s, e] of runs) {
    if (out.length > 0 && s <= out[out.length - 1]!) out[out.length - 1] = Math.max(out[out.length - 1]!, e);
    else out.push(s, e);
  }
  return out;
}

export function atomDifference(a: AtomSet, b: AtomSet): AtomSet {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i]!;
    const e = a[i + 1]!;
    while (j < b.length && b[j + 1]! <= s) j += 2;
    for (let k = j; k < b.length && b[k]! < e && s < e; k += 2) {
      if (b[k]! > s) out.push(s, b[k]!);
      s = Math.max(s, b[k + 1]!);
    }
    if (s < e) out.push(s, e);
  }
  return out;
}

export function atomIntersection(a: AtomSet, b: AtomSet): AtomSet {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]!, b[j]!);
    const e = Math.min(a[i + 1]!, b[j + 1]!);
    if (s < e) out.push(s, e);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

function intersects(a: AtomSet, b: AtomSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (Math.max(a[i]!, b[j]!) < Math.min(a[i + 1]!, b[j + 1]!)) return true;
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return false;
}

export function atomSize(set: AtomSet): number {
  let n = 0;
  for (let i = 0; i < set.length; i += 2) n += set[i + 1]! - set[i]!;
  return n;
}

export function atomIds(set: AtomSet): number[] {
  const ids: number[] = [];
  for (let i = 0; i < set.length; i += 2) for (let id = set[i]!; id < set[i + 1]!; id++) ids.push(id);
  return ids;
}

const keyOf = (set: AtomSet): string => set.join(',');

/** Rejects a hand-built set that is not normalised: two encodings of one set would defeat check 2. */
function assertAtomSet(set: AtomSet, where: string): void {
  if (set.length % 2 !== 0) throw new RangeError(`${where}: atom set has an odd length`);
  for (let i = 0; i < set.length; i++) {
    assertId(set[i]!);
    // Odd positions: a run ends after it starts; even ones: the next run starts after a gap.
    if (i > 0 && set[i]! <= set[i - 1]!) throw new RangeError(`${where}: atom set is not sorted, disjoint and non-adjacent runs`);
  }
}

// ——— History index ———

const BLOCK_BITS = 12;
/** A cell spanning more blocks than this is checked against every candidate (a national total). */
const WIDE_BLOCKS = 256;

/** The cells released under one contract, indexed by the atom blocks they touch. Append-only. */
export class ReleaseHistory {
  readonly cells: ReleasedCell[] = [];
  private readonly blocks = new Map<number, number[]>();
  private readonly wide: number[] = [];
  private readonly maskedByKey = new Map<string, number>();

  constructor(cells: readonly ReleasedCell[] = []) {
    this.record(cells);
  }

  get size(): number {
    return this.cells.length;
  }

  /** Appends a released result; call it only after `checkRelease` said ok. */
  record(cells: readonly ReleasedCell[]): void {
    for (const cell of cells) {
      assertAtomSet(cell.atoms, 'history');
      const index = this.cells.length;
      this.cells.push(cell);
      if (cell.value === null && !this.maskedByKey.has(keyOf(cell.atoms))) this.maskedByKey.set(keyOf(cell.atoms), index);
      const touched = blocksOf(cell.atoms, WIDE_BLOCKS);
      if (touched === null) {
        this.wide.push(index);
        continue;
      }
      for (const block of touched) {
        let list = this.blocks.get(block);
        if (!list) this.blocks.set(block, (list = []));
        list.push(index);
      }
    }
  }

  /** Indices, ascending, of the cells sharing at least one atom with `atoms`. */
  overlapping(atoms: AtomSet): number[] {
    const seen = new Set<number>(this.wide);
    const touched = blocksOf(atoms, Number.POSITIVE_INFINITY)!;
    for (const block of touched) for (const index of this.blocks.get(block) ?? []) seen.add(index);
    return [...seen].filter((index) => intersects(this.cells[index]!.atoms, atoms)).sort((a, b) => a - b);
  }

  /** An earlier masked cell with exactly these atoms, if any. */
  maskedWith(atoms: AtomSet): number | undefined {
    return this.maskedByKey.get(keyOf(atoms));
  }
}

function blocksOf(atoms: AtomSet, limit: number): number[] | null {
  const out = new Set<number>();
  for (let i = 0; i < atoms.length; i += 2) {
    for (let b = atoms[i]! >> BLOCK_BITS; b <= (atoms[i + 1]! - 1) >> BLOCK_BITS; b++) {
      out.add(b);
      if (out.size > limit) return null;
    }
  }
  return [...out];
}

// ——— The check ———

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  day: '2-digit',
  month: '2-digit',
  timeZone: 'Europe/Paris',
});
const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });

function describe(ref: CellRef, history: ReleaseHistory): string {
  if (ref.source === 'candidate') return 'une autre case de cette même requête';
  const at = history.cells[ref.index]?.release?.at;
  return at ? `la requête du ${dateFormat.format(at)} à ${timeFormat.format(at)}` : 'une requête précédente';
}

function reasonOf(conflict: Conflict, history: ReleaseHistory, threshold: number): string {
  const small = `un effectif compris entre 1 et ${threshold}`;
  switch (conflict.kind) {
    case 'difference':
      return `combinée à ${describe(conflict.released, history)}, la case n° ${conflict.candidate + 1} isolerait ${small} (≤ ${threshold})`;
    case 'masked':
      return conflict.released === null
        ? `la case n° ${conflict.candidate + 1} redonnerait une case masquée de ${describe(conflict.masked, history)}`
        : `combinée à ${describe(conflict.released, history)}, la case n° ${conflict.candidate + 1} redonnerait une case masquée de ${describe(conflict.masked, history)}`;
    case 'linear': {
      const with_ = conflict.released ? ` (dont ${describe(conflict.released, history)})` : '';
      const what =
        conflict.masked !== undefined ? `une case masquée de ${describe(conflict.masked, history)}` : `${small} (≤ ${threshold})`;
      return `combinée aux requêtes précédentes${with_}, cette requête permettrait de recalculer ${what}`;
    }
    case 'history_full':
      return `ce contrat a atteint sa limite de ${conflict.cap} cases publiées : aucune nouvelle requête agrégée n’est possible sans l’accord du détenteur des données`;
  }
}

/**
 * Whether `candidate` (a protected result, as `ReleasedCell`s without `release`) may be released
 * after `history`. `atomCounts` returns the true number of people in a set of atoms.
 */
export function checkRelease(
  history: ReleaseHistory | readonly ReleasedCell[],
  candidate: readonly ReleasedCell[],
  atomCounts: (atoms: AtomSet) => number,
  policy: DifferencingPolicy,
): CheckResult {
  const h = history instanceof ReleaseHistory ? history : new ReleaseHistory(history);
  const p: Required<DifferencingPolicy> = {
    threshold: policy.threshold,
    overlaps: policy.overlaps ?? DIFFERENCING_DEFAULTS.overlaps,
    linear: policy.linear ?? DIFFERENCING_DEFAULTS.linear,
    maxEquations: policy.maxEquations ?? DIFFERENCING_DEFAULTS.maxEquations,
    maxClasses: policy.maxClasses ?? DIFFERENCING_DEFAULTS.maxClasses,
    maxCells: policy.maxCells ?? DIFFERENCING_DEFAULTS.maxCells,
  };
  if (!Number.isInteger(p.threshold) || p.threshold < 0)
    throw new RangeError(`threshold must be a non-negative integer, got ${p.threshold}`);
  candidate.forEach((cell, i) => assertAtomSet(cell.atoms, `candidate cell ${i}`));

  const stats: CheckStats = { overlapping: 0, linear: p.linear ? 'not_needed' : 'off', equations: 0, classes: 0 };
  const refuse = (conflicts: Conflict[]): CheckResult => ({
    ok: false,
    reason: reasonOf(conflicts[0]!, h, p.threshold),
    conflicts,
    stats,
  });

  if (h.size + candidate.length > p.maxCells) return refuse([{ kind: 'history_full', cells: h.size, cap: p.maxCells }]);

  const counts = new Map<string, number>();
  const count = (atoms: AtomSet): number => {
    const key = keyOf(atoms);
    let n = counts.get(key);
    if (n === undefined) counts.set(key, (n = atomCounts(atoms)));
    return n;
  };
  const small = (atoms: AtomSet): number | null => {
    if (atoms.length === 0) return null;
    const n = count(atoms);
    return n > 0 && n <= p.threshold ? n : null;
  };
  const candidateMasked = new Map<string, number>();
  candidate.forEach((cell, i) => {
    if (cell.value === null && !candidateMasked.has(keyOf(cell.atoms))) candidateMasked.set(keyOf(cell.atoms), i);
  });
  const maskedRef = (atoms: AtomSet, exceptCandidate = -1): CellRef | null => {
    const earlier = h.maskedWith(atoms);
    if (earlier !== undefined) return { source: 'history', index: earlier };
    const own = candidateMasked.get(keyOf(atoms));
    return own !== undefined && own !== exceptCandidate ? { source: 'candidate', index: own } : null;
  };

  const conflicts: Conflict[] = [];
  const overlappingAll = new Set<number>();
  candidate.forEach((c, i) => {
    const around = h.overlapping(c.atoms);
    for (const index of around) overlappingAll.add(index);
    if (c.value === null) return;
    // Check 2: the cell itself was masked before (or is masked elsewhere in this result).
    const same = maskedRef(c.atoms, i);
    if (same) conflicts.push({ kind: 'masked', candidate: i, released: null, masked: same });
    for (const index of around) {
      const r = h.cells[index]!;
      if (r.value === null) continue; // a masked cell publishes no value to subtract
      const released: CellRef = { source: 'history', index };
      const cOnly = atomDifference(c.atoms, r.atoms);
      const rOnly = atomDifference(r.atoms, c.atoms);
      if (cOnly.length === 0 && rOnly.length === 0) continue; // the same cell again: nothing new
      if (cOnly.length === 0 || rOnly.length === 0) {
        // Check 1, nested: C − R or R − C is exactly the count of D.
        const d = cOnly.length === 0 ? rOnly : cOnly;
        const relation = cOnly.length === 0 ? 'subset' : 'superset';
        const isolated = small(d);
        if (isolated !== null) conflicts.push({ kind: 'difference', candidate: i, released, relation, isolated });
        const masked = maskedRef(d);
        if (masked) conflicts.push({ kind: 'masked', candidate: i, released, masked });
      } else if (p.overlaps) {
        for (const d of [cOnly, rOnly]) {
          const isolated = small(d);
          if (isolated !== null) conflicts.push({ kind: 'difference', candidate: i, released, relation: 'overlap', isolated });
        }
      }
    }
  });
  // Check 2 within the candidate: two of its published cells, nested, give back a masked cell.
  // Small differences inside one result are protect()'s job (its margins and secondary suppression).
  for (let i = 0; i < candidate.length; i++) {
    const a = candidate[i]!;
    if (a.value === null) continue;
    for (let j = i + 1; j < candidate.length; j++) {
      const b = candidate[j]!;
      if (b.value === null || !intersects(a.atoms, b.atoms)) continue;
      const aOnly = atomDifference(a.atoms, b.atoms);
      const bOnly = atomDifference(b.atoms, a.atoms);
      if ((aOnly.length === 0) === (bOnly.length === 0)) continue; // equal, or overlapping only
      const masked = maskedRef(aOnly.length === 0 ? bOnly : aOnly);
      if (masked) conflicts.push({ kind: 'masked', candidate: i, released: { source: 'candidate', index: j }, masked });
    }
  }
  stats.overlapping = overlappingAll.size;
  if (conflicts.length > 0) return refuse(conflicts);

  if (p.linear && overlappingAll.size > 0) {
    const found = linearCheck(
      h,
      candidate,
      [...overlappingAll].sort((a, b) => a - b),
      count,
      p,
      stats,
    );
    if (found.length > 0) return refuse(found);
  }
  return { ok: true, stats };
}

// ——— Check 3 ———

const EPSILON = 1e-9;

interface Involved {
  ref: CellRef;
  cell: ReleasedCell;
}

/** Row-reduced basis of `rows` (each a pivot column and a fully reduced row). */
function reduce(rows: Float64Array[], width: number): { pivot: number; row: Float64Array }[] {
  const work = rows.map((r) => Float64Array.from(r));
  const basis: { pivot: number; row: Float64Array }[] = [];
  let top = 0;
  for (let c = 0; c < width && top < work.length; c++) {
    let best = top;
    for (let i = top + 1; i < work.length; i++) if (Math.abs(work[i]![c]!) > Math.abs(work[best]![c]!)) best = i;
    if (Math.abs(work[best]![c]!) < EPSILON) continue;
    [work[top], work[best]] = [work[best]!, work[top]!];
    const row = work[top]!;
    const pivot = row[c]!;
    for (let k = c; k < width; k++) row[k] = row[k]! / pivot;
    for (let i = 0; i < work.length; i++) {
      const other = work[i]!;
      const factor = other[c]!;
      if (i === top || Math.abs(factor) < EPSILON) continue;
      for (let k = c; k < width; k++) other[k] = other[k]! - factor * row[k]!;
    }
    basis.push({ pivot: c, row });
    top++;
  }
  return basis;
}

function inRowSpace(basis: readonly { pivot: number; row: Float64Array }[], target: Float64Array): boolean {
  const v = Float64Array.from(target);
  for (const { pivot, row } of basis) {
    const f = v[pivot]!;
    if (Math.abs(f) < EPSILON) continue;
    for (let k = 0; k < v.length; k++) v[k] = v[k]! - f * row[k]!;
  }
  return v.every((x) => Math.abs(x) < EPSILON);
}

/**
 * Published cells as equations over atom classes (maximal atom sets that every involved cell
 * contains wholly or not at all); reports masked cells and small classes that the history and the
 * candidate determine together but neither determines alone.
 */
function linearCheck(
  h: ReleaseHistory,
  candidate: readonly ReleasedCell[],
  overlapping: readonly number[],
  count: (atoms: AtomSet) => number,
  p: Required<DifferencingPolicy>,
  stats: CheckStats,
): Conflict[] {
  // Earlier cells connected to the candidate through shared atoms, breadth first and the most
  // recent first at each hop: T − A − B − C needs A and B, which share nothing with C but do with T.
  const seen = new Set<number>(overlapping);
  const order = [...overlapping].reverse();
  // Each expansion is one index lookup; at most maxEquations of them, since it stops once past the cap.
  for (let next = 0; next < order.length && order.length <= p.maxEquations; next++) {
    for (const index of h.overlapping(h.cells[order[next]!]!.atoms).reverse()) {
      if (seen.has(index)) continue;
      seen.add(index);
      order.push(index);
    }
  }
  const fromCandidate: Involved[] = candidate.map((cell, index) => ({ ref: { source: 'candidate', index }, cell }));
  const earlier: Involved[] = order.slice(0, p.maxEquations).map((index) => ({ ref: { source: 'history', index }, cell: h.cells[index]! }));
  const truncated = order.length > p.maxEquations;
  const kept = [...fromCandidate, ...earlier].filter((x) => x.cell.value !== null);
  const masked = [...fromCandidate, ...earlier].filter((x) => x.cell.value === null);
  stats.linear = truncated ? 'truncated' : 'checked';
  stats.equations = kept.length;
  const involved = [...kept, ...masked];

  // Elementary intervals between every run boundary; each has one membership signature.
  const bounds = [...new Set(involved.flatMap((x) => x.cell.atoms))].sort((a, b) => a - b);
  const members: number[][] = bounds.map(() => []);
  involved.forEach((x, cellIndex) => {
    const atoms = x.cell.atoms;
    for (let r = 0; r < atoms.length; r += 2) {
      let k = lowerBound(bounds, atoms[r]!);
      for (; bounds[k]! < atoms[r + 1]!; k++) members[k]!.push(cellIndex);
    }
  });
  const classes = new Map<string, { members: number[]; runs: number[] }>();
  for (let k = 0; k + 1 < bounds.length; k++) {
    if (members[k]!.length === 0) continue;
    const key = members[k]!.join(',');
    let cls = classes.get(key);
    if (!cls) classes.set(key, (cls = { members: members[k]!, runs: [] }));
    // Adjacent intervals of one class merge, so its runs stay a normalised AtomSet.
    if (cls.runs[cls.runs.length - 1] === bounds[k]) cls.runs[cls.runs.length - 1] = bounds[k + 1]!;
    else cls.runs.push(bounds[k]!, bounds[k + 1]!);
  }
  stats.classes = classes.size;
  if (classes.size > p.maxClasses) {
    stats.linear = 'skipped';
    return [];
  }
  const list = [...classes.values()];
  const width = list.length;
  const rowOf = (cellIndex: number): Float64Array => {
    const row = new Float64Array(width);
    list.forEach((cls, c) => {
      if (cls.members.includes(cellIndex)) row[c] = 1;
    });
    return row;
  };
  const rows = kept.map((_, i) => rowOf(i));
  const all = reduce(rows, width);
  let alone: [ReturnType<typeof reduce>, ReturnType<typeof reduce>] | undefined;
  // A target the history already determined is an earlier leak, not this query's doing. One the
  // candidate determines alone is protect()'s business when it lies within that result (its own
  // masked cells, a small class); an earlier masked cell stays the history's, whoever unmasks it.
  const newlyDetermined = (target: Float64Array, ownedByCandidate: boolean): boolean => {
    if (!inRowSpace(all, target)) return false;
    alone ??= [
      reduce(
        rows.filter((_, i) => kept[i]!.ref.source === 'history'),
        width,
      ),
      reduce(
        rows.filter((_, i) => kept[i]!.ref.source === 'candidate'),
        width,
      ),
    ];
    return !inRowSpace(alone[0], target) && !(ownedByCandidate && inRowSpace(alone[1], target));
  };
  const latestEarlier = (classIndices: number[]): CellRef | null => {
    let best: CellRef | null = null;
    kept.forEach((x, i) => {
      if (x.ref.source !== 'history' || !classIndices.some((c) => list[c]!.members.includes(i))) return;
      if (best === null || x.ref.index > best.index) best = x.ref;
    });
    return best;
  };

  const found: Conflict[] = [];
  masked.forEach((x, m) => {
    const cellIndex = kept.length + m;
    const target = rowOf(cellIndex);
    if (!newlyDetermined(target, x.ref.source === 'candidate')) return;
    const touched = list.map((cls, c) => (cls.members.includes(cellIndex) ? c : -1)).filter((c) => c >= 0);
    found.push({ kind: 'linear', released: latestEarlier(touched), masked: x.ref });
  });
  list.forEach((cls, c) => {
    const n = count(cls.runs);
    if (n === 0 || n > p.threshold) return;
    const target = new Float64Array(width);
    target[c] = 1;
    if (newlyDetermined(target, true)) found.push({ kind: 'linear', released: latestEarlier([c]), isolated: n });
  });
  return found;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
