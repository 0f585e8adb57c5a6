import type { ComponentType } from 'react';
import type { MessageKey } from '../i18n';
import { NetworkIcon, ProjectIcon } from './Icons';

/** Sections announced in the navigation before they exist; each has a page saying what it will do. */
export interface UpcomingSection {
  path: string;
  label: MessageKey;
  description: MessageKey;
  icon: ComponentType<{ size?: number }>;
}

export const UPCOMING_SECTIONS: readonly UpcomingSection[] = [
  { path: '/projets', label: 'nav.projects', description: 'soon.projects', icon: ProjectIcon },
  { path: '/reseau', label: 'nav.network', description: 'soon.network', icon: NetworkIcon },
];
