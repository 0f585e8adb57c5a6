import fs from 'node:fs';
import { DataFactory, Parser, Store, type Quad, type Term } from 'n3';
import type { EvaluationRequest, Satisfaction } from './evaluate';
import { ODRL_CONTEXT, ODRL_NAMESPACE } from './terms';

/**
 * Test support (never imported by `src`): turns the Turtle of the conformance fixtures into what
 * Confiance reads — a compact JSON-LD policy for `readPolicy(…, { vocabulary: 'open' })`, and the
 * request and state objects of `evaluatePolicy` — plus the expected compliance report. The
 * conversion is literal: every IRI is written in full and every literal keeps its datatype, so
 * the reader, not this adapter, decides what the terms mean.
 */

export const NS = {
  odrl: ODRL_NAMESPACE,
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dct: 'http://purl.org/dc/terms/',
  ex: 'http://example.org/',
  temp: 'http://example.com/request/',
  report: 'https://w3id.org/force/compliance-report#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  owl: 'http://www.w3.org/2002/07/owl#',
} as const;
const TYPE = `${NS.rdf}type`;

export function parseTurtle(text: string): Store {
  const store = new Store();
  store.addQuads(new Parser().parse(text));
  return store;
}

export function readTurtle(file: URL): Store {
  return parseTurtle(fs.readFileSync(file, 'utf8'));
}

export class Graph {
  constructor(readonly store: Store) {}

  objects(s: Term, p: string): Term[] {
    return this.store.getObjects(s, p, null);
  }
  object(s: Term, p: string): Term | undefined {
    return this.objects(s, p)[0];
  }
  subjects(p: string, o: Term | string | null): Term[] {
    return this.store.getSubjects(p, o, null);
  }
  types(s: Term): string[] {
    return this.objects(s, TYPE).map((t) => t.value);
  }
  is(s: Term, type: string): boolean {
    return this.store.getQuads(s, TYPE, type, null).length > 0;
  }
  quads(s: Term | null, p: string | null, o: Term | string | null): Quad[] {
    return this.store.getQuads(s, p, o, null);
  }
}

// ---------------------------------------------------------------------------------------------
// Policy → compact JSON-LD

type Json = Record<string, unknown>;
const POLICY_CLASSES = ['Policy', 'Set', 'Offer', 'Agreement', 'Request', 'Privacy', 'Ticket', 'Assertion'].map((t) => NS.odrl + t);
const LOGICAL = ['and', 'or', 'xone', 'andSequence'] as const;

function value(g: Graph, t: Term): unknown {
  if (t.termType === 'Literal') return { '@value': t.value, '@type': t.datatype.value };
  if (t.termType === 'NamedNode') return { '@id': t.value };
  return g.objects(t, `${NS.rdf}first`).length > 0 ? list(g, t).map((x) => value(g, x)) : {};
}

function list(g: Graph, head: Term): Term[] {
  const out: Term[] = [];
  for (let n: Term | undefined = head; n && n.value !== `${NS.rdf}nil`; n = g.object(n, `${NS.rdf}rest`)) {
    const first = g.object(n, `${NS.rdf}first`);
    if (first) out.push(first);
  }
  return out;
}

const withId = (t: Term): Json => (t.termType === 'NamedNode' ? { '@id': t.value } : {});
const one = (xs: unknown[]): unknown => (xs.length === 1 ? xs[0] : xs);

function constraint(g: Graph, c: Term): Json {
  for (const op of LOGICAL) {
    const members = g.objects(c, NS.odrl + op);
    if (members.length > 0) {
      // `andSequence` is ordered: an RDF list; the others are plain repeated values.
      const items = members.length === 1 && g.object(members[0]!, `${NS.rdf}first`) ? list(g, members[0]!) : members;
      return { ...withId(c), [op]: items.map((x) => constraint(g, x)) };
    }
  }
  const json: Json = { ...withId(c) };
  const lo = g.object(c, `${NS.odrl}leftOperand`);
  const op = g.object(c, `${NS.odrl}operator`);
  if (lo) json.leftOperand = lo.value;
  if (op) json.operator = op.value;
  const right = g.objects(c, `${NS.odrl}rightOperand`);
  if (right.length > 0) json.rightOperand = one(right.map((r) => value(g, r)));
  const reference = g.object(c, `${NS.odrl}rightOperandReference`);
  if (reference) json.rightOperandReference = reference.value;
  const unit = g.object(c, `${NS.odrl}unit`);
  if (unit) json.unit = unit.value;
  return json;
}

