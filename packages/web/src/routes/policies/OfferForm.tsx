import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Checkbox,
  Code,
  Fieldset,
  Grid,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  AGREEMENT_MODES,
  ApiError,
  BillingError,
  buildOfferPolicy,
  describePlan,
  DATA_USES,
  DP_COUNTS_PRIVACY,
  formatEuros,
  FRENCH_VAT_RATES,
  minimumAgreement,
  NOISE_MECHANISMS,
  OCCITANIE_DEPARTEMENT_CODES,
  OCCITANIE_DEPARTEMENTS,
  OPENSAFELY_DISCLOSURE,
  ORGANISATION_CATEGORIES,
  parseEuros,
  PLAN_KINDS,
  planSchema,
  PRICED_UNITS,
  privacyInput,
  type AgreementMode,
  type CharterRules,
  type DataUse,
  type DatasetFacts,
  type DatasetView,
  type Disclosure,
  type NoiseMechanism,
  type OfferTemplate,
  type OfferTerms,
  type OrganisationCategory,
  type Plan,
  type PlanKind,
  type PolicyIssue,
  type PricedUnit,
  type PolicyRefs,
  type Privacy,
} from '@confiance/contract';
import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { FormError } from '../../components/ErrorState';
import { CrossIcon } from '../../components/Icons';
import { isApiError } from '../../components/errors';
import { useI18n } from '../../i18n';
import { purposeOptions, templateText, dataUseText } from './labels';
import { checkPolicy, IssueList, PolicyPreview, type PolicyCheck } from './PolicyPreview';

export interface OfferFormValues {
  title: string;
  description: string;
  agreement: AgreementMode;
  template: OfferTemplate;
  uses: DataUse[];
  purposes: string[];
  excludedPurposes: string[];
  partyTypes: OrganisationCategory[];
  durationMonths: number | string;
  columns: string[];
  departements: string[];
  maxQueries: number | string;
  queriesPerDay: number | string;
  rowsPerResponse: number | string;
  validUntil: string;
  attribution: boolean;
  /** Disclosure control of aggregate results; its thresholds follow. */
  disclosureOn: boolean;
  suppressAtOrBelow: number | string;
  roundTo: number | string;
  unitColumn: string | null;
  minUnits: number | string;
  /** The dominance rule as a percentage (85), the terms carry a share (0.85). */
  dominancePercent: number | string;
  dimensions: string[];
  countColumns: string[];
  /** Total codes as `column=value`. */
  margins: string[];
  /** Differential privacy: ε and δ as the steward types them (« 0,5 » or « 0.5 »). */
  privacyOn: boolean;
  epsilon: string;
  epsilonPerQuery: string;
  mechanism: NoiseMechanism;
  delta: string;
  /** Bounds each summed column is clipped to; `key` keeps React's rows stable. */
  clipping: { key: number; column: string | null; lower: number | string; upper: number | string }[];
  /** Columns that may be joined, pseudonymised, with another contracted dataset. */
  joinKeys: string[];
  /** The price plan; amounts in euros as the steward types them (« 0,50 »), empty: none. */
  planKind: PlanKind;
  priceUnit: PricedUnit;
  price: string;
  includedQueries: number | string;
  extraQueryPrice: string;
  categoryPrices: Record<OrganisationCategory, string>;
  publicInterestPrice: string;
  /** Percent as typed (« 12,5 »); empty: no discount. */
  memberDiscount: string;
  vatRate: string;
}

/** What the offer is submitted as: the template form's terms, or the expert's JSON-LD. */
export type OfferSubmission =
  | { title: string; description: string | null; agreement: AgreementMode; terms: OfferTerms }
  | { title: string; description: string | null; agreement: AgreementMode; policy: Record<string, unknown> };

const AGREEMENT_RANK: Record<AgreementMode, number> = { automatic: 0, provider_approval: 1, ethics_review: 2 };

const MARGIN = /^([^=\s][^=]*)=(.+)$/;

/** Cents as a French steward types euros: `50` → « 0,50 » (no « € », for the input). */
export const eurosInput = (cents: number | null | undefined): string =>
  cents === null || cents === undefined ? '' : formatEuros(cents).replace(/\u00a0€$/, '');

function planValues(
  plan: Plan,
): Pick<
  OfferFormValues,
  | 'planKind'
  | 'priceUnit'
  | 'price'
  | 'includedQueries'
  | 'extraQueryPrice'
  | 'categoryPrices'
  | 'publicInterestPrice'
  | 'memberDiscount'
  | 'vatRate'
> {
  const paid = plan.kind === 'free' ? null : plan;
  return {
    planKind: plan.kind,
    priceUnit: plan.kind === 'per_units' ? plan.unit : 'rows',
    price: eurosInput(paid?.price),
    includedQueries: plan.kind === 'subscription' ? (plan.includedQueries ?? '') : '',
    extraQueryPrice: plan.kind === 'subscription' ? eurosInput(plan.extraQueryPrice) : '',
    categoryPrices: Object.fromEntries(ORGANISATION_CATEGORIES.map((c) => [c, eurosInput(paid?.categoryPrices[c])])) as Record<
      OrganisationCategory,
      string
    >,
    publicInterestPrice: eurosInput(paid?.publicInterestPrice),
    memberDiscount: paid && paid.memberDiscount !== '0' ? paid.memberDiscount.replace('.', ',') : '',
    vatRate: paid?.vatRate ?? 'S-20',
  };
}

