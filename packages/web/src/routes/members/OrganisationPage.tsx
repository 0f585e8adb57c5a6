import { Alert, Anchor, Badge, Breadcrumbs, Button, Grid, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { can, DOMAINS, type Organisation } from '@confiance/contract';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useDeactivateOrganisation, useOrganisation } from '../../api/members';
import { usePrincipal } from '../../api/session';
import { CATEGORY_COLORS } from '../../components/categories';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { isApiError } from '../../components/errors';
import { AlertIcon, InfoIcon } from '../../components/Icons';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { Value } from '../../components/Value';
import { useI18n, type MessageKey } from '../../i18n';
import { NetworkSection } from '../network/NetworkSection';
import { IdentityEditModal } from './IdentityEditModal';
import { PeopleSection } from './PeopleSection';

function Row({ label, children }: { label: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Table.Tr>
      <Table.Th scope="row">{t(label)}</Table.Th>
      <Table.Td>
        <Value>{children}</Value>
      </Table.Td>
    </Table.Tr>
  );
}

const mono = (value: string | null) =>
  value ? (
    <Text span ff="monospace" size="sm">
      {value}
    </Text>
  ) : null;

function IdentityCard({ org }: { org: Organisation }) {
  const { t, formatDate } = useI18n();
  const domains = org.domains.map((d) => ((DOMAINS as readonly string[]).includes(d) ? t(`domains.${d as (typeof DOMAINS)[number]}`) : d));
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="identity-title" h="100%">
      <Title order={2} size="h3" id="identity-title" mb="sm">
        {t('org.identity')}
      </Title>
      <Table variant="vertical" layout="fixed" className="identity-table" verticalSpacing="xs">
        <Table.Tbody>
          <Row label="org.legalName">{org.legalName}</Row>
          <Row label="org.category">{t(`categories.${org.category}`)}</Row>
          <Row label="org.siren">{mono(org.siren)}</Row>
          <Row label="org.siret">{mono(org.siret)}</Row>
          <Row label="org.vatNumber">{mono(org.vatNumber)}</Row>
          <Row label="org.nafCode">{mono(org.nafCode)}</Row>
          <Row label="org.address">{org.address}</Row>
          <Row label="org.postcode">{org.postcode}</Row>
          <Row label="org.city">{org.city}</Row>
          <Row label="org.website">
            {org.website ? (
              <Anchor
                href={org.website}
                target="_blank"
                rel="noopener noreferrer"
                aria-label={t('org.website.open', { url: org.website })}
                size="sm"
              >
                {org.website.replace(/^https?:\/\//, '')}
              </Anchor>
            ) : null}
          </Row>
          <Row label="org.domains">{domains.length ? domains.join(', ') : null}</Row>
          {org.category === 'public_body' && <Row label="org.chorusServiceCode">{mono(org.chorusServiceCode)}</Row>}
          <Row label="org.uri">
            <Text span size="xs" ff="monospace">
              {org.uri}
            </Text>
          </Row>
          <Row label="org.memberSince">{formatDate(org.createdAt)}</Row>
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function PageSkeleton() {
  const { t } = useI18n();
  return (
    <Stack gap="md" aria-busy="true" aria-label={t('app.loading')}>
      <Skeleton h={14} w={200} />
      <Skeleton h={36} w="50%" />
      <Skeleton h={18} w="70%" />
      <Skeleton h={320} mt="md" />
    </Stack>
  );
}

export function OrganisationPage() {
  const { t } = useI18n();
  const { slug = '' } = useParams();
  const organisation = useOrganisation(slug);
  const principal = usePrincipal();
  const deactivate = useDeactivateOrganisation(slug);
  const [editing, edit] = useDisclosure(false);
  const [confirming, confirm] = useDisclosure(false);
  usePageTitle(organisation.data?.shortName);

  if (isApiError(organisation.error, 'not_found')) {
    return (
      <StatePage
        title={t('org.notFoundTitle')}
        body={t('org.notFoundBody')}
        icon={<InfoIcon size={24} />}
        action={{ label: t('common.backToDirectory'), to: '/membres' }}
      />
    );
  }
  if (organisation.isPending) return <PageSkeleton />;
  if (organisation.isError)
    return <ErrorState title={t('org.loadFailed')} error={organisation.error} onRetry={() => void organisation.refetch()} />;

  const org = organisation.data;
  const resource = { organisationId: org.id };
  const canEdit = can(principal, 'update', 'Organisation', resource);
  const canDeactivate = org.status === 'active' && can(principal, 'deactivate', 'Organisation', resource);
  const canSeePeople = can(principal, 'list', 'Membership', resource);

  return (
    <Stack gap="lg">
      <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
        <Anchor component={Link} to="/membres" size="sm">
          {t('nav.members')}
        </Anchor>
        <Text size="sm" aria-current="page">
          {org.shortName}
        </Text>
      </Breadcrumbs>

      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={6} style={{ flex: '1 1 420px', minWidth: 0 }}>
          <Group gap="xs">
            <Badge variant="light" color={CATEGORY_COLORS[org.category]}>
              {t(`categories.${org.category}`)}
            </Badge>
            <Badge variant={org.status === 'active' ? 'dot' : 'outline'} color={org.status === 'active' ? 'teal' : 'gray'}>
              {t(`org.status.${org.status}`)}
            </Badge>
          </Group>
          <Title order={1}>{org.shortName}</Title>
          {org.legalName !== org.shortName && <Text c="dimmed">{org.legalName}</Text>}
        </Stack>
        {(canEdit || canDeactivate) && (
          <Group gap="sm">
            {canEdit && <Button onClick={edit.open}>{t('org.edit')}</Button>}
            {canDeactivate && (
              <Button variant="outline" color="red" onClick={confirm.open}>
                {t('org.deactivate')}
              </Button>
            )}
          </Group>
        )}
      </Group>

      {org.status === 'deactivated' && (
        <Alert color="gray" icon={<AlertIcon />}>
          {t('org.deactivatedNotice')}
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: org.description ? 7 : 12 }}>
          <IdentityCard org={org} />
        </Grid.Col>
        {org.description && (
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="about-title" h="100%">
              <Title order={2} size="h3" id="about-title" mb="sm">
                {t('org.description')}
              </Title>
              <Text style={{ whiteSpace: 'pre-line' }}>{org.description}</Text>
            </Paper>
          </Grid.Col>
        )}
      </Grid>

      {org.status === 'active' && <NetworkSection slug={org.slug} />}

      {canSeePeople && <PeopleSection org={org} principal={principal} />}

      {canEdit && <IdentityEditModal org={org} opened={editing} onClose={edit.close} />}
      <ConfirmDialog
        opened={confirming}
        title={t('org.deactivateTitle', { name: org.shortName })}
        confirmLabel={t('org.deactivateConfirm')}
        loading={deactivate.isPending}
        error={deactivate.error}
        onClose={() => {
          confirm.close();
          deactivate.reset();
        }}
        onConfirm={() =>
          deactivate.mutate(undefined, {
            onSuccess: () => {
              notifications.show({ color: 'teal', message: t('org.deactivated', { name: org.shortName }) });
              confirm.close();
            },
          })
        }
      >
        {t('org.deactivateBody', { name: org.shortName })}
      </ConfirmDialog>
    </Stack>
  );
}
