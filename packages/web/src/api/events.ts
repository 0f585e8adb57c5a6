import type { EventInput, EventUpdate, EventView, NotificationPreferencesInput } from '@confiance/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type EventWhen = 'upcoming' | 'past';

const keys = {
  list: (when: EventWhen) => ['events', 'list', when] as const,
  event: (id: string) => ['events', 'event', id] as const,
  registrants: (id: string) => ['events', 'registrants', id] as const,
  preferences: ['mail', 'preferences'] as const,
  failures: ['mail', 'failures'] as const,
};

export function useEvents(when: EventWhen) {
  return useQuery({ queryKey: keys.list(when), queryFn: () => api.events.list({ when }), placeholderData: keepPreviousData });
}

export function useEvent(id: string) {
  return useQuery({ queryKey: keys.event(id), queryFn: () => api.events.get(id) });
}

export function useRegistrants(id: string, enabled: boolean) {
  return useQuery({ queryKey: keys.registrants(id), queryFn: () => api.events.registrants(id), enabled });
}

/** After a change: the event's page shows it at once, the lists and registrants follow. */
function useEventChanged() {
  const queryClient = useQueryClient();
  return (event: EventView) => {
    queryClient.setQueryData(keys.event(event.id), event);
    void queryClient.invalidateQueries({ queryKey: ['events', 'list'] });
    void queryClient.invalidateQueries({ queryKey: keys.registrants(event.id) });
  };
}

export function useRegister(id: string) {
  const changed = useEventChanged();
  return useMutation({ mutationFn: () => api.events.register(id), onSuccess: changed });
}

export function useUnregister(id: string) {
  const changed = useEventChanged();
  return useMutation({ mutationFn: () => api.events.unregister(id), onSuccess: changed });
}

export function useCreateEvent() {
  const changed = useEventChanged();
  return useMutation({ mutationFn: (input: EventInput) => api.events.create(input), onSuccess: changed });
}

export function useUpdateEvent(id: string) {
  const changed = useEventChanged();
  return useMutation({ mutationFn: (patch: EventUpdate) => api.events.update(id, patch), onSuccess: changed });
}

export function useCancelEvent(id: string) {
  const changed = useEventChanged();
  return useMutation({ mutationFn: () => api.events.cancel(id), onSuccess: changed });
}

/** Public calendar files: a plain link downloads them (no session needed, calendars subscribe). */
export const eventIcsUrl = (id: string) => api.events.icsUrl(id).toString();
export const eventsFeedUrl = () => api.events.icsUrl().toString();

export function useNotificationPreferences() {
  return useQuery({ queryKey: keys.preferences, queryFn: () => api.mail.preferences() });
}

export function useUpdateNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NotificationPreferencesInput) => api.mail.updatePreferences(input),
    onSuccess: (prefs) => queryClient.setQueryData(keys.preferences, prefs),
  });
}

export function useMailFailures(enabled: boolean) {
  return useQuery({ queryKey: keys.failures, queryFn: () => api.mail.failures(), enabled });
}

export function useSendDigest() {
  return useMutation({ mutationFn: () => api.mail.sendDigest() });
}