function reference(g: Graph, t: Term): unknown {
  const collection = g.types(t).some((x) => x === `${NS.odrl}PartyCollection` || x === `${NS.odrl}AssetCollection`);
  const source = g.object(t, `${NS.odrl}source`);
  const refinements = g.objects(t, `${NS.odrl}refinement`);
  if (!collection && !source && refinements.length === 0) return t.value;
  return {
    ...withId(t),
    ...(collection ? { '@type': g.types(t) } : {}),
    ...(source ? { source: source.value } : {}),
    ...(refinements.length > 0 ? { refinement: refinements.map((r) => constraint(g, r)) } : {}),
  };
}

function action(g: Graph, a: Term): unknown {
  const v = g.object(a, `${NS.rdf}value`);
  if (!v) return a.value;
  return {
    ...withId(a),
    'rdf:value': { '@id': v.value },
    refinement: g.objects(a, `${NS.odrl}refinement`).map((r) => constraint(g, r)),
  };
}

function rule(g: Graph, r: Term): Json {
  const json: Json = { ...withId(r) };
  const actions = g.objects(r, `${NS.odrl}action`);
  if (actions.length > 0) json.action = one(actions.map((a) => action(g, a)));
  for (const key of ['target', 'assignee', 'assigner'] as const) {
    const t = g.object(r, NS.odrl + key);
    if (t) json[key] = reference(g, t);
  }
  const constraints = g.objects(r, `${NS.odrl}constraint`);
  if (constraints.length > 0) json.constraint = constraints.map((c) => constraint(g, c));
  for (const key of ['duty', 'remedy', 'consequence'] as const) {
    const nested = g.objects(r, NS.odrl + key);
    if (nested.length > 0) json[key] = nested.map((d) => rule(g, d));
  }
  return json;
}

/** The policy node of a graph: typed with an ODRL policy class, or holding rules. */
export function findPolicy(g: Graph): Term | undefined {
  for (const cls of POLICY_CLASSES) {
    const found = g.subjects(TYPE, cls).filter((s) => !g.is(s, `${NS.odrl}Request`) || cls === `${NS.odrl}Request`);
    if (found[0]) return found[0];
  }
  return ['permission', 'prohibition', 'obligation'].flatMap((k) => g.subjects(NS.odrl + k, null))[0];
}

/** The policy as compact JSON-LD with the ODRL context, every term written as a full IRI. */
export function policyJson(g: Graph, policy: Term): Json {
  const type = g.types(policy).find((t) => POLICY_CLASSES.includes(t));
  const uid = g.object(policy, `${NS.odrl}uid`);
  const json: Json = { '@context': ODRL_CONTEXT, ...withId(policy) };
  if (type) json['@type'] = type;
  if (uid) json.uid = uid.value;
  const conflict = g.object(policy, `${NS.odrl}conflict`);
  if (conflict) json.conflict = conflict.value;
  const profiles = g.objects(policy, `${NS.odrl}profile`);
  if (profiles.length > 0) json.profile = one(profiles.map((p) => p.value));
  for (const key of ['target', 'assignee', 'assigner'] as const) {
    const t = g.object(policy, NS.odrl + key);
    if (t) json[key] = reference(g, t);
  }
  for (const key of ['permission', 'prohibition', 'obligation'] as const) {
    const rules = g.objects(policy, NS.odrl + key);
    if (rules.length > 0) json[key] = rules.map((r) => rule(g, r));
  }
  return json;
}

// ---------------------------------------------------------------------------------------------
// SolidLab requests, states of the world and compliance reports

