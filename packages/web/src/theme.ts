import {
  Badge,
  createTheme,
  getThemeColor,
  Modal,
  MultiSelect,
  Notification,
  Select,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type MantineThemeOverride,
} from '@mantine/core';
import { badgeText } from './components/categories';
import type { Translate } from './i18n';

/** A deep institutional blue; shade 7 carries white text at a contrast ratio above 7:1. */
const confiance: MantineColorsTuple = [
  '#ebf2fa',
  '#d6e3f3',
  '#a9c4e6',
  '#7aa4d9',
  '#5289cf',
  '#3a78c9',
  '#2c6ec7',
  '#1f5cae',
  '#17519c',
  '#0a4589',
];

/**
 * The theme depends on the language: icon-only buttons that Mantine draws itself (close a dialog
 * or a notification, clear a select) get names in the interface's language.
 */
export function buildTheme(t: Translate): MantineThemeOverride {
  const close = { 'aria-label': t('common.close') };
  const clear = { 'aria-label': t('common.clear') };
  return createTheme({
    colors: { confiance },
    primaryColor: 'confiance',
    primaryShade: { light: 7, dark: 5 },
    defaultRadius: 'md',
    focusRing: 'auto',
    cursorType: 'pointer',
    headings: { fontWeight: '650' },
    components: {
      // Light badges get a darker text than Mantine's default so small labels stay readable (WCAG AA).
      Badge: Badge.extend({
        vars: (theme, props) =>
          props.variant === 'light'
            ? { root: { '--badge-color': getThemeColor(badgeText(props.color ?? theme.primaryColor), theme) } }
            : { root: {} },
      }),
      Modal: Modal.extend({ defaultProps: { closeButtonProps: close } }),
      Notification: Notification.extend({ defaultProps: { closeButtonProps: close } }),
      Select: Select.extend({ defaultProps: { clearButtonProps: clear } }),
      MultiSelect: MultiSelect.extend({ defaultProps: { clearButtonProps: clear } }),
    },
  });
}

/** Mantine's "dimmed" grey (gray.6) is 3.3:1 on white; gray.7 passes AA for body text. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  // Error messages under fields: Mantine's red (red.6, 3.3:1 on white) is too pale for small text.
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)', '--mantine-color-error': 'var(--mantine-color-red-9)' },
  dark: {},
});
