import type { OrganisationCategory } from '@confiance/contract';

/** One colour per member category, the same on the directory cards and the organisation page. */
export const CATEGORY_COLORS: Record<OrganisationCategory, string> = {
  public_body: 'confiance',
  company: 'grape',
  research: 'teal',
  association: 'orange',
};