export function formValues(terms: OfferTerms, extra: { title: string; description: string; agreement: AgreementMode }): OfferFormValues {
  const d = terms.disclosure ?? OPENSAFELY_DISCLOSURE;
  // Switched off, the fields still hold sensible values for when the steward switches it on.
  const p = terms.privacy ?? DP_COUNTS_PRIVACY;
  return {
    ...extra,
    template: terms.template,
    uses: [...terms.uses],
    purposes: [...terms.purposes],
    excludedPurposes: [...terms.excludedPurposes],
    partyTypes: [...terms.partyTypes],
    durationMonths: terms.durationMonths ?? '',
    columns: [...terms.columns],
    departements: [...terms.departements],
    maxQueries: terms.maxQueries ?? '',
    queriesPerDay: terms.queriesPerDay ?? '',
    rowsPerResponse: terms.rowsPerResponse ?? '',
    validUntil: terms.validUntil ?? '',
    attribution: terms.attribution,
    disclosureOn: terms.disclosure !== null,
    suppressAtOrBelow: d.suppressAtOrBelow ?? '',
    roundTo: d.roundTo,
    unitColumn: d.unitColumn,
    minUnits: d.minUnits ?? '',
    dominancePercent: d.dominance === null ? '' : Math.round(d.dominance * 100),
    dimensions: [...d.dimensions],
    countColumns: [...d.countColumns],
    margins: d.margins.map((m) => `${m.column}=${m.value}`),
    privacyOn: terms.privacy !== null,
    epsilon: p.epsilon,
    epsilonPerQuery: p.epsilonPerQuery,
    mechanism: p.mechanism,
    delta: p.delta ?? '',
    clipping: p.clipping.map((c, key) => ({ key, ...c })),
    joinKeys: [...terms.joinKeys],
    ...planValues(terms.plan),
  };
}

/**
 * The form's price fields as a plan's input, and the amounts that do not read as euros (the
 * billing core's French message, by form path). Nothing is rounded: « 0,505 » is refused.
 */
function rawPlan(v: OfferFormValues): { input: Record<string, unknown>; issues: Map<string, string> } {
  const issues = new Map<string, string>();
  const euros = (path: string, text: string, what: string): number | null => {
    if (text.trim() === '') return null;
    try {
      return parseEuros(text, what);
    } catch (error) {
      if (!(error instanceof BillingError)) throw error;
      issues.set(path, error.message);
      return null;
    }
  };
  if (v.planKind === 'free') return { input: { kind: 'free' }, issues };
  const categoryPrices: Record<string, number> = {};
  for (const c of ORGANISATION_CATEGORIES) {
    const cents = euros(`categoryPrices.${c}`, v.categoryPrices[c], 'prix pour cette catégorie');
    if (cents !== null) categoryPrices[c] = cents;
  }
  const input: Record<string, unknown> = {
    kind: v.planKind,
    // An empty price is left out, so the schema says it is required, in its words.
    ...(v.price.trim() === '' ? {} : { price: euros('price', v.price, 'prix') ?? 0 }),
    categoryPrices,
    publicInterestPrice: euros('publicInterestPrice', v.publicInterestPrice, "prix d'intérêt public"),
    memberDiscount: v.memberDiscount.trim() === '' ? '0' : v.memberDiscount.trim(),
    vatRate: v.vatRate,
  };
  if (v.planKind === 'per_units') input.unit = v.priceUnit;
  if (v.planKind === 'subscription') {
    input.includedQueries = numberOrNull(v.includedQueries);
    input.extraQueryPrice = euros('extraQueryPrice', v.extraQueryPrice, 'prix par requête au-delà du forfait');
  }
  return { input, issues };
}

/** The schema's (and the euro parser's) messages on the price fields, by form path (`price`, `categoryPrices.research`). */
export function planIssues(v: OfferFormValues): Map<string, string> {
  const { input, issues } = rawPlan(v);
  const parsed = planSchema.safeParse(input);
  if (!parsed.success)
    for (const i of parsed.error.issues) {
      const path = i.path.join('.') === 'unit' ? 'priceUnit' : i.path.join('.') || 'price';
      if (!issues.has(path)) issues.set(path, i.message);
    }
  return issues;
}

/** The plan: as the schema normalises it, or as typed for the node to refuse. */
export function planFromForm(v: OfferFormValues): Plan {
  const { input } = rawPlan(v);
  const parsed = planSchema.safeParse(input);
  return parsed.success ? parsed.data : (input as Plan);
}

/** « 0,5 » is how a French steward writes a half; the terms carry decimal text with a point. */
const decimalOf = (text: string) => text.trim().replace(',', '.');

/** The form's privacy fields as the terms would carry them, before the schema has its say. */
function rawPrivacy(v: OfferFormValues): Privacy {
  return {
    epsilon: decimalOf(v.epsilon),
    epsilonPerQuery: decimalOf(v.epsilonPerQuery),
    mechanism: v.mechanism,
    delta: v.mechanism === 'discrete_gaussian' ? decimalOf(v.delta) || null : null,
    clipping: v.clipping.map((c) => ({ column: c.column ?? '', lower: Number(c.lower), upper: Number(c.upper) })),
  };
}

