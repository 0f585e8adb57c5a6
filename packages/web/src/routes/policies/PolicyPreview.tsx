import { Alert, Code, List, Stack, Text } from '@mantine/core';
import {
  checkOffer,
  describeConstraint,
  readPolicy,
  type AgreementMode,
  type CharterRules,
  type DatasetFacts,
  type Policy,
  type PolicyIssue,
  type PolicyRefs,
  type PolicyRule,
} from '@confiance/contract';
import { AlertIcon, CheckIcon } from '../../components/Icons';
import { useI18n } from '../../i18n';
import { actionText, AgreementBadge, FrenchText, readableTitle } from './labels';

export type PolicyCheck = { policy: Policy | null; issues: PolicyIssue[] };

/**
 * What the node will say of this policy, computed in the browser with the same code: read it
 * (ODRL 2.2, Confiance profile), then check it against the dataset and the charter. The server
 * checks again on submit; this only shows the problems before.
 */
export function checkPolicy(
  json: unknown,
  facts: DatasetFacts,
  context: { agreement: AgreementMode; charter: CharterRules; refs: PolicyRefs },
): PolicyCheck {
  // As the node does: an expert's policy may leave out the IRIs the node gives it.
  const filled =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? {
          ...json,
          uid: (json as Record<string, unknown>).uid ?? context.refs.offer,
          target: (json as Record<string, unknown>).target ?? context.refs.dataset,
          assigner: (json as Record<string, unknown>).assigner ?? context.refs.provider,
        }
      : json;
  const read = readPolicy(filled);
  if (!read.ok) return { policy: null, issues: read.issues };
  return { policy: read.policy, issues: checkOffer(read.policy, facts, context) };
}

export function IssueList({ issues, label }: { issues: readonly PolicyIssue[]; label: string }) {
  const { t } = useI18n();
  return (
    <List size="sm" spacing={4} aria-label={label} className="issue-list">
      {issues.map((issue, i) => (
        <List.Item key={`${issue.path}-${i}`}>
          <Code>{issue.path || t('expert.wholePolicy')}</Code> <FrenchText>{issue.message}</FrenchText>
        </List.Item>
      ))}
    </List>
  );
}

function RuleLine({ rule }: { rule: PolicyRule }) {
  const { t } = useI18n();
  return (
    <List.Item>
      <Text size="sm" span fw={500}>
        {actionText(t, rule.action)}
      </Text>
      {rule.constraints.length > 0 && (
        <List withPadding size="sm" spacing={2} listStyleType="disc">
          {rule.constraints.map((c) => (
            <List.Item key={c.path}>
              <FrenchText>{describeConstraint(c)}</FrenchText>
            </List.Item>
          ))}
        </List>
      )}
      {rule.duties.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('offerPreview.dutiesLine', { duties: rule.duties.map((d) => actionText(t, d.action)).join(', ') })}
        </Text>
      )}
    </List.Item>
  );
}

/** The offer as a reader will see it, then what is wrong with it, if anything. */
export function PolicyPreview({ check, agreement, title }: { check: PolicyCheck; agreement: AgreementMode; title: string }) {
  const { t } = useI18n();
  const { policy, issues } = check;
  return (
    <Stack gap="sm">
      <div>
        <Text fw={600}>{title.trim() || t('offerPreview.untitled')}</Text>
        <AgreementBadge mode={agreement} />
      </div>
      {policy && (
        <>
          <div>
            <Text size="sm" fw={600}>
              {t('offerPreview.permissions')}
            </Text>
            {policy.permissions.length === 0 ? (
              <Text size="sm">{t('offerPreview.none')}</Text>
            ) : (
              <List size="sm" spacing={4}>
                {policy.permissions.map((r) => (
                  <RuleLine key={r.path} rule={r} />
                ))}
              </List>
            )}
          </div>
          {policy.prohibitions.length > 0 && (
            <div>
              <Text size="sm" fw={600}>
                {t('offerPreview.prohibitions')}
              </Text>
              <List size="sm" spacing={4}>
                {policy.prohibitions.map((r) => (
                  <RuleLine key={r.path} rule={r} />
                ))}
              </List>
            </div>
          )}
          {policy.obligations.length > 0 && (
            <div>
              <Text size="sm" fw={600}>
                {t('offerPreview.obligations')}
              </Text>
              <List size="sm" spacing={4}>
                {policy.obligations.map((r) => (
                  <RuleLine key={r.path} rule={r} />
                ))}
              </List>
            </div>
          )}
        </>
      )}
      <div role="status" aria-live="polite">
        {issues.length === 0 ? (
          <Alert color="teal" variant="light" styles={readableTitle('teal')} icon={<CheckIcon />} title={t('offerPreview.valid')}>
            <Text size="sm">{t('offerPreview.validBody')}</Text>
          </Alert>
        ) : (
          <Alert color="red" variant="light" icon={<AlertIcon />} title={t('offerPreview.problems', { count: issues.length })}>
            <IssueList issues={issues} label={t('offerPreview.problemsList')} />
          </Alert>
        )}
      </div>
    </Stack>
  );
}
