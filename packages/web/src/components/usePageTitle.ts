import { useEffect } from 'react';
import { useT } from '../i18n';

/** Each page names itself in the tab and for screen readers announcing the new document title. */
export function usePageTitle(title: string | undefined): void {
  const t = useT();
  useEffect(() => {
    document.title = title ? t('app.pageTitle', { title }) : t('app.name');
  }, [title, t]);
}
