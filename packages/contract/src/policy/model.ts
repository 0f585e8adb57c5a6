import {
  CONFLICT_STRATEGIES,
  LOGICAL_OPERATORS,
  ODRL_CONTEXT,
  ODRL_NAMESPACE,
  OPERATORS,
  POLICY_TYPES,
  XSD_NAMESPACE,
  isKnownAction,
  isKnownLeftOperand,
  term,
  type ConflictStrategy,
  type LogicalOperator,
  type Operator,
  type PolicyType,
} from './terms';

/**
 * An ODRL 2.2 policy read from compact JSON-LD (the ODRL context, plus prefixes) into a plain
 * model the evaluator walks without any JSON-LD processing. Reading never throws: it returns the
 * model or every problem with the JSON path that holds it, in French, so an editor can point at it.
 */

export type LiteralKind = 'iri' | 'string' | 'number' | 'boolean' | 'dateTime' | 'date' | 'duration';
export interface Literal {
  kind: LiteralKind;
  /** Canonical term for IRIs (`dpv:AcademicResearch`, `cf:members`), the lexical form otherwise. */
  value: string;
}

export interface AtomicConstraint {
  kind: 'atomic';
  path: string;
  id?: string;
  leftOperand: string;
  operator: Operator;
  /** One or more values; several mean a set (`isAnyOf`, `isNoneOf`, `isAllOf`). */
  rightOperand: Literal[];
  rightOperandReference?: string;
  unit?: string;
}
export interface LogicalConstraint {
  kind: 'logical';
  path: string;
  id?: string;
  operator: LogicalOperator;
  constraints: Constraint[];
}
export type Constraint = AtomicConstraint | LogicalConstraint;

/** A party or an asset: one IRI, or a collection (members by `partOf`, narrowed by refinements). */
export interface Reference {
  id: string;
  collection: boolean;
  source?: string;
  refinements: Constraint[];
}

export type RuleKind = 'permission' | 'prohibition' | 'obligation' | 'duty' | 'remedy' | 'consequence';
export interface Rule {
  kind: RuleKind;
  path: string;
  id?: string;
  action: string;
  /** `@id` of the action node, when the action is refined (compliance reports name it). */
  actionId?: string;
  refinements: Constraint[];
  target?: Reference;
  assignee?: Reference;
  assigner?: Reference;
  constraints: Constraint[];
  /** Duties of a permission, remedies of a prohibition, consequences of a duty. */
  duties: Rule[];
}

export interface Policy {
  uid: string;
  type: PolicyType;
  profiles: string[];
  conflict: ConflictStrategy;
  permissions: Rule[];
  prohibitions: Rule[];
  obligations: Rule[];
}

export interface PolicyIssue {
  path: string;
  message: string;
}

export type ReadResult = { ok: true; policy: Policy } | { ok: false; issues: PolicyIssue[] };

export interface ReadOptions {
  /**
   * `profile` (the default) accepts only ODRL 2.2 terms and the Confiance profile: what the offer
   * editor stores. `open` also accepts terms of other vocabularies (full IRIs or declared
   * prefixes), as foreign policies and the conformance suites use them.
   */
  vocabulary?: 'profile' | 'open';
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: Json): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

const DATATYPES: Record<string, LiteralKind> = {
  dateTime: 'dateTime',
  dateTimeStamp: 'dateTime',
  date: 'date',
  duration: 'duration',
  dayTimeDuration: 'duration',
  yearMonthDuration: 'duration',
  integer: 'number',
  int: 'number',
  long: 'number',
  decimal: 'number',
  double: 'number',
  float: 'number',
  nonNegativeInteger: 'number',
  positiveInteger: 'number',
  boolean: 'boolean',
  string: 'string',
};

/** Levels of nesting a policy may have (rules in duties, constraints in logical constraints). */
const MAX_DEPTH = 24;