/** An `odrl:Request` policy: its (single) permission is what is asked. */
export function requestOf(g: Graph): { id: string; action: string; target?: string; assignee?: string } {
  const policy = findPolicy(g);
  const permission = policy && g.object(policy, `${NS.odrl}permission`);
  if (!permission) throw new Error('request without a permission');
  const action = g.object(permission, `${NS.odrl}action`);
  if (!action) throw new Error('request without an action');
  const target = g.object(permission, `${NS.odrl}target`)?.value;
  const assignee = g.object(permission, `${NS.odrl}assignee`)?.value;
  return { id: permission.value, action: action.value, ...(target ? { target } : {}), ...(assignee ? { assignee } : {}) };
}

/**
 * The state of the world: `temp:currentTime dct:issued` is the time, `odrl:partOf` the
 * memberships, and the duty reports (`report:rule` + `report:deonticState`) what was done.
 */
export function stateOf(g: Graph): NonNullable<EvaluationRequest['state']> {
  const now = g.object(DataFactory.namedNode(`${NS.temp}currentTime`), `${NS.dct}issued`);
  const partOf: Record<string, string[]> = {};
  for (const q of g.quads(null, `${NS.odrl}partOf`, null)) (partOf[q.subject.value] ??= []).push(q.object.value);
  const duties: Record<string, 'fulfilled' | 'violated'> = {};
  for (const report of g.subjects(TYPE, `${NS.report}DutyReport`)) {
    const ruleId = g.object(report, `${NS.report}rule`)?.value;
    const state = g.object(report, `${NS.report}deonticState`)?.value;
    if (!ruleId) continue;
    if (state === `${NS.report}Fulfilled`) duties[ruleId] = 'fulfilled';
    if (state === `${NS.report}Violated`) duties[ruleId] = 'violated';
  }
  return { ...(now ? { now: now.value } : {}), partOf, duties };
}

export interface ExpectedConstraint {
  constraint: string;
  state: Exclude<Satisfaction, 'not_applicable'>;
}
export interface ExpectedRule {
  kind: 'permission' | 'prohibition' | 'obligation';
  rule: string;
  state: 'active' | 'inactive';
  target?: Satisfaction;
  party?: Satisfaction;
  action?: Satisfaction;
  constraints: ExpectedConstraint[];
}

const SATISFACTION: Record<string, Exclude<Satisfaction, 'not_applicable'>> = {
  [`${NS.report}Satisfied`]: 'satisfied',
  [`${NS.report}Unsatisfied`]: 'not_satisfied',
};

/** The rule reports of the expected `report:PolicyReport`, with their premises flattened. */
export function expectedRules(g: Graph): ExpectedRule[] {
  const report = g.subjects(TYPE, `${NS.report}PolicyReport`)[0];
  if (!report) throw new Error('no expected policy report');
  return g.objects(report, `${NS.report}ruleReport`).map((r) => {
    const types = g.types(r);
    const kind = types.includes(`${NS.report}PermissionReport`)
      ? 'permission'
      : types.includes(`${NS.report}ProhibitionReport`)
        ? 'prohibition'
        : 'obligation';
    const activation = g.object(r, `${NS.report}activationState`)?.value;
    const expected: ExpectedRule = {
      kind,
      rule: g.object(r, `${NS.report}rule`)?.value ?? '',
      state: activation === `${NS.report}Active` ? 'active' : 'inactive',
      constraints: [],
    };
    const walk = (premise: Term): void => {
      const state = SATISFACTION[g.object(premise, `${NS.report}satisfactionState`)?.value ?? ''];
      const t = g.types(premise);
      if (state && t.includes(`${NS.report}TargetReport`)) expected.target = state;
      if (state && t.includes(`${NS.report}PartyReport`)) expected.party = state;
      if (state && t.includes(`${NS.report}ActionReport`)) expected.action = state;
      if (t.includes(`${NS.report}ConstraintReport`)) {
        const c = g.object(premise, `${NS.report}constraint`)?.value;
        if (c && state) expected.constraints.push({ constraint: c, state });
        g.objects(premise, `${NS.report}premiseReport`).forEach(walk);
      }
    };
    g.objects(r, `${NS.report}premiseReport`).forEach(walk);
    return expected;
  });
}