const privacyApplies = (v: OfferFormValues) => v.privacyOn && v.uses.includes('aggregate');

/** The schema's messages on the privacy fields, by form path (`epsilon`, `clipping.0.lower`). */
export function privacyIssues(v: OfferFormValues): Map<string, string> {
  if (!privacyApplies(v)) return new Map();
  const parsed = privacyInput.safeParse(rawPrivacy(v));
  const issues = new Map<string, string>();
  if (!parsed.success) for (const i of parsed.error.issues) if (!issues.has(i.path.join('.'))) issues.set(i.path.join('.'), i.message);
  return issues;
}

/** The privacy terms: as the schema normalises them (`1e-6` → `0.000001`), or as typed for the node to refuse. */
function privacyOf(v: OfferFormValues): Privacy | null {
  if (!privacyApplies(v)) return null;
  const parsed = privacyInput.safeParse(rawPrivacy(v));
  return parsed.success ? parsed.data : rawPrivacy(v);
}

const numberOrNull = (v: number | string): number | null => (v === '' || v === null ? null : Number(v));

/** The form's disclosure fields as terms; none unless aggregates are offered. */
function disclosureOf(v: OfferFormValues, aggregateOnly: boolean): Disclosure | null {
  if (!v.uses.includes('aggregate') || !(v.disclosureOn || aggregateOnly)) return null;
  const percent = numberOrNull(v.dominancePercent);
  return {
    suppressAtOrBelow: numberOrNull(v.suppressAtOrBelow),
    roundTo: numberOrNull(v.roundTo) ?? 1,
    unitColumn: v.unitColumn || null,
    minUnits: numberOrNull(v.minUnits),
    dominance: percent === null ? null : percent / 100,
    dimensions: v.dimensions,
    countColumns: v.countColumns,
    margins: v.margins.flatMap((m) => {
      const match = MARGIN.exec(m.trim());
      return match ? [{ column: match[1]!.trim(), value: match[2]!.trim() }] : [];
    }),
  };
}

/** `aggregateOnly`: the data is only ever released as aggregates, always under disclosure control. */
export function termsOf(v: OfferFormValues, aggregateOnly = false): OfferTerms {
  return {
    template: v.template,
    uses: v.uses,
    purposes: v.purposes,
    excludedPurposes: v.excludedPurposes,
    partyTypes: v.partyTypes,
    durationMonths: numberOrNull(v.durationMonths),
    columns: v.columns,
    departements: v.departements,
    maxQueries: numberOrNull(v.maxQueries),
    queriesPerDay: numberOrNull(v.queriesPerDay),
    rowsPerResponse: numberOrNull(v.rowsPerResponse),
    disclosure: disclosureOf(v, aggregateOnly),
    privacy: privacyOf(v),
    joinKeys: v.joinKeys,
    validUntil: v.validUntil || null,
    attribution: v.attribution,
    plan: planFromForm(v),
  };
}

/** Where the JSON text fails to parse, as a line and a column the expert can find. */
function jsonError(text: string): { message: string; line: number; column: number } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const message = (error as Error).message;
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc) return { message, line: Number(lc[1]), column: Number(lc[2]) };
    const at = /position (\d+)/.exec(message);
    const position = at ? Number(at[1]) : text.length;
    const before = text.slice(0, position).split('\n');
    return { message, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  }
}

