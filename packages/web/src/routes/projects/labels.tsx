import { Badge } from '@mantine/core';
import { OCCITANIE_DEPARTEMENTS, type ProjectRole, type ProjectStatus } from '@confiance/contract';
import { useI18n } from '../../i18n';

/** Colours whose light badges pass the contrast check (as the requests' stages). */
const STATUS_COLOR: Record<ProjectStatus, string> = { idea: 'grape', setup: 'orange', running: 'teal', closed: 'gray' };

export function ProjectStatusBadge({ status, size = 'sm' }: { status: ProjectStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useI18n();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" size={size} tt="none" style={{ flexShrink: 0 }}>
      {t(`projects.status.${status}`)}
    </Badge>
  );
}

export function useRoleLabel() {
  const { t } = useI18n();
  return (role: ProjectRole) => t(`projects.role.${role}`);
}

/** « Hérault (34), Gard (30) » */
export function territoryText(codes: readonly string[]): string {
  return codes.map((c) => `${OCCITANIE_DEPARTEMENTS[c] ?? c} (${c})`).join(', ');
}

/** Where the « request a dataset for this project » link leaves the project for the wizard to preselect. */
export const REQUEST_PROJECT_KEY = 'confiance.requestProject';