class Reader {
  readonly issues: PolicyIssue[] = [];
  private readonly prefixes = new Map<string, string>([
    ['odrl', ODRL_NAMESPACE],
    ['xsd', XSD_NAMESPACE],
    ['rdf', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'],
    ['cf', 'https://w3id.org/confiance/odrl#'],
    ['dpv', 'https://w3id.org/dpv#'],
  ]);

  constructor(private readonly open: boolean) {}

  problem(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  readContext(ctx: Json, path: string): void {
    const entries = asArray(ctx);
    let odrl = false;
    for (const [i, c] of entries.entries()) {
      if (typeof c === 'string') {
        if (c === ODRL_CONTEXT || c === ODRL_CONTEXT.replace('http:', 'https:')) odrl = true;
        continue;
      }
      if (!isObject(c)) {
        this.problem(`${path}[${i}]`, 'un contexte est une URL ou un objet de préfixes');
        continue;
      }
      for (const [k, v] of Object.entries(c)) {
        if (typeof v === 'string' && /^[a-zA-Z][\w-]*$/.test(k)) this.prefixes.set(k, v);
      }
    }
    if (!odrl) this.problem(path, `le @context doit inclure le contexte ODRL 2.2 (${ODRL_CONTEXT})`);
  }

  /** Expand declared prefixes, then shorten to the canonical term. */
  iri(value: string): string {
    const m = /^([a-zA-Z][\w-]*):(?!\/\/)(.*)$/.exec(value);
    if (m) {
      const ns = this.prefixes.get(m[1]!);
      if (ns !== undefined) return term(ns + m[2]!);
    }
    return term(value);
  }

  /** A term in a vocabulary position (action, left operand): known, or foreign only when open. */
  vocabularyTerm(raw: Json, path: string, what: 'action' | 'leftOperand'): string | null {
    const value = isObject(raw) && typeof raw['@id'] === 'string' ? raw['@id'] : raw;
    if (typeof value !== 'string' || value.length === 0) {
      this.problem(path, what === 'action' ? 'une action ODRL est attendue (par exemple "use")' : 'un opérande gauche ODRL est attendu');
      return null;
    }
    const t = this.iri(value);
    const known = what === 'action' ? isKnownAction(t) : isKnownLeftOperand(t);
    if (known) return t;
    const bare = !t.includes(':');
    if (bare || t.startsWith('cf:') || !this.open) {
      const kind = what === 'action' ? 'une action' : 'un opérande gauche';
      this.problem(path, `« ${value} » n’est pas ${kind} d’ODRL 2.2 ni du profil Confiance`);
      return null;
    }
    return t;
  }

  literal(v: Json, path: string): Literal | null {
    if (typeof v === 'number') return { kind: 'number', value: String(v) };
    if (typeof v === 'boolean') return { kind: 'boolean', value: String(v) };
    if (typeof v === 'string') {
      const looksLikeIri = /^[a-zA-Z][\w+.-]*:\S+$/.test(v) && !/^\d/.test(v);
      return looksLikeIri && (v.includes('://') || this.prefixes.has(v.split(':')[0]!))
        ? { kind: 'iri', value: this.iri(v) }
        : { kind: 'string', value: v };
    }
    if (isObject(v)) {
      if (typeof v['@id'] === 'string') return { kind: 'iri', value: this.iri(v['@id']) };
      const raw = v['@value'];
      if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
        const type = typeof v['@type'] === 'string' ? this.iri(v['@type']) : null;
        const local = type?.startsWith(XSD_NAMESPACE) ? type.slice(XSD_NAMESPACE.length) : null;
        const kind: LiteralKind = local
          ? (DATATYPES[local] ?? 'string')
          : typeof raw === 'number'
            ? 'number'
            : typeof raw === 'boolean'
              ? 'boolean'
              : 'string';
        const value = String(raw);
        if (!validLexical(kind, value) || (local !== null && !validXsd(local, value))) {
          this.problem(path, `« ${value} » n’est pas une valeur ${KIND_LABEL[kind]} valide`);
          return null;
        }
        return { kind, value };
      }
    }
    this.problem(path, 'une valeur est attendue : texte, nombre, {"@value", "@type"} ou {"@id"}');
    return null;
  }

  /**
   * Nesting is bounded: a policy of ten thousand nested `and`s would otherwise exhaust the stack,
   * and a client's mistake must come back as a 400 naming the path, never a 500.
   */
  tooDeep(path: string): boolean {
    if (path.split('.').length <= MAX_DEPTH) return false;
    this.problem(path, `trop d’imbrications (au plus ${MAX_DEPTH} niveaux)`);
    return true;
  }

  constraint(raw: Json, path: string): Constraint | null {
    if (this.tooDeep(path)) return null;
    if (!isObject(raw)) {
      this.problem(path, 'une contrainte est un objet');
      return null;
    }
    const id = typeof raw['@id'] === 'string' ? raw['@id'] : typeof raw.uid === 'string' ? raw.uid : undefined;
    const logical = LOGICAL_OPERATORS.filter((op) => raw[op] !== undefined);
    if (logical.length > 0) {
      if (logical.length > 1) this.problem(path, `une contrainte logique n’a qu’un opérateur (ici : ${logical.join(', ')})`);
      const operator = logical[0]!;
      // `and: {"@list": […]}` is how JSON-LD writes an ordered list.
      const listed = raw[operator];
      const items = isObject(listed) && Array.isArray(listed['@list']) ? listed['@list'] : asArray(listed);
      if (items.length < 2 && operator !== 'and')
        this.problem(`${path}.${operator}`, 'une contrainte logique relie au moins deux contraintes');
      const constraints = items.map((c, i) => this.constraint(c, `${path}.${operator}[${i}]`)).filter((c): c is Constraint => c !== null);
      return { kind: 'logical', path, ...(id ? { id } : {}), operator, constraints };
    }
    const leftOperand = this.vocabularyTerm(raw.leftOperand, `${path}.leftOperand`, 'leftOperand');
    const opRaw =
      typeof raw.operator === 'string'
        ? this.iri(raw.operator)
        : isObject(raw.operator) && typeof raw.operator['@id'] === 'string'
          ? this.iri(raw.operator['@id'])
          : null;
    const operator = (OPERATORS as readonly string[]).includes(opRaw ?? '') ? (opRaw as Operator) : null;
    if (!operator) this.problem(`${path}.operator`, `opérateur inconnu${opRaw ? ` « ${opRaw} »` : ''} : ${OPERATORS.join(', ')}`);
    const reference = typeof raw.rightOperandReference === 'string' ? raw.rightOperandReference : undefined;
    const values = asArray(raw.rightOperand);
    if (values.length === 0 && !reference) this.problem(`${path}.rightOperand`, 'la contrainte n’a pas de valeur (rightOperand)');
    const rightOperand = values.map((v, i) =>
      this.literal(v, values.length > 1 || Array.isArray(raw.rightOperand) ? `${path}.rightOperand[${i}]` : `${path}.rightOperand`),
    );
    if (values.length > 1 && operator && !['isAnyOf', 'isNoneOf', 'isAllOf', 'hasPart'].includes(operator)) {
      this.problem(
        `${path}.operator`,
        `« ${operator} » compare à une seule valeur ; pour plusieurs valeurs, utilisez isAnyOf, isNoneOf ou isAllOf`,
      );
    }
    if (!leftOperand || !operator || rightOperand.some((v) => v === null)) return null;
    const unit =
      typeof raw.unit === 'string'
        ? this.iri(raw.unit)
        : isObject(raw.unit) && typeof raw.unit['@id'] === 'string'
          ? this.iri(raw.unit['@id'])
          : undefined;
    return {
      kind: 'atomic',
      path,
      ...(id ? { id } : {}),
      leftOperand,
      operator,
      rightOperand: rightOperand as Literal[],
      ...(reference ? { rightOperandReference: reference } : {}),
      ...(unit ? { unit } : {}),
    };
  }

  constraints(raw: Json, path: string): Constraint[] {
    const items = asArray(raw);
    return items.map((c, i) => this.constraint(c, `${path}[${i}]`)).filter((c): c is Constraint => c !== null);
  }

  reference(raw: Json, path: string): Reference | undefined {
    if (raw === undefined) return undefined;
    if (typeof raw === 'string') return { id: this.iri(raw), collection: false, refinements: [] };
    if (isObject(raw)) {
      const id =
        typeof raw['@id'] === 'string'
          ? raw['@id']
          : typeof raw.uid === 'string'
            ? raw.uid
            : typeof raw.source === 'string'
              ? raw.source
              : null;
      const types = asArray(raw['@type']).map((t) => (typeof t === 'string' ? this.iri(t) : ''));
      const collection =
        types.some((t) => t === 'PartyCollection' || t === 'AssetCollection') || raw.source !== undefined || raw.refinement !== undefined;
      if (!id) {
        this.problem(path, 'une partie ou une ressource a un identifiant (@id, uid ou source)');
        return undefined;
      }
      return {
        id: this.iri(id),
        collection,
        ...(typeof raw.source === 'string' ? { source: this.iri(raw.source) } : {}),
        refinements: this.constraints(raw.refinement, `${path}.refinement`),
      };
    }
    this.problem(path, 'une partie ou une ressource est une IRI ou un objet');
    return undefined;
  }

  rule(raw: Json, path: string, kind: RuleKind, inherited: Pick<Rule, 'target' | 'assignee' | 'assigner'>): Rule | null {
    if (this.tooDeep(path)) return null;
    if (!isObject(raw)) {
      this.problem(path, 'une règle est un objet');
      return null;
    }
    const actions = asArray(raw.action);
    if (actions.length !== 1) {
      this.problem(`${path}.action`, actions.length === 0 ? 'la règle n’a pas d’action' : 'une règle porte exactement une action');
    }
    let action: string | null = null;
    let actionId: string | undefined;
    let refinements: Constraint[] = [];
    const a = actions[0];
    if (isObject(a) && (a['rdf:value'] !== undefined || a.value !== undefined || a.refinement !== undefined)) {
      action = this.vocabularyTerm(a['rdf:value'] ?? a.value, `${path}.action.rdf:value`, 'action');
      actionId = typeof a['@id'] === 'string' ? a['@id'] : undefined;
      refinements = this.constraints(a.refinement, `${path}.action.refinement`);
    } else if (a !== undefined) {
      action = this.vocabularyTerm(a, `${path}.action`, 'action');
    }
    const target = this.reference(raw.target, `${path}.target`) ?? inherited.target;
    const assignee = this.reference(raw.assignee, `${path}.assignee`) ?? inherited.assignee;
    const assigner = this.reference(raw.assigner, `${path}.assigner`) ?? inherited.assigner;
    const constraints = this.constraints(raw.constraint, `${path}.constraint`);
    const nestedKey =
      kind === 'permission' ? 'duty' : kind === 'prohibition' ? 'remedy' : kind === 'duty' || kind === 'obligation' ? 'consequence' : null;
    const nestedKind: RuleKind = kind === 'permission' ? 'duty' : kind === 'prohibition' ? 'remedy' : 'consequence';
    const duties = nestedKey
      ? asArray(raw[nestedKey])
          .map((d, i) => this.rule(d, `${path}.${nestedKey}[${i}]`, nestedKind, {}))
          .filter((d): d is Rule => d !== null)
      : [];
    if (action === null) return null;
    const id = typeof raw['@id'] === 'string' ? raw['@id'] : typeof raw.uid === 'string' ? raw.uid : undefined;
    return {
      kind,
      path,
      ...(id ? { id } : {}),
      action,
      ...(actionId ? { actionId } : {}),
      refinements,
      ...(target ? { target } : {}),
      ...(assignee ? { assignee } : {}),
      ...(assigner ? { assigner } : {}),
      constraints,
      duties,
    };
  }
}

const KIND_LABEL: Record<LiteralKind, string> = {
  iri: 'd’IRI',
  string: 'de texte',
  number: 'numérique',
  boolean: 'booléenne',
  dateTime: 'de date et heure (xsd:dateTime)',
  date: 'de date (xsd:date)',
  duration: 'de durée ISO 8601 (xsd:duration, par exemple P12M)',
};

const DURATION = /^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const ZONE = '(Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))?';
const DATE = new RegExp(`^-?\\d{4,}-(\\d{2})-(\\d{2})${ZONE}$`);
const DATE_TIME = new RegExp(`^-?\\d{4,}-(\\d{2})-(\\d{2})T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?${ZONE}$`);

/** A real calendar day: `2024-02-30` matches the pattern but is no date. */
function calendarDay(value: string): boolean {
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** The lexical space of the XSD datatype itself (an `xsd:integer` has no decimals). */
function validXsd(local: string, value: string): boolean {
  switch (local) {
    case 'integer':
    case 'int':
    case 'long':
      return /^[+-]?\d+$/.test(value);
    case 'nonNegativeInteger':
      return /^\+?\d+$/.test(value) || /^-0+$/.test(value);
    case 'positiveInteger':
      return /^\+?\d+$/.test(value) && /[1-9]/.test(value);
    case 'decimal':
      return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value);
    case 'dayTimeDuration':
      return !/\d[YM]/.test(value.split('T')[0]!);
    case 'yearMonthDuration':
      return !value.includes('T') && !/\d[WD]/.test(value);
    default:
      return true;
  }
}

function validLexical(kind: LiteralKind, value: string): boolean {
  switch (kind) {
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value));
    case 'boolean':
      return value === 'true' || value === 'false' || value === '1' || value === '0';
    case 'dateTime':
      return DATE_TIME.test(value) && calendarDay(value);
    case 'date':
      return DATE.test(value) && calendarDay(value);
    case 'duration':
      return DURATION.test(value);
    case 'iri':
    case 'string':
      return true;
  }
}

