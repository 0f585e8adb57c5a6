import { Badge } from '@mantine/core';
import { LICENCES, type AccessLevel, type DatasetStatus, type FileFormat, type LicenceCode } from '@confiance/contract';
import { useI18n, type Translate } from '../../i18n';
import { LockIcon } from '../../components/Icons';

/** One colour per access level, the same on the result cards, the dataset page and the publish form. */
export const ACCESS_COLORS: Record<AccessLevel, string> = {
  open: 'teal',
  members: 'confiance',
  restricted: 'orange',
  aggregate_only: 'grape',
};

/** File types as people write them (the codes are the EU vocabulary's, in capitals). */
const FORMAT_NAMES: Partial<Record<FileFormat, string>> = { PARQUET: 'Parquet', GEOJSON: 'GeoJSON' };

export function formatLabel(format: string): string {
  return FORMAT_NAMES[format as FileFormat] ?? format;
}

/** The short name of a licence: the contract's, except the proprietary one, which is a sentence to translate. */
export function licenceLabel(t: Translate, code: LicenceCode): string {
  return code === 'proprietary' ? t('licence.proprietary') : LICENCES[code].shortLabel;
}

export function licenceFullLabel(t: Translate, code: LicenceCode): string {
  return code === 'proprietary' ? t('licence.proprietaryFull') : LICENCES[code].label;
}

export function AccessBadge({ level, size = 'sm' }: { level: AccessLevel; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useI18n();
  return (
    <Badge
      variant="light"
      color={ACCESS_COLORS[level]}
      size={size}
      leftSection={level === 'open' ? undefined : <LockIcon size={12} />}
      tt="none"
    >
      {t(`access.${level}`)}
    </Badge>
  );
}

export function LicenceBadge({ code, size = 'sm' }: { code: LicenceCode; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useI18n();
  const licence = LICENCES[code];
  return (
    <Badge variant="outline" color="gray" size={size} tt="none" c="gray.8" title={licenceFullLabel(t, code)}>
      {licenceLabel(t, code)}
      {!licence.commercialUse && ` · ${t('licence.nonCommercialShort')}`}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: DatasetStatus }) {
  const { t } = useI18n();
  if (status === 'deprecated') {
    return (
      <Badge variant="light" color="yellow" size="sm">
        {t('dataset.status.deprecated')}
      </Badge>
    );
  }
  if (status === 'withdrawn') {
    return (
      <Badge variant="light" color="red" size="sm">
        {t('dataset.status.withdrawn')}
      </Badge>
    );
  }
  return null;
}

/** Byte sizes in the interface's language: 1,2 Mo in French, 1.2 MB in English. */
export function formatBytes(bytes: number, locale: string): string {
  const units = locale === 'fr' ? ['o', 'ko', 'Mo', 'Go', 'To'] : ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
