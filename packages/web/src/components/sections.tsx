import type { ComponentType } from 'react';
import type { MessageKey } from '../i18n';

/** Sections announced in the navigation before they exist; each has a page saying what it will do. */
export interface UpcomingSection {
  path: string;
  label: MessageKey;
  description: MessageKey;
  icon: ComponentType<{ size?: number }>;
}

export const UPCOMING_SECTIONS: readonly UpcomingSection[] = [];
