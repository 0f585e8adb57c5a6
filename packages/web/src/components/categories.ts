import type { OrganisationCategory } from '@confiance/contract';

/** One colour per member category, the same on the directory cards and the organisation page. */
export const CATEGORY_COLORS: Record<OrganisationCategory, string> = {
  public_body: 'confiance',
  company: 'grape',
  research: 'teal',
  association: 'orange',
};

/**
 * Text colours for "light" badges: Mantine's default (shade 6 on a 10 % tint) falls below the
 * 4.5:1 contrast small text needs for orange, yellow, teal and gray; these stay above it.
 */
const BADGE_TEXT: Record<string, string> = {
  confiance: 'confiance.9',
  grape: 'grape.9',
  teal: '#05664a',
  orange: '#a23b00',
  yellow: '#6b4f00',
  gray: 'gray.8',
  red: 'red.9',
};

export function badgeText(color: string): string {
  return BADGE_TEXT[color] ?? `${color}.9`;
}
