import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMMON_PURPOSES,
  DPV_NAMESPACE,
  DPV_PURPOSES,
  isPurpose,
  purposeAncestors,
  purposeDescendants,
  purposeIri,
  purposeLabel,
  purposeSatisfies,
  purposeTerm,
} from './dpv';

/** RFC 4180: fields may be quoted, a quoted field may hold commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) throw new Error('empty CSV');
  return rows.map((row) => {
    expect(row).toHaveLength(header.length);
    return Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']));
  });
}

const CSV_RECORDS = readCsvRecords(readFileSync(new URL('../../test/fixtures/dpv/purposes.csv', import.meta.url), 'utf8'));
const CSV_PURPOSES = CSV_RECORDS.filter((r) => r.term === 'Purpose' || r.dpvtype === `${DPV_NAMESPACE}Purpose`);
const TERMS = DPV_PURPOSES.map((p) => p.term);
const TABLE = new Map(DPV_PURPOSES.map((p) => [p.term, p]));

function csvBroader(record: Record<string, string>): string[] {
  return (record.hasbroader ?? '')
    .split(';')
    .filter((iri) => iri !== '')
    .map((iri) => {
      expect(iri.startsWith(DPV_NAMESPACE)).toBe(true);
      return iri.slice(DPV_NAMESPACE.length);
    });
}

describe('the CSV parser used to check the table', () => {
  it('reads quoted commas, doubled quotes and line breaks inside quotes', () => {
    expect(parseCsv('a,"b, c","say ""hi""","x\ny"\r\n"",z\n')).toEqual([
      ['a', 'b, c', 'say "hi"', 'x\ny'],
      ['', 'z'],
    ]);
  });

  it('reads every row of the fixture with the header’s 13 columns', () => {
    expect(CSV_RECORDS).toHaveLength(125);
    const purpose = CSV_RECORDS.find((r) => r.term === 'Purpose');
    expect(purpose?.scopenote).toContain('"Analyse Data" is an abstract purpose');
  });
});

describe('the inline table, compared with DPV 2.3 purposes.csv', () => {
  it('has exactly the CSV’s purposes, in the same order', () => {
    expect(TERMS).toEqual(CSV_PURPOSES.map((r) => r.term));
    expect(new Set(TERMS).size).toBe(TERMS.length);
    expect(TERMS).toHaveLength(122);
  });

  it('leaves out only the rows that are not purposes', () => {
    const left = CSV_RECORDS.filter((r) => !TABLE.has(r.term ?? '')).map((r) => [r.term, r.type, r.dpvtype]);
    expect(left).toEqual([
      ['Sector', 'class', ''],
      ['hasPurpose', 'property', ''],
      ['hasSector', 'property', ''],
    ]);
  });

  it.each(CSV_PURPOSES.map((r) => [r.term ?? '', r] as const))(
    '%s has the CSV’s broader concepts, English label and definition',
    (term, record) => {
      const purpose = TABLE.get(term);
      expect(purpose?.broader).toEqual(csvBroader(record));
      expect(purpose?.label.en).toBe(record.label);
      expect(purpose?.definition).toBe(record.definition);
      expect(record.iri).toBe(purposeIri(term));
    },
  );

  it('has the eleven purposes with two parents that make the taxonomy a DAG', () => {
    expect(DPV_PURPOSES.filter((p) => p.broader.length > 1).map((p) => p.term)).toEqual([
      'CommercialResearch',
      'CommunicationForCustomerCare',
      'ImproveInternalCRMProcesses',
      'NonCommercialResearch',
      'PersonalisedAdvertising',
      'PersonnelPerformanceManagement',
      'PersonnelPerformanceMonitoring',
      'PoliticalCampaign',
      'RecruitmentAdvertising',
      'RecruitmentTargetedAdvertising',
      'ServicePersonalisation',
    ]);
  });

  it('resolves every broader reference to a purpose, except the one DPV 2.3 points at a legal basis', () => {
    const dangling = DPV_PURPOSES.flatMap((p) => p.broader.filter((b) => !TABLE.has(b)).map((b) => `${p.term} → ${b}`));
    expect(dangling).toEqual(['RightsFulfilment → LegalObligation']);
    expect(isPurpose('LegalObligation')).toBe(false);
  });

  it('has a single top concept, Purpose', () => {
    expect(DPV_PURPOSES.filter((p) => p.broader.length === 0).map((p) => p.term)).toEqual(['Purpose']);
  });

  it('has no cycle', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (term: string, path: string[]): void => {
      if (state.get(term) === 'done') return;
      if (state.get(term) === 'visiting') {
        cycles.push([...path, term].join(' → '));
        return;
      }
      state.set(term, 'visiting');
      for (const parent of TABLE.get(term)?.broader ?? []) visit(parent, [...path, term]);
      state.set(term, 'done');
    };
    for (const term of TERMS) visit(term, []);
    expect(cycles).toEqual([]);
  });

  it('cannot be changed by a caller', () => {
    const first = DPV_PURPOSES[0];
    expect(Object.isFrozen(DPV_PURPOSES)).toBe(true);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.broader)).toBe(true);
    expect(Object.isFrozen(first?.label)).toBe(true);
    expect(() => (first?.broader as string[]).push('Marketing')).toThrow(TypeError);
  });
});

describe('labels', () => {
  it.each(TERMS)('%s has a French label', (term) => {
    const fr = purposeLabel(term);
    expect(fr.trim()).not.toBe('');
    expect(fr).toBe(TABLE.get(term)?.label.fr);
  });

  it('translates every English label except Marketing, the usual French word', () => {
    expect(DPV_PURPOSES.filter((p) => p.label.fr === p.label.en).map((p) => p.term)).toEqual(['Marketing']);
  });

  it('gives every purpose its own French label', () => {
    const labels = DPV_PURPOSES.map((p) => p.label.fr);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('uses the typographic apostrophe, like the rest of the French UI', () => {
    expect(DPV_PURPOSES.filter((p) => p.label.fr.includes("'")).map((p) => p.term)).toEqual([]);
  });

  it.each([
    ['ResearchAndDevelopment', 'fr', 'Recherche et développement'],
    ['dpv:CommercialPurpose', 'fr', 'Finalité commerciale'],
    [`${DPV_NAMESPACE}PublicBenefit`, 'fr', 'Intérêt public / bénéfice pour la société'],
    ['ImproveTransportMobility', 'en', 'Improve Transport and Mobility'],
  ] as const)('labels %s in %s as %s', (value, lang, label) => {
    expect(purposeLabel(value, lang)).toBe(label);
  });

  it.each([
    ['PublicInterest', 'PublicInterest'],
    ['dpv:PublicInterest', 'PublicInterest'],
    [`${DPV_NAMESPACE}LegalObligation`, 'LegalObligation'],
    ['https://example.org/purpose', 'https://example.org/purpose'],
  ])('falls back to the term for %s, which is not a purpose', (value, label) => {
    expect(purposeLabel(value)).toBe(label);
    expect(purposeLabel(value, 'en')).toBe(label);
  });
});

describe('recognising a purpose', () => {
  it.each(['AcademicResearch', 'dpv:AcademicResearch', 'https://w3id.org/dpv#AcademicResearch'])('accepts %s', (value) => {
    expect(purposeTerm(value)).toBe('AcademicResearch');
    expect(isPurpose(value)).toBe(true);
  });

  it.each([
    'PublicInterest', // a legal basis in DPV, not a purpose
    'dpv:PublicInterest',
    'https://w3id.org/dpv#PublicInterest',
    'LegalObligation',
    'Sector',
    'hasPurpose',
    'academicresearch',
    ' AcademicResearch',
    'dpv:',
    DPV_NAMESPACE,
    '',
    'DPV:AcademicResearch',
    'http://w3id.org/dpv#AcademicResearch',
    'https://w3id.org/dpv/owl#AcademicResearch', // the OWL form lives in another namespace
    'https://w3id.org/dpv#dpv:AcademicResearch',
    'constructor',
    '__proto__',
    'toString',
  ])('rejects %j', (value) => {
    expect(purposeTerm(value)).toBeNull();
    expect(isPurpose(value)).toBe(false);
    expect(purposeAncestors(value).size).toBe(0);
    expect(purposeDescendants(value).size).toBe(0);
  });

  it('recognises every purpose of the table in all three forms', () => {
    for (const term of TERMS) {
      expect([purposeTerm(term), purposeTerm(`dpv:${term}`), purposeTerm(purposeIri(term))]).toEqual([term, term, term]);
    }
  });

  it.each([
    ['AcademicResearch', 'https://w3id.org/dpv#AcademicResearch'],
    ['dpv:AcademicResearch', 'https://w3id.org/dpv#AcademicResearch'],
    ['https://w3id.org/dpv#AcademicResearch', 'https://w3id.org/dpv#AcademicResearch'],
  ])('spells the IRI of %s', (value, iri) => {
    expect(purposeIri(value)).toBe(iri);
  });

  it('offers common purposes that all exist, each once', () => {
    expect(COMMON_PURPOSES.filter((t) => !isPurpose(t))).toEqual([]);
    expect(new Set(COMMON_PURPOSES).size).toBe(COMMON_PURPOSES.length);
    expect(COMMON_PURPOSES.length).toBeGreaterThanOrEqual(12);
    expect(COMMON_PURPOSES).toContain('ResearchAndDevelopment');
    expect(COMMON_PURPOSES).toContain('PublicBenefit');
  });
});

describe('subsumption: a requested purpose satisfies an offered one when equal or narrower', () => {
  const dpv = (term: string) => `dpv:${term}`;
  const iri = (term: string) => `${DPV_NAMESPACE}${term}`;

  it.each([
    // requested, offered, satisfies
    ['AcademicResearch', 'ResearchAndDevelopment', true],
    ['AcademicResearch', 'Purpose', true],
    ['AcademicResearch', 'AcademicResearch', true],
    ['ResearchAndDevelopment', 'AcademicResearch', false],
    ['Purpose', 'ResearchAndDevelopment', false],
    ['CommercialResearch', 'CommercialPurpose', true],
    ['CommercialResearch', 'ResearchAndDevelopment', true],
    ['CommercialResearch', 'NonCommercialPurpose', false],
    ['NonCommercialResearch', 'NonCommercialPurpose', true],
    ['NonCommercialResearch', 'CommercialPurpose', false],
    ['AcademicResearch', 'CommercialPurpose', false],
    ['ScientificResearch', 'ResearchAndDevelopment', true],
    ['ImproveHealthcare', 'PublicBenefit', true],
    ['ProvideOfficialStatistics', 'PublicBenefit', true],
    ['DataAltruism', 'PublicBenefit', true],
    ['PublicBenefit', 'ImproveHealthcare', false],
    ['ImproveHealthcare', 'ResearchAndDevelopment', false],
    ['Advertising', 'Marketing', true],
    // DPV 2.3 moved ServiceProvision under the new ServiceManagement
    ['ServiceProvision', 'ServiceManagement', true],
    ['DeliveryOfGoods', 'ServiceManagement', true],
    ['SellDataToThirdParties', 'ServiceProvision', true],
    ['ServiceManagement', 'ServiceProvision', false],
    // Two parents, each reached through a different one of them
    ['TargetedAdvertising', 'Personalisation', true],
    ['TargetedAdvertising', 'Marketing', true],
    ['RecruitmentTargetedAdvertising', 'HumanResourceManagement', true],
    ['RecruitmentTargetedAdvertising', 'Marketing', true],
    ['RecruitmentTargetedAdvertising', 'CommercialPurpose', false],
    ['PersonnelPerformanceMonitoring', 'PersonnelManagement', true],
    ['UserInterfacePersonalisation', 'ServiceManagement', true],
    ['UserInterfacePersonalisation', 'Personalisation', true],
    ['OptimiseUserInterface', 'ServiceManagement', true],
    // Its broader concept is a legal basis, but it is typed dpv:Purpose
    ['RightsFulfilment', 'Purpose', true],
    ['RightsFulfilment', 'LegalObligation', false],
    ['RightsFulfilment', 'FulfilmentOfObligation', false],
    // Not purposes: never satisfy, never satisfied
    ['PublicInterest', 'Purpose', false],
    ['Purpose', 'PublicInterest', false],
    ['PublicInterest', 'PublicInterest', false],
    ['ImproveHealthcare', 'PublicInterest', false],
    ['Unknown', 'Unknown', false],
    ['', '', false],
    ['AcademicResearch', '', false],
    ['Sector', 'Sector', false],
  ] as const)('%s for an offer of %s → %s', (requested, offered, expected) => {
    for (const r of [requested, dpv(requested), iri(requested)]) {
      for (const o of [offered, dpv(offered), iri(offered)]) {
        expect(purposeSatisfies(r, o), `${r} / ${o}`).toBe(expected);
      }
    }
  });

  it('lets every purpose satisfy itself and Purpose, and its direct broader purposes', () => {
    for (const purpose of DPV_PURPOSES) {
      expect(purposeSatisfies(purpose.term, purpose.term)).toBe(true);
      expect(purposeSatisfies(purpose.term, 'Purpose')).toBe(true);
      for (const parent of purpose.broader.filter(isPurpose)) expect(purposeSatisfies(purpose.term, parent)).toBe(true);
    }
  });

  it('is a partial order: two distinct purposes never satisfy each other', () => {
    for (const a of TERMS) {
      for (const b of purposeAncestors(a)) {
        if (a !== b) expect(purposeSatisfies(b, a), `${b} / ${a}`).toBe(false);
      }
    }
  });
});

describe('ancestors and descendants', () => {
  it('lists the ancestors of a purpose with two parents, itself included', () => {
    expect([...purposeAncestors('dpv:CommercialResearch')].sort()).toEqual([
      'CommercialPurpose',
      'CommercialResearch',
      'Purpose',
      'ResearchAndDevelopment',
    ]);
    expect([...purposeAncestors('Purpose')]).toEqual(['Purpose']);
  });

  it('closes over every level', () => {
    expect([...purposeAncestors('RecruitmentTargetedAdvertising')].sort()).toEqual([
      'Advertising',
      'HumanResourceManagement',
      'Marketing',
      'Personalisation',
      'PersonalisedAdvertising',
      'PersonnelHiring',
      'PersonnelManagement',
      'Purpose',
      'RecruitmentAdvertising',
      'RecruitmentTargetedAdvertising',
      'TargetedAdvertising',
    ]);
  });

  it('keeps ancestor sets to purposes', () => {
    expect([...purposeAncestors('RightsFulfilment')].sort()).toEqual(['Purpose', 'RightsFulfilment']);
  });

  it('lists the descendants of ResearchAndDevelopment, itself included', () => {
    expect([...purposeDescendants(`${DPV_NAMESPACE}ResearchAndDevelopment`)].sort()).toEqual([
      'AcademicResearch',
      'CommercialResearch',
      'NonCommercialResearch',
      'ResearchAndDevelopment',
      'ScientificResearch',
    ]);
  });

  it('lists the descendants of PublicBenefit as SOURCES.md gives them', () => {
    expect([...purposeDescendants('PublicBenefit')].sort()).toEqual([
      'CombatClimateChange',
      'Counterterrorism',
      'DataAltruism',
      'ImproveHealthcare',
      'ImprovePublicServices',
      'ImproveTransportMobility',
      'ProtectionOfNationalSecurity',
      'ProtectionOfPublicSecurity',
      'ProvideOfficialStatistics',
      'PublicBenefit',
      'PublicPolicyMaking',
    ]);
  });

  it('makes every purpose a descendant of Purpose and a leaf its own only descendant', () => {
    expect([...purposeDescendants('Purpose')].sort()).toEqual([...TERMS].sort());
    expect([...purposeDescendants('AcademicResearch')]).toEqual(['AcademicResearch']);
  });

  it('equals the skos:broader closure computed from the CSV itself, plus Purpose', () => {
    const csvParents = new Map(CSV_PURPOSES.map((r) => [r.term ?? '', csvBroader(r)]));
    const closure = (term: string): Set<string> => {
      const out = new Set([term]);
      for (const parent of csvParents.get(term) ?? []) {
        if (csvParents.has(parent)) for (const a of closure(parent)) out.add(a);
      }
      return out;
    };
    for (const term of csvParents.keys()) {
      expect([...purposeAncestors(term)].sort(), term).toEqual([...closure(term).add('Purpose')].sort());
    }
  });

  it('agrees with purposeSatisfies and with each other for every pair', () => {
    for (const a of TERMS) {
      for (const b of TERMS) {
        const narrower = purposeSatisfies(a, b);
        expect(purposeAncestors(a).has(b), `${a} / ${b}`).toBe(narrower);
        expect(purposeDescendants(b).has(a), `${a} / ${b}`).toBe(narrower);
      }
    }
  });
});
