import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Grid,
  Group,
  List,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { can, type CharterRules, type CharterSignatureView, type CharterVersionView } from '@confiance/contract';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useCharterSignatures, useCharterVersion, useCharterVersions, useCurrentCharter, useSignCharter } from '../../api/policies';
import { usePrincipal } from '../../api/session';
import { CATEGORY_COLORS } from '../../components/categories';
import { ErrorState, FormError } from '../../components/ErrorState';
import { CharterIcon, InfoIcon, SearchIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { actionText, purposeText, readableTitle } from './labels';
import { Markdown } from './Markdown';

type SignatureState = 'signed' | 'outdated' | 'unsigned';
type SignatureFilter = 'all' | SignatureState;

function signatureState(s: CharterSignatureView): SignatureState {
  if (s.current) return 'signed';
  return s.signedVersion ? 'outdated' : 'unsigned';
}

const SIGNATURE_COLORS: Record<SignatureState, string> = { signed: 'teal', outdated: 'orange', unsigned: 'red' };

export function SignatureBadge({ signature }: { signature: CharterSignatureView }) {
  const { t } = useI18n();
  const state = signatureState(signature);
  const label =
    state === 'signed'
      ? t('charter.badge.signed', { version: signature.signedVersion ?? '' })
      : state === 'outdated'
        ? t('charter.badge.outdated')
        : t('charter.badge.unsigned');
  return (
    <Badge variant="light" color={SIGNATURE_COLORS[state]} tt="none">
      {label}
    </Badge>
  );
}

/** The charter's machine-readable rules, in sentences: what the software enforces. */
function RulesList({ rules }: { rules: CharterRules }) {
  const { t, locale } = useI18n();
  return (
    <List spacing="xs" size="sm" aria-labelledby="charter-rules-title">
      <List.Item>{rules.signatureRequired ? t('charter.rule.signatureRequired') : t('charter.rule.signatureOptional')}</List.Item>
      {rules.personalDataAggregateOnly && <List.Item>{t('charter.rule.personalAggregateOnly')}</List.Item>}
      {rules.personalDataEthicsReview && <List.Item>{t('charter.rule.personalEthicsReview')}</List.Item>}
      {rules.prohibitedActions.length > 0 && (
        <List.Item>
          {t('charter.rule.prohibited')}
          <List withPadding size="sm" listStyleType="disc">
            {rules.prohibitedActions.map((a) => (
              <List.Item key={a}>{actionText(t, a)}</List.Item>
            ))}
          </List>
        </List.Item>
      )}
      {rules.favouredPurposes.length > 0 && (
        <List.Item>
          {t('charter.rule.favoured')}
          <List withPadding size="sm" listStyleType="disc">
            {rules.favouredPurposes.map((p) => (
              <List.Item key={p}>{purposeText(locale, p)}</List.Item>
            ))}
          </List>
        </List.Item>
      )}
    </List>
  );
}

/** One organisation's commitment: the admin ticks that they read it, then signs (Enter or the button). */
function SignForm({ signature, version }: { signature: CharterSignatureView; version: string }) {
  const { t } = useI18n();
  const sign = useSignCharter();
  const [agreed, setAgreed] = useState(false);
  const [missing, setMissing] = useState(false);
  const name = signature.organisation.name;
  const checkboxId = `charter-agree-${signature.organisation.slug}`;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!agreed) {
          setMissing(true);
          return;
        }
        sign.mutate(
          { organisation: signature.organisation.slug, version },
          { onSuccess: () => notifications.show({ color: 'teal', message: t('charter.signed', { organisation: name, version }) }) },
        );
      }}
      noValidate
    >
      <Stack gap="sm">
        <Checkbox
          id={checkboxId}
          checked={agreed}
          onChange={(e) => {
            setAgreed(e.currentTarget.checked);
            setMissing(false);
          }}
          label={t('charter.agree', { organisation: name, version })}
          error={missing ? t('charter.agreeRequired') : undefined}
        />
        <FormError error={sign.error} />
        <Group>
          <Button type="submit" loading={sign.isPending}>
            {t('charter.sign')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** For an org admin whose organisation has not signed the version in force. */
function SignPanel({ pending, version }: { pending: CharterSignatureView[]; version: string }) {
  const { t } = useI18n();
  if (pending.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="sign-title" id="signer" tabIndex={-1} className="sign-panel">
      <Stack gap="md">
        <SectionHeading id="sign-title" title={t('charter.signTitle')} intro={t('charter.signIntro', { version })} />
        {pending.map((s) => (
          <Stack key={s.id} gap="xs">
            {pending.length > 1 && (
              <Title order={3} size="h5">
                {s.organisation.name}
              </Title>
            )}
            <SignForm signature={s} version={version} />
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}

function SignaturesTable({ items, currentVersion }: { items: CharterSignatureView[]; currentVersion: string }) {
  const { t, formatDate, locale } = useI18n();
  const [filter, setFilter] = useState<SignatureFilter>('all');
  const [query, setQuery] = useState('');
  const count = (state: SignatureState) => items.filter((s) => signatureState(s) === state).length;
  const needle = query.trim().toLocaleLowerCase(locale);
  const shown = items.filter(
    (s) =>
      (filter === 'all' || signatureState(s) === filter) &&
      (needle === '' || s.organisation.name.toLocaleLowerCase(locale).includes(needle)),
  );
  return (
    <Stack gap="sm">
      <Group gap="md" align="flex-end" wrap="wrap">
        <div>
          <Text size="sm" fw={500} id="signature-filter-label" mb={4}>
            {t('charter.filter')}
          </Text>
          <SegmentedControl
            aria-labelledby="signature-filter-label"
            value={filter}
            onChange={(v) => setFilter(v as SignatureFilter)}
            data={[
              { value: 'all', label: t('charter.filter.all', { count: items.length }) },
              { value: 'signed', label: t('charter.filter.signed', { count: count('signed') }) },
              { value: 'outdated', label: t('charter.filter.outdated', { count: count('outdated') }) },
              { value: 'unsigned', label: t('charter.filter.unsigned', { count: count('unsigned') }) },
            ]}
          />
        </div>
        <TextInput
          label={t('charter.search')}
          type="search"
          leftSection={<SearchIcon size={16} />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          w={260}
        />
      </Group>
      <Text size="sm" c="dimmed" role="status">
        {t('charter.shown', { count: shown.length })}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" aria-label={t('charter.signaturesOf', { version: currentVersion })}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('charter.col.organisation')}</Table.Th>
              <Table.Th scope="col">{t('charter.col.category')}</Table.Th>
              <Table.Th scope="col">{t('charter.col.status')}</Table.Th>
              <Table.Th scope="col">{t('charter.col.signedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Th scope="row" fw={500}>
                  <Anchor component={Link} to={`/organisations/${s.organisation.slug}`} size="sm">
                    {s.organisation.name}
                  </Anchor>
                </Table.Th>
                <Table.Td>
                  <Badge variant="light" color={CATEGORY_COLORS[s.organisation.category]} size="sm" tt="none">
                    {t(`categories.${s.organisation.category}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <SignatureBadge signature={s} />
                </Table.Td>
                <Table.Td>
                  {s.signedAt ? (
                    <Text size="sm">{t('charter.signedOn', { version: s.signedVersion ?? '', date: formatDate(s.signedAt) })}</Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('charter.neverSigned')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {shown.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('charter.noMatch')}
        </Text>
      )}
    </Stack>
  );
}

function Signatures({ version }: { version: string }) {
  const { t } = useI18n();
  const signatures = useCharterSignatures();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="signatures-title">
      <Stack gap="md">
        <SectionHeading id="signatures-title" title={t('charter.signatures')} intro={t('charter.signaturesIntro', { version })} />
        {signatures.isPending ? (
          <Skeleton h={160} role="status" aria-label={t('app.loading')} />
        ) : signatures.isError ? (
          <ErrorState title={t('charter.signaturesFailed')} error={signatures.error} onRetry={() => void signatures.refetch()} />
        ) : signatures.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('charter.noMembers')}
          </Text>
        ) : (
          <SignaturesTable items={signatures.data.items} currentVersion={version} />
        )}
      </Stack>
    </Paper>
  );
}

function VersionHistory({ shown, onShow }: { shown: string; onShow: (version: string) => void }) {
  const { t, formatDate } = useI18n();
  const versions = useCharterVersions();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="versions-title">
      <Stack gap="sm">
        <SectionHeading id="versions-title" title={t('charter.versions')} intro={t('charter.versionsIntro')} />
        {versions.isPending ? (
          <Skeleton h={80} role="status" aria-label={t('app.loading')} />
        ) : versions.isError ? (
          <ErrorState title={t('charter.versionsFailed')} error={versions.error} onRetry={() => void versions.refetch()} />
        ) : (
          <Table.ScrollContainer minWidth={480}>
            <Table verticalSpacing="xs" aria-label={t('charter.versions')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('charter.col.version')}</Table.Th>
                  <Table.Th scope="col">{t('charter.col.publishedAt')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('charter.col.signatureCount')}
                  </Table.Th>
                  <Table.Th scope="col">{t('charter.col.fingerprint')}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {versions.data.items.map((v) => (
                  <Table.Tr key={v.id}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" fw={500}>
                          {v.version}
                        </Text>
                        {v.current && (
                          <Badge size="xs" variant="light" color="teal" tt="none">
                            {t('charter.current')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{formatDate(v.publishedAt)}</Table.Td>
                    <Table.Td ta="right">{v.signatureCount}</Table.Td>
                    <Table.Td>
                      <Text span size="xs" ff="monospace" title={v.sha256}>
                        {v.sha256.slice(0, 12)}…
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {v.version === shown ? (
                        <Text size="xs" c="dimmed">
                          {t('charter.reading')}
                        </Text>
                      ) : (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          onClick={() => onShow(v.version)}
                          aria-label={t('charter.readVersion', { version: v.version })}
                        >
                          {t('charter.read')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

/** The text and rules of the version being read: the current one, or an older one from the history. */
function CharterText({
  charter,
  current,
  onBackToCurrent,
}: {
  charter: CharterVersionView;
  current: boolean;
  onBackToCurrent: () => void;
}) {
  const { t, locale, formatDate } = useI18n();
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="charter-text-title">
          <Stack gap="sm">
            <div>
              <Title order={2} size="h3" id="charter-text-title">
                {charter.title[locale]}
              </Title>
              <Text size="sm" c="dimmed">
                {t('charter.versionLine', { version: charter.version, date: formatDate(charter.publishedAt) })}
              </Text>
            </div>
            {!current && (
              <Alert
                color="yellow"
                variant="light"
                styles={readableTitle('yellow')}
                icon={<InfoIcon />}
                title={t('charter.olderTitle', { version: charter.version })}
              >
                <Button size="compact-sm" variant="default" onClick={onBackToCurrent} mt={4}>
                  {t('charter.backToCurrent')}
                </Button>
              </Alert>
            )}
            <Markdown source={charter.body[locale]} headingBase={2} />
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="charter-rules-title">
          <Stack gap="sm">
            <SectionHeading id="charter-rules-title" title={t('charter.rules')} intro={t('charter.rulesIntro')} />
            <RulesList rules={charter.rules} />
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

function PageSkeleton() {
  const { t } = useI18n();
  return (
    <Stack gap="md" role="status" aria-label={t('app.loading')}>
      <Skeleton h={36} w="40%" />
      <Skeleton h={18} w="60%" />
      <Skeleton h={320} mt="md" />
      <Skeleton h={200} />
    </Stack>
  );
}

export function CharterPage() {
  const { t } = useI18n();
  usePageTitle(t('charter.title'));
  const charter = useCurrentCharter();
  const signatures = useCharterSignatures();
  const [reading, setReading] = useState<string | null>(null);
  const current = charter.data ?? null;
  const older = useCharterVersion(reading !== null && reading !== current?.version ? reading : null);

  // The operator publishes versions (after the ethics commission's vote); others only read them.
  const canPublish = can(usePrincipal(), 'create', 'Charter');

  const header = (
    <Group justify="space-between" align="flex-start" gap="md">
      <Stack gap={6} style={{ flex: '1 1 420px' }}>
        <Title order={1}>{t('charter.title')}</Title>
        <Text c="dimmed" maw={760}>
          {t('charter.intro')}
        </Text>
      </Stack>
      {canPublish && (
        <Button component={Link} to="/charte/nouvelle-version">
          {t('charter.publishNew')}
        </Button>
      )}
    </Group>
  );

  if (charter.isPending) return <PageSkeleton />;
  if (charter.isError)
    return (
      <Stack gap="lg">
        {header}
        <ErrorState title={t('charter.loadFailed')} error={charter.error} onRetry={() => void charter.refetch()} />
      </Stack>
    );
  if (current === null) {
    return (
      <Stack gap="lg">
        {header}
        <Paper withBorder radius="md" p="xl">
          <Stack gap="xs" align="flex-start">
            <CharterIcon size={28} />
            <Title order={2} size="h3">
              {t('charter.noneTitle')}
            </Title>
            <Text size="sm">{t('charter.noneBody')}</Text>
          </Stack>
        </Paper>
      </Stack>
    );
  }

  const pending = (signatures.data?.items ?? []).filter((s) => s.canSign && !s.current);
  const shownVersion = reading ?? current.version;
  const shown = shownVersion === current.version ? current : older.data;

  return (
    <Stack gap="lg">
      {header}
      {pending.length > 0 && (
        <Alert
          color="orange"
          variant="light"
          styles={readableTitle('orange')}
          icon={<CharterIcon />}
          title={t('charter.ctaTitle', { version: current.version })}
        >
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {t('charter.ctaBody', { organisations: pending.map((s) => s.organisation.name).join(', '), count: pending.length })}
            </Text>
            <Anchor href="#signer" size="sm" fw={600}>
              {t('charter.ctaLink')}
            </Anchor>
          </Stack>
        </Alert>
      )}
      {shown ? (
        <CharterText charter={shown} current={shown.version === current.version} onBackToCurrent={() => setReading(null)} />
      ) : older.isError ? (
        <ErrorState title={t('charter.loadFailed')} error={older.error} onRetry={() => void older.refetch()} />
      ) : (
        <Skeleton h={320} role="status" aria-label={t('app.loading')} />
      )}
      <SignPanel pending={pending} version={current.version} />
      <Signatures version={current.version} />
      <VersionHistory shown={shownVersion} onShow={(v) => setReading(v === current.version ? null : v)} />
    </Stack>
  );
}