/** Issues of a refused submission (`invalid_policy`, `validation_failed`), each with its path. */
function serverIssues(error: unknown): PolicyIssue[] {
  if (!(error instanceof ApiError) || (error.code !== 'invalid_policy' && error.code !== 'validation_failed')) return [];
  const issues = (error.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues
    .filter((i) => typeof i.message === 'string')
    .map((i) => ({
      path: typeof i.path === 'string' ? i.path : Array.isArray(i.path) ? i.path.join('.') : '',
      message: i.message as string,
    }));
}

/** Disclosure control names columns as they appear in results: bare names, once each. */
function bareColumns(dataset: DatasetView): string[] {
  return [...new Set(dataset.version.tables.flatMap((tb) => tb.columns.map((c) => c.name)))];
}

function columnChoices(dataset: DatasetView): string[] {
  const tables = dataset.version.tables;
  if (tables.length === 1) return tables[0]!.columns.map((c) => c.name);
  return tables.flatMap((tb) => tb.columns.map((c) => `${tb.name}.${c.name}`));
}

interface OfferFormProps {
  dataset: DatasetView;
  facts: DatasetFacts;
  charter: CharterRules;
  refs: PolicyRefs;
  initial: OfferFormValues;
  /** The expert's JSON-LD to start from (an offer no longer built from a template). */
  initialPolicy: Record<string, unknown> | null;
  /** A new offer has no IRI yet: its JSON-LD leaves `uid` out and the node fills it. */
  isNew: boolean;
  submitLabel: string;
  onSubmit: (submission: OfferSubmission) => void;
  submitting: boolean;
  error: unknown;
  onBack?: () => void;
  onCancel: () => void;
}

export function OfferForm({
  dataset,
  facts,
  charter,
  refs,
  initial,
  initialPolicy,
  isNew,
  submitLabel,
  onSubmit,
  submitting,
  error,
  onBack,
  onCancel,
}: OfferFormProps) {
  const { t, locale } = useI18n();
  const minimum = minimumAgreement(facts, charter);
  const aggregateOnly = facts.accessLevel === 'aggregate_only' || (facts.personalData && charter.personalDataAggregateOnly);
  const form = useForm<OfferFormValues>({
    initialValues: initial,
    validate: {
      title: (v) => (v.trim().length < 3 ? t('offerForm.titleTooShort') : null),
      uses: (v) => (v.length === 0 ? t('offerForm.usesRequired') : null),
      margins: (v) => (v.some((m) => !MARGIN.test(m.trim())) ? t('offerForm.marginsInvalid') : null),
      unitColumn: (v, all) =>
        !v && all.uses.includes('aggregate') && (all.minUnits !== '' || all.dominancePercent !== '')
          ? t('offerForm.unitRuleNeedsColumn')
          : null,
      epsilon: (_v, all) => privacyIssues(all).get('epsilon') ?? null,
      epsilonPerQuery: (_v, all) => privacyIssues(all).get('epsilonPerQuery') ?? null,
      delta: (_v, all) => privacyIssues(all).get('delta') ?? null,
      price: (_v, all) => planIssues(all).get('price') ?? null,
      priceUnit: (_v, all) => planIssues(all).get('priceUnit') ?? null,
      includedQueries: (_v, all) => planIssues(all).get('includedQueries') ?? null,
      extraQueryPrice: (_v, all) => planIssues(all).get('extraQueryPrice') ?? null,
      publicInterestPrice: (_v, all) => planIssues(all).get('publicInterestPrice') ?? null,
      memberDiscount: (_v, all) => planIssues(all).get('memberDiscount') ?? null,
      vatRate: (_v, all) => planIssues(all).get('vatRate') ?? null,
      categoryPrices: Object.fromEntries(
        ORGANISATION_CATEGORIES.map((c) => [c, (_v: string, all: OfferFormValues) => planIssues(all).get(`categoryPrices.${c}`) ?? null]),
      ) as Record<OrganisationCategory, (v: string, all: OfferFormValues) => string | null>,
      clipping: {
        column: (v, all) => (privacyApplies(all) && !v ? t('offerForm.clippingColumnRequired') : null),
        lower: (v, all, path) =>
          privacyApplies(all) && v === '' ? t('offerForm.clippingBoundRequired') : (privacyIssues(all).get(path) ?? null),
        upper: (v, all) => (privacyApplies(all) && v === '' ? t('offerForm.clippingBoundRequired') : null),
      },
    },
  });
  const nextKey = useRef(initial.clipping.length);
  const values = form.values;
  const [tab, setTab] = useState<string>(initialPolicy ? 'expert' : 'form');
  const [json, setJson] = useState<string>(() => (initialPolicy ? JSON.stringify(initialPolicy, null, 2) : ''));
  const [jsonEdited, setJsonEdited] = useState(initialPolicy !== null);
  const [jsonTouched, setJsonTouched] = useState(false);

  const built = useMemo(() => buildOfferPolicy(termsOf(values, aggregateOnly), refs, charter), [values, aggregateOnly, refs, charter]);
  const parseError = tab === 'expert' ? jsonError(json) : null;
  const agreement = values.agreement;
  const invalidJson = parseError !== null;
  const check: PolicyCheck = useMemo(() => {
    const context = { agreement, charter, refs };
    if (tab !== 'expert') return checkPolicy(built, facts, context);
    if (invalidJson) return { policy: null, issues: [{ path: '', message: t('expert.notJson') }] };
    return checkPolicy(JSON.parse(json) as unknown, facts, context);
  }, [tab, json, invalidJson, built, facts, agreement, charter, refs, t]);

  const fromServer = serverIssues(error);
  const agreementIssue = fromServer.find((i) => i.path === 'agreement');
  const purposes = useMemo(() => purposeOptions(t, locale), [t, locale]);
  const columns = useMemo(() => columnChoices(dataset).map((c) => ({ value: c, label: c })), [dataset]);
  const bare = useMemo(() => bareColumns(dataset).map((c) => ({ value: c, label: c })), [dataset]);
  const showDisclosure = values.uses.includes('aggregate');
  // Sums are clipped per measure: numeric columns only.
  const numeric = useMemo(
    () =>
      [
        ...new Set(
          dataset.version.tables.flatMap((tb) => tb.columns.filter((c) => c.type === 'integer' || c.type === 'number').map((c) => c.name)),
        ),
      ].map((c) => ({ value: c, label: c })),
    [dataset],
  );
  const epsilonValue = Number(decimalOf(values.epsilon));
  const perQueryValue = Number(decimalOf(values.epsilonPerQuery));
  const queriesPaid =
    epsilonValue > 0 && perQueryValue > 0 && perQueryValue <= epsilonValue ? Math.floor(epsilonValue / perQueryValue + 1e-9) : null;
  const pricePreview = useMemo(() => {
    const parsed = values.planKind === 'free' ? null : planSchema.safeParse(rawPlan(values).input);
    return parsed?.success ? describePlan(parsed.data).summary : null;
  }, [values]);
  const departements = OCCITANIE_DEPARTEMENT_CODES.map((code) => ({ value: code, label: `${OCCITANIE_DEPARTEMENTS[code]} (${code})` }));

  const expertText = (policy: Record<string, unknown>) => {
    const { uid: _uid, ...withoutUid } = policy;
    return JSON.stringify(isNew ? withoutUid : policy, null, 2);
  };

  const openExpert = () => {
    // The JSON follows the form until the expert changes it; then it is theirs.
    if (!jsonEdited) setJson(expertText(built));
    setTab('expert');
  };

  const submit = form.onSubmit((v) => {
    const base = { title: v.title.trim(), description: v.description.trim() || null, agreement: v.agreement };
    if (tab === 'expert') {
      setJsonTouched(true);
      if (jsonError(json)) return;
      onSubmit({ ...base, policy: JSON.parse(json) as Record<string, unknown> });
      return;
    }
    onSubmit({ ...base, terms: termsOf(v, aggregateOnly) });
  });

  const agreementHint =
    minimum === 'automatic'
      ? t('offerForm.minimum.automatic')
      : t(minimum === 'ethics_review' ? 'offerForm.minimum.ethics' : 'offerForm.minimum.approval', {
          mode: t(`policy.agreement.${minimum}`),
        });

  return (
    <form onSubmit={submit} noValidate aria-label={t('offerForm.label')}>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="lg">
              <Stack gap="sm">
                <TextInput label={t('offerForm.title')} required maxLength={120} {...form.getInputProps('title')} />
                <Textarea
                  label={t('offerForm.description')}
                  description={t('offerForm.descriptionHint')}
                  autosize
                  minRows={2}
                  maxLength={2000}
                  {...form.getInputProps('description')}
                />
                <Select
                  label={t('offerForm.agreement')}
                  description={agreementHint}
                  data={AGREEMENT_MODES.map((m) => ({
                    value: m,
                    label: t(`policy.agreement.${m}`),
                    disabled: AGREEMENT_RANK[m] < AGREEMENT_RANK[minimum],
                  }))}
                  allowDeselect={false}
                  required
                  {...form.getInputProps('agreement')}
                  error={agreementIssue?.message ?? form.errors.agreement}
                />
              </Stack>
            </Paper>

            <Tabs value={tab} onChange={(v) => (v === 'expert' ? openExpert() : setTab(v ?? 'form'))} keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="form">{t('offerForm.tabForm')}</Tabs.Tab>
                <Tabs.Tab value="expert">{t('offerForm.tabExpert')}</Tabs.Tab>
              </Tabs.List>

              <Tabs.Panel value="form" pt="md">
                <Stack gap="md">
                  {jsonEdited && (
                    <Alert color="yellow" variant="light">
                      <Text size="sm">{t('offerForm.jsonNotInForm')}</Text>
                    </Alert>
                  )}
                  <Text size="sm" c="dimmed">
                    {t('offerForm.fromTemplate', { template: templateText(t, values.template) })}
                  </Text>
                  <Checkbox.Group
                    label={t('offerForm.uses')}
                    description={aggregateOnly ? t('offerForm.usesAggregateOnly') : t('offerForm.usesHint')}
                    required
                    {...form.getInputProps('uses')}
                  >
                    <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
                      {DATA_USES.map((u) => (
                        <Checkbox
                          key={u}
                          value={u}
                          label={dataUseText(t, u)}
                          description={t(`offerForm.useHint.${u}`)}
                          disabled={aggregateOnly && u !== 'aggregate' && !values.uses.includes(u)}
                        />
                      ))}
                    </SimpleGrid>
                  </Checkbox.Group>

                  <Fieldset legend={t('offerForm.who')} variant="filled">
                    <Stack gap="sm">
                      <MultiSelect
                        label={t('offerForm.purposes')}
                        description={t('offerForm.purposesHint')}
                        placeholder={values.purposes.length ? undefined : t('offerForm.anyPurpose')}
                        data={purposes}
                        searchable
                        clearable
                        nothingFoundMessage={t('policy.purposes.none')}
                        maxDropdownHeight={280}
                        {...form.getInputProps('purposes')}
                      />
                      <MultiSelect
                        label={t('offerForm.excludedPurposes')}
                        description={t('offerForm.excludedPurposesHint')}
                        data={purposes}
                        searchable
                        clearable
                        nothingFoundMessage={t('policy.purposes.none')}
                        maxDropdownHeight={280}
                        {...form.getInputProps('excludedPurposes')}
                      />
                      <Checkbox.Group
                        label={t('offerForm.partyTypes')}
                        description={t('offerForm.partyTypesHint')}
                        {...form.getInputProps('partyTypes')}
                      >
                        <Group mt="xs" gap="md">
                          {ORGANISATION_CATEGORIES.map((c) => (
                            <Checkbox key={c} value={c} label={t(`categories.${c}`)} />
                          ))}
                        </Group>
                      </Checkbox.Group>
                    </Stack>
                  </Fieldset>

                  <Fieldset legend={t('offerForm.what')} variant="filled">
                    <Stack gap="sm">
                      <MultiSelect
                        label={t('offerForm.columns')}
                        description={t('offerForm.columnsHint')}
                        data={columns}
                        searchable
                        clearable
                        nothingFoundMessage={t('offerForm.noColumn')}
                        {...form.getInputProps('columns')}
                      />
                      <MultiSelect
                        label={t('offerForm.departements')}
                        description={t('offerForm.departementsHint')}
                        data={departements}
                        searchable
                        clearable
                        {...form.getInputProps('departements')}
                      />
                      <MultiSelect
                        label={t('offerForm.joinKeys')}
                        description={t('offerForm.joinKeysHint')}
                        data={bare}
                        searchable
                        clearable
                        maxValues={20}
                        nothingFoundMessage={t('offerForm.noColumn')}
                        {...form.getInputProps('joinKeys')}
                      />
                    </Stack>
                  </Fieldset>

                  {showDisclosure && (
                    <Fieldset legend={t('offerForm.disclosure')} variant="filled">
                      <Stack gap="sm">
                        <Text size="sm" c="dimmed">
                          {aggregateOnly ? t('offerForm.disclosureAlways') : t('offerForm.disclosureHint')}
                        </Text>
                        {!aggregateOnly && (
                          <Checkbox
                            label={t('offerForm.disclosureEnabled')}
                            {...form.getInputProps('disclosureOn', { type: 'checkbox' })}
                          />
                        )}
                        {(aggregateOnly || values.disclosureOn) && (
                          <>
                            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                              <NumberInput
                                label={t('offerForm.suppressAtOrBelow')}
                                description={t('offerForm.suppressAtOrBelowHint')}
                                min={0}
                                max={10_000}
                                allowDecimal={false}
                                allowNegative={false}
                                {...form.getInputProps('suppressAtOrBelow')}
                              />
                              <NumberInput
                                label={t('offerForm.roundTo')}
                                description={t('offerForm.roundToHint')}
                                min={1}
                                max={10_000}
                                allowDecimal={false}
                                allowNegative={false}
                                {...form.getInputProps('roundTo')}
                              />
                            </SimpleGrid>
                            <MultiSelect
                              label={t('offerForm.dimensions')}
                              description={t('offerForm.dimensionsHint')}
                              data={bare}
                              searchable
                              clearable
                              nothingFoundMessage={t('offerForm.noColumn')}
                              {...form.getInputProps('dimensions')}
                            />
                            <MultiSelect
                              label={t('offerForm.countColumns')}
                              description={t('offerForm.countColumnsHint')}
                              data={bare}
                              searchable
                              clearable
                              nothingFoundMessage={t('offerForm.noColumn')}
                              {...form.getInputProps('countColumns')}
                            />
                            <TagsInput
                              label={t('offerForm.margins')}
                              description={t('offerForm.marginsHint')}
                              clearable
                              maxTags={20}
                              splitChars={[',', ' ']}
                              {...form.getInputProps('margins')}
                            />
                            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                              <Select
                                label={t('offerForm.unitColumn')}
                                description={t('offerForm.unitColumnHint')}
                                data={bare}
                                searchable
                                clearable
                                nothingFoundMessage={t('offerForm.noColumn')}
                                {...form.getInputProps('unitColumn')}
                              />
                              <NumberInput
                                label={t('offerForm.minUnits')}
                                description={t('offerForm.minUnitsHint')}
                                min={2}
                                max={1000}
                                allowDecimal={false}
                                allowNegative={false}
                                {...form.getInputProps('minUnits')}
                              />
                              <NumberInput
                                label={t('offerForm.dominance')}
                                description={t('offerForm.dominanceHint')}
                                min={51}
                                max={99}
                                allowDecimal={false}
                                allowNegative={false}
                                suffix=" %"
                                {...form.getInputProps('dominancePercent')}
                              />
                            </SimpleGrid>
                          </>
                        )}
                      </Stack>
                    </Fieldset>
                  )}

                  {showDisclosure && (
                    <Fieldset legend={t('offerForm.privacy')} variant="filled">
                      <Stack gap="sm">
                        <Text size="sm" c="dimmed">
                          {t('offerForm.privacyHint')}
                        </Text>
                        <Switch label={t('offerForm.privacyEnabled')} {...form.getInputProps('privacyOn', { type: 'checkbox' })} />
                        {values.privacyOn && (
                          <>
                            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                              <TextInput
                                label={t('offerForm.epsilon')}
                                description={t('offerForm.epsilonHint')}
                                inputMode="decimal"
                                required
                                {...form.getInputProps('epsilon')}
                              />
                              <TextInput
                                label={t('offerForm.epsilonPerQuery')}
                                description={
                                  queriesPaid !== null
                                    ? t('offerForm.epsilonPerQueryPays', { count: queriesPaid })
                                    : t('offerForm.epsilonPerQueryHint')
                                }
                                inputMode="decimal"
                                required
                                {...form.getInputProps('epsilonPerQuery')}
                              />
                              <Select
                                label={t('offerForm.mechanism')}
                                description={t('offerForm.mechanismHint')}
                                data={NOISE_MECHANISMS.map((m) => ({ value: m, label: t(`offerForm.mechanism.${m}`) }))}
                                allowDeselect={false}
                                {...form.getInputProps('mechanism')}
                              />
                              {values.mechanism === 'discrete_gaussian' && (
                                <TextInput
                                  label={t('offerForm.delta')}
                                  description={t('offerForm.deltaHint')}
                                  inputMode="decimal"
                                  placeholder="0,000001"
                                  required
                                  {...form.getInputProps('delta')}
                                />
                              )}
                            </SimpleGrid>
                            <Stack gap="xs" role="group" aria-labelledby="offer-clipping-title">
                              <Text size="sm" fw={500} id="offer-clipping-title">
                                {t('offerForm.clipping')}
                              </Text>
                              <Text size="xs" c="dimmed">
                                {t('offerForm.clippingHint')}
                              </Text>
                              {values.clipping.map((c, i) => (
                                <Group key={c.key} gap="sm" align="flex-start" wrap="wrap">
                                  <Select
                                    label={t('offerForm.clippingColumn', { n: i + 1 })}
                                    data={numeric}
                                    searchable
                                    w={220}
                                    nothingFoundMessage={t('offerForm.noColumn')}
                                    {...form.getInputProps(`clipping.${i}.column`)}
                                  />
                                  <NumberInput
                                    label={t('offerForm.clippingLower', { n: i + 1 })}
                                    allowDecimal={false}
                                    w={160}
                                    {...form.getInputProps(`clipping.${i}.lower`)}
                                  />
                                  <NumberInput
                                    label={t('offerForm.clippingUpper', { n: i + 1 })}
                                    allowDecimal={false}
                                    w={160}
                                    {...form.getInputProps(`clipping.${i}.upper`)}
                                  />
                                  <ActionIcon
                                    variant="subtle"
                                    color="gray"
                                    size="lg"
                                    mt={26}
                                    aria-label={t('offerForm.clippingRemove', { n: i + 1 })}
                                    onClick={() => form.removeListItem('clipping', i)}
                                  >
                                    <CrossIcon size={16} />
                                  </ActionIcon>
                                </Group>
                              ))}
                              <Group>
                                <Button
                                  variant="default"
                                  size="xs"
                                  disabled={values.clipping.length >= 100}
                                  onClick={() =>
                                    form.insertListItem('clipping', { key: nextKey.current++, column: null, lower: 0, upper: '' })
                                  }
                                >
                                  {t('offerForm.clippingAdd')}
                                </Button>
                              </Group>
                            </Stack>
                          </>
                        )}
                      </Stack>
                    </Fieldset>
                  )}

                  <Fieldset legend={t('offerForm.howLong')} variant="filled">
                    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                      <NumberInput
                        label={t('offerForm.duration')}
                        description={t('offerForm.durationHint')}
                        min={1}
                        max={120}
                        allowDecimal={false}
                        allowNegative={false}
                        {...form.getInputProps('durationMonths')}
                      />
                      <NumberInput
                        label={t('offerForm.maxQueries')}
                        description={t('offerForm.maxQueriesHint')}
                        min={1}
                        max={100_000_000}
                        allowDecimal={false}
                        allowNegative={false}
                        thousandSeparator={locale === 'fr' ? ' ' : ','}
                        {...form.getInputProps('maxQueries')}
                      />
                      <NumberInput
                        label={t('offerForm.queriesPerDay')}
                        description={t('offerForm.queriesPerDayHint')}
                        min={1}
                        max={1_000_000}
                        allowDecimal={false}
                        allowNegative={false}
                        thousandSeparator={locale === 'fr' ? ' ' : ','}
                        {...form.getInputProps('queriesPerDay')}
                      />
                      <NumberInput
                        label={t('offerForm.rowsPerResponse')}
                        description={t('offerForm.rowsPerResponseHint')}
                        min={1}
                        max={10_000_000}
                        allowDecimal={false}
                        allowNegative={false}
                        thousandSeparator={locale === 'fr' ? ' ' : ','}
                        {...form.getInputProps('rowsPerResponse')}
                      />
                      <TextInput
                        type="date"
                        label={t('offerForm.validUntil')}
                        description={t('offerForm.validUntilHint')}
                        {...form.getInputProps('validUntil')}
                      />
                    </SimpleGrid>
                  </Fieldset>

                  <Fieldset legend={t('offerForm.price')} variant="filled">
                    <Stack gap="sm">
                      <Text size="sm" c="dimmed">
                        {t('offerForm.priceHint')}
                      </Text>
                      <Select
                        label={t('offerForm.planKind')}
                        data={PLAN_KINDS.map((k) => ({ value: k, label: t(`offerForm.planKind.${k}`) }))}
                        allowDeselect={false}
                        {...form.getInputProps('planKind')}
                      />
                      {values.planKind !== 'free' && (
                        <>
                          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                            <TextInput
                              label={t(`offerForm.priceAmount.${values.planKind}`)}
                              description={t('offerForm.priceAmountHint')}
                              inputMode="decimal"
                              placeholder="0,50"
                              required
                              {...form.getInputProps('price')}
                            />
                            {values.planKind === 'per_units' && (
                              <Select
                                label={t('offerForm.priceUnit')}
                                data={PRICED_UNITS.map((u) => ({ value: u, label: t(`offerForm.priceUnit.${u}`) }))}
                                allowDeselect={false}
                                {...form.getInputProps('priceUnit')}
                              />
                            )}
                            <Select
                              label={t('offerForm.vatRate')}
                              data={Object.entries(FRENCH_VAT_RATES).map(([code, rate]) => ({ value: code, label: rate.label }))}
                              allowDeselect={false}
                              {...form.getInputProps('vatRate')}
                            />
                          </SimpleGrid>
                          {values.planKind === 'subscription' && (
                            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                              <NumberInput
                                label={t('offerForm.includedQueries')}
                                description={t('offerForm.includedQueriesHint')}
                                min={0}
                                allowDecimal={false}
                                allowNegative={false}
                                thousandSeparator={locale === 'fr' ? ' ' : ','}
                                {...form.getInputProps('includedQueries')}
                              />
                              <TextInput
                                label={t('offerForm.extraQueryPrice')}
                                description={t('offerForm.extraQueryPriceHint')}
                                inputMode="decimal"
                                {...form.getInputProps('extraQueryPrice')}
                              />
                            </SimpleGrid>
                          )}
                          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                            <TextInput
                              label={t('offerForm.memberDiscount')}
                              description={t('offerForm.memberDiscountHint')}
                              inputMode="decimal"
                              {...form.getInputProps('memberDiscount')}
                            />
                            <TextInput
                              label={t('offerForm.publicInterestPrice')}
                              description={t('offerForm.publicInterestPriceHint')}
                              inputMode="decimal"
                              {...form.getInputProps('publicInterestPrice')}
                            />
                          </SimpleGrid>
                          <Fieldset legend={t('offerForm.categoryPrices')} variant="unstyled">
                            <Text size="xs" c="dimmed" mb="xs">
                              {t('offerForm.categoryPricesHint')}
                            </Text>
                            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                              {ORGANISATION_CATEGORIES.map((c) => (
                                <TextInput
                                  key={c}
                                  label={t('offerForm.categoryPrice', { category: t(`categories.${c}`) })}
                                  inputMode="decimal"
                                  {...form.getInputProps(`categoryPrices.${c}`)}
                                />
                              ))}
                            </SimpleGrid>
                          </Fieldset>
                          {pricePreview && (
                            <Text size="sm" aria-live="polite">
                              {t('offerForm.pricePreview', { summary: pricePreview })}
                            </Text>
                          )}
                        </>
                      )}
                    </Stack>
                  </Fieldset>

                  <Checkbox
                    label={t('offerForm.attribution')}
                    description={
                      dataset.attribution
                        ? t('offerForm.attributionHintWith', { attribution: dataset.attribution })
                        : t('offerForm.attributionHint')
                    }
                    {...form.getInputProps('attribution', { type: 'checkbox' })}
                  />
                </Stack>
              </Tabs.Panel>

              <Tabs.Panel value="expert" pt="md">
                <Stack gap="sm">
                  <Text size="sm">{t('expert.intro')}</Text>
                  <Textarea
                    label={t('expert.label')}
                    description={t('expert.hint')}
                    autosize
                    minRows={16}
                    maxRows={40}
                    spellCheck={false}
                    classNames={{ input: 'json-editor' }}
                    value={json}
                    onChange={(e) => {
                      setJson(e.currentTarget.value);
                      setJsonEdited(true);
                    }}
                    onBlur={() => setJsonTouched(true)}
                    error={
                      parseError && (jsonTouched || jsonEdited)
                        ? t('expert.parseError', { line: parseError.line, column: parseError.column, message: parseError.message })
                        : undefined
                    }
                  />
                  <Group gap="sm">
                    <Button
                      variant="default"
                      size="xs"
                      onClick={() => {
                        setJson(expertText(built));
                        setJsonEdited(false);
                      }}
                    >
                      {t('expert.regenerate')}
                    </Button>
                    {!parseError && (
                      <Button variant="default" size="xs" onClick={() => setJson(JSON.stringify(JSON.parse(json), null, 2))}>
                        {t('expert.format')}
                      </Button>
                    )}
                  </Group>
                  {fromServer.length > 0 && (
                    <Alert color="red" variant="light" title={t('expert.serverIssues')} role="alert">
                      <IssueList issues={fromServer} label={t('expert.serverIssues')} />
                    </Alert>
                  )}
                </Stack>
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="offer-preview-title" className="offer-preview">
            <Stack gap="sm">
              <Text fw={700} id="offer-preview-title" component="h2" size="lg" m={0}>
                {t('offerPreview.title')}
              </Text>
              <Text size="sm" c="dimmed">
                {t('offerPreview.intro')}
              </Text>
              <PolicyPreview check={check} agreement={values.agreement} title={values.title} />
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>

      <Stack gap="sm" mt="lg">
        {error !== null && error !== undefined && (
          <>
            <FormError error={error} />
            {isApiError(error, 'charter_not_signed') && (
              <Text size="sm">
                <Anchor component={Link} to="/charte">
                  {t('offerForm.toCharter')}
                </Anchor>
              </Text>
            )}
            {fromServer.length > 0 && tab === 'form' && (
              <Alert color="red" variant="light" title={t('expert.serverIssues')}>
                <IssueList issues={fromServer} label={t('expert.serverIssues')} />
              </Alert>
            )}
          </>
        )}
        <Group justify="space-between">
          {onBack ? (
            <Button variant="default" onClick={onBack}>
              {t('offerForm.back')}
            </Button>
          ) : (
            <span />
          )}
          <Group gap="sm">
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={submitting}>
              {submitLabel}
            </Button>
          </Group>
        </Group>
        {tab === 'expert' && (
          <Text size="xs" c="dimmed" ta="right">
            {t('expert.submitsJson')} <Code>policy</Code>
          </Text>
        )}
      </Stack>
    </form>
  );
}
