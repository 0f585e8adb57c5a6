import { InfoIcon } from '../../components/Icons';
import { StatePage } from '../../components/StatePage';
import { useT } from '../../i18n';

export function NotFoundPage() {
  const t = useT();
  return (
    <StatePage
      title={t('notFound.title')}
      body={t('notFound.body')}
      icon={<InfoIcon size={24} />}
      action={{ label: t('common.backToDirectory'), to: '/membres' }}
    />
  );
}