/** Read a compact JSON-LD ODRL policy. */
export function readPolicy(json: Json, options: ReadOptions = {}): ReadResult {
  const r = new Reader(options.vocabulary === 'open');
  if (!isObject(json)) return { ok: false, issues: [{ path: '', message: 'une politique ODRL est un objet JSON-LD' }] };
  r.readContext(json['@context'], '@context');
  const rawType = typeof json['@type'] === 'string' ? r.iri(json['@type']) : null;
  const type = (POLICY_TYPES as readonly string[]).includes(rawType ?? '') ? (rawType as PolicyType) : null;
  if (!type) r.problem('@type', `le type de politique doit être l’un de : ${POLICY_TYPES.join(', ')}`);
  const uid = typeof json.uid === 'string' ? json.uid : typeof json['@id'] === 'string' ? json['@id'] : null;
  if (!uid) r.problem('uid', 'une politique a un identifiant (uid)');
  const conflictRaw = json.conflict === undefined ? 'prohibit' : typeof json.conflict === 'string' ? r.iri(json.conflict) : '';
  const conflict = (CONFLICT_STRATEGIES as readonly string[]).includes(conflictRaw) ? (conflictRaw as ConflictStrategy) : null;
  if (!conflict) r.problem('conflict', `stratégie de conflit inconnue : ${CONFLICT_STRATEGIES.join(', ')}`);
  const inherited = {
    target: r.reference(json.target, 'target'),
    assignee: r.reference(json.assignee, 'assignee'),
    assigner: r.reference(json.assigner, 'assigner'),
  };
  const clean = Object.fromEntries(Object.entries(inherited).filter(([, v]) => v !== undefined)) as Pick<
    Rule,
    'target' | 'assignee' | 'assigner'
  >;
  const rules = (key: 'permission' | 'prohibition' | 'obligation') =>
    asArray(json[key])
      .map((x, i) => r.rule(x, `${key}[${i}]`, key, clean))
      .filter((x): x is Rule => x !== null);
  const permissions = rules('permission');
  const prohibitions = rules('prohibition');
  const obligations = rules('obligation');
  if (asArray(json.permission).length + asArray(json.prohibition).length + asArray(json.obligation).length === 0) {
    r.problem('permission', 'une politique contient au moins une règle (permission, prohibition ou obligation)');
  }
  if (type === 'Offer' && !inherited.assigner && permissions.concat(prohibitions).some((x) => !x.assigner)) {
    r.problem('assigner', 'une offre (Offer) nomme son fournisseur (assigner)');
  }
  if (type === 'Agreement' && permissions.concat(prohibitions).some((x) => !x.assigner || !x.assignee)) {
    r.problem('assignee', 'un accord (Agreement) nomme ses deux parties (assigner et assignee)');
  }
  if (r.issues.length > 0 || !type || !uid || !conflict) return { ok: false, issues: r.issues };
  return {
    ok: true,
    policy: {
      uid,
      type,
      profiles: asArray(json.profile).filter((p): p is string => typeof p === 'string'),
      conflict,
      permissions,
      prohibitions,
      obligations,
    },
  };
}
