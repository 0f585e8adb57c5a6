import { Badge, Button, Grid, Group, Paper, Select, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { can, ORG_ROLES, type MembershipView, type Organisation, type OrgRole, type Principal } from '@confiance/contract';
import { useCancelInvitation, useChangeRole, useInvitations, useInvite, usePeople, useRemovePerson } from '../../api/members';
import { ErrorState, FormError } from '../../components/ErrorState';
import { errorText, useFieldErrors } from '../../components/errors';
import { SectionHeading } from '../../components/SectionHeading';
import { useConfirmedAction } from '../../components/useConfirmedAction';
import { useI18n } from '../../i18n';

const isRole = (v: string | null): v is OrgRole => (ORG_ROLES as readonly string[]).includes(v ?? '');

function TableSkeleton({ rows = 3 }: { rows?: number }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs" aria-busy="true" aria-label={t('app.loading')}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} h={36} />
      ))}
    </Stack>
  );
}

function PeopleTable({ org, principal }: { org: Organisation; principal: Principal }) {
  const { t, formatDate } = useI18n();
  const resource = { organisationId: org.id };
  const people = usePeople(org.slug, true);
  const changeRole = useChangeRole(org.slug);
  const removal = useConfirmedAction({
    mutation: useRemovePerson(org.slug),
    variables: (person: MembershipView) => person.userId,
    label: t('people.remove'),
    ariaLabel: (person) => t('people.removeLabel', { name: person.displayName }),
    title: (person) => t('people.removeTitle', { name: person.displayName }),
    body: (person) => t('people.removeBody', { name: person.displayName }),
    success: (person) => t('people.removed', { name: person.displayName }),
  });
  const me = principal.kind === 'user' ? principal.userId : null;
  const canChangeRoles = can(principal, 'update', 'Membership', resource);

  if (people.isPending) return <TableSkeleton />;
  if (people.isError) return <ErrorState title={t('people.loadFailed')} error={people.error} onRetry={() => void people.refetch()} />;
  if (people.data.items.length === 0) return <Text c="dimmed">{t('people.empty')}</Text>;

  const onRole = (person: MembershipView, role: string | null) => {
    if (!isRole(role) || role === person.role) return;
    changeRole.mutate(
      { userId: person.userId, role },
      {
        onSuccess: () =>
          notifications.show({ color: 'teal', message: t('people.roleChanged', { name: person.displayName, role: t(`roles.${role}`) }) }),
        onError: (error) => notifications.show({ color: 'red', title: t('common.errorTitle'), message: errorText(t, error) }),
      },
    );
  };

  return (
    <>
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover verticalSpacing="sm" aria-label={t('people.table', { name: org.shortName })}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('people.name')}</Table.Th>
              <Table.Th scope="col">{t('people.email')}</Table.Th>
              <Table.Th scope="col">{t('people.role')}</Table.Th>
              <Table.Th scope="col">{t('people.since')}</Table.Th>
              {canChangeRoles && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {people.data.items.map((person) => {
              const self = person.userId === me;
              const editable = canChangeRoles && !self;
              const removable = !self && can(principal, 'delete', 'Membership', { ...resource, userId: person.userId });
              return (
                <Table.Tr key={person.userId}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={500}>
                        {person.displayName}
                      </Text>
                      {self && (
                        <Badge size="xs" variant="light">
                          {t('people.you')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {person.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {editable ? (
                      <Select
                        size="xs"
                        w={220}
                        aria-label={t('people.changeRole', { name: person.displayName })}
                        data={ORG_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                        value={person.role}
                        allowDeselect={false}
                        disabled={changeRole.isPending && changeRole.variables.userId === person.userId}
                        onChange={(v) => onRole(person, v)}
                      />
                    ) : (
                      <Text size="sm">{t(`roles.${person.role}`)}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(person.since)}</Text>
                  </Table.Td>
                  {canChangeRoles && <Table.Td>{removable && removal.button(person)}</Table.Td>}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {removal.dialog}
    </>
  );
}

function InviteForm({ org }: { org: Organisation }) {
  const { t } = useI18n();
  const invite = useInvite(org.slug);
  const fieldErrors = useFieldErrors();
  const form = useForm<{ email: string; role: OrgRole }>({
    initialValues: { email: '', role: 'analyst' },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('common.invalidEmail')) },
  });
  const submit = form.onSubmit((values) =>
    invite.mutate(
      { email: values.email.trim(), role: values.role },
      {
        onSuccess: (invitation) => {
          notifications.show({ color: 'teal', message: t('invite.sent', { email: invitation.email }) });
          form.reset();
        },
        onError: (error) => form.setErrors(fieldErrors(error)),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate aria-labelledby="invite-title">
      <Stack gap="sm">
        <SectionHeading id="invite-title" title={t('invite.title')} intro={t('invite.intro')} order={3} />
        <Grid gap="sm" align="flex-start">
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label={t('invite.email')} type="email" autoComplete="off" required {...form.getInputProps('email')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 3 }}>
            <Select
              label={t('invite.role')}
              data={ORG_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              allowDeselect={false}
              {...form.getInputProps('role')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 3 }}>
            <Button type="submit" loading={invite.isPending} fullWidth mt={{ base: 0, sm: 25 }}>
              {t('invite.submit')}
            </Button>
          </Grid.Col>
        </Grid>
        {invite.error && !Object.keys(fieldErrors(invite.error)).length && <FormError error={invite.error} />}
      </Stack>
    </form>
  );
}

function PendingInvitations({ org, principal }: { org: Organisation; principal: Principal }) {
  const { t, formatDate } = useI18n();
  const invitations = useInvitations(org.slug, true);
  const cancellation = useConfirmedAction({
    mutation: useCancelInvitation(org.slug),
    variables: (inv: { id: string; email: string }) => inv.id,
    label: t('invite.cancel'),
    ariaLabel: (inv) => t('invite.cancelLabel', { email: inv.email }),
    title: (inv) => t('invite.cancelTitle', { email: inv.email }),
    body: () => t('invite.cancelBody'),
    cancelLabel: t('invite.keep'),
    success: (inv) => t('invite.cancelled', { email: inv.email }),
  });
  const canCancel = can(principal, 'delete', 'Invitation', { organisationId: org.id });

  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t('invite.pending')}
      </Title>
      {invitations.isPending ? (
        <TableSkeleton rows={2} />
      ) : invitations.isError ? (
        <ErrorState title={t('common.errorTitle')} error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : invitations.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('invite.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" aria-label={t('invite.pendingTable')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('people.email')}</Table.Th>
                <Table.Th scope="col">{t('people.role')}</Table.Th>
                <Table.Th scope="col">{t('invite.sentOn')}</Table.Th>
                <Table.Th scope="col">{t('invite.expires')}</Table.Th>
                {canCancel && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invitations.data.items.map((inv) => (
                <Table.Tr key={inv.id}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{inv.email}</Table.Td>
                  <Table.Td>{t(`roles.${inv.role}`)}</Table.Td>
                  <Table.Td>{formatDate(inv.createdAt)}</Table.Td>
                  <Table.Td>{formatDate(inv.expiresAt)}</Table.Td>
                  {canCancel && <Table.Td>{cancellation.button(inv)}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {cancellation.dialog}
    </Stack>
  );
}

/** The organisation's people, shown only to those the authorization table lets see them. */
export function PeopleSection({ org, principal }: { org: Organisation; principal: Principal }) {
  const { t } = useI18n();
  const resource = { organisationId: org.id };
  const canInvite = org.status === 'active' && can(principal, 'create', 'Invitation', resource);
  const canSeeInvitations = can(principal, 'list', 'Invitation', resource);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="people-title">
      <Stack gap="lg">
        <SectionHeading id="people-title" title={t('people.title')} intro={t('people.intro')} />
        <PeopleTable org={org} principal={principal} />
        {canInvite && <InviteForm org={org} />}
        {canSeeInvitations && <PendingInvitations org={org} principal={principal} />}
      </Stack>
    </Paper>
  );
}
