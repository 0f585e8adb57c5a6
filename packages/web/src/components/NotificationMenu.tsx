import { ActionIcon, Indicator, Menu, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { contractKeys, useNotifications, useReadAllNotifications, useReadNotification } from '../api/contracts';
import { useSession } from '../api/session';
import { useI18n } from '../i18n';
import { FrenchText } from '../routes/policies/labels';
import { BellIcon } from './Icons';

const SHOWN = 8;

/** A notification's link is a portal path; anything else (a full URL) is not followed. */
function safeLink(link: string): string {
  return link.startsWith('/') && !link.startsWith('//') ? link : '/';
}

/**
 * The bell in the header: the unread count, the latest notifications (their French titles, the
 * kind in the interface's language) linking to their page, and « Tout marquer comme lu ».
 */
export function NotificationMenu() {
  const { t, formatDateTime } = useI18n();
  const session = useSession();
  const list = useNotifications();
  const read = useReadNotification();
  const readAll = useReadAllNotifications();
  const queryClient = useQueryClient();
  const newest = list.data?.items[0]?.id;
  const seen = useRef<string | undefined>(undefined);

  // Something happened (a request decided, a contract terminated): pages showing requests and
  // contracts are asked again, so an open contract page shows « Résilié » without a reload.
  useEffect(() => {
    if (newest === undefined) return;
    if (seen.current !== undefined && seen.current !== newest) {
      void queryClient.invalidateQueries({ queryKey: contractKeys.all });
    }
    seen.current = newest;
  }, [newest, queryClient]);

  if (!session.data) return null;
  const unread = list.data?.unread ?? 0;
  const items = list.data?.items.slice(0, SHOWN) ?? [];
  const shown = unread > 99 ? '99+' : String(unread);
  // The visible count starts the button's name (WCAG 2.5.3, label in name).
  const name = unread > 0 ? t('notifications.buttonUnread', { count: unread, shown }) : t('notifications.button');

  return (
    // No focus placeholder: it is a role="presentation" element inside role="menu", which only takes items.
    <Menu position="bottom-end" width={380} withinPortal withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" radius="xl" aria-label={name} title={name}>
          <Indicator label={shown} disabled={unread === 0} size={18} offset={2} color="red.9">
            <BellIcon size={22} />
          </Indicator>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('notifications.title')}</Menu.Label>
        {list.isError ? (
          <Text size="sm" px="sm" py="xs" c="red.9">
            {t('notifications.loadFailed')}
          </Text>
        ) : items.length === 0 ? (
          <Text size="sm" px="sm" py="xs" c="dimmed">
            {list.isPending ? t('app.loading') : t('notifications.empty')}
          </Text>
        ) : (
          items.map((n) => (
            <Menu.Item
              key={n.id}
              component={Link}
              to={safeLink(n.link)}
              onClick={() => {
                if (!n.read) read.mutate(n.id);
              }}
              className="notification-item"
              data-unread={!n.read || undefined}
            >
              <Stack gap={2}>
                <Text size="xs" c="dimmed">
                  {t(`notifications.kind.${n.kind}`)} · {formatDateTime(n.createdAt)}
                  {!n.read && <VisuallyHidden>{` · ${t('notifications.unread')}`}</VisuallyHidden>}
                </Text>
                <Text size="sm" fw={n.read ? 400 : 600} lineClamp={3}>
                  <FrenchText>{n.title}</FrenchText>
                </Text>
              </Stack>
            </Menu.Item>
          ))
        )}
        <Menu.Divider />
        <Menu.Item onClick={() => readAll.mutate()} disabled={unread === 0 || readAll.isPending} closeMenuOnClick={false}>
          {t('notifications.readAll')}
        </Menu.Item>
        <Menu.Item component={Link} to="/demandes">
          {t('notifications.toRequests')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
