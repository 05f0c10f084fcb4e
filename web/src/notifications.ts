/** Notifications as GET /api/notifications answers them, and where each leads in the app. */

/** GET /api/notifications (NotificationFeed): title and message already in the reader's language. */
export interface Notification { id: string; kind: string; title: string; message: string; data: Record<string, unknown>; read: boolean; position: number; created_at: string }
export interface Feed { items: Notification[]; unread: number; next_before: number | null }

/** Where a notification leads inside the app: its film's project, or the credits page for money matters. */
export function appLink(n: Pick<Notification, "kind" | "data">): string | null {
  if (typeof n.data.film_id === "string" && n.data.film_id) return `/films/${n.data.film_id}`;
  if (n.kind === "credits_low" || n.kind === "payment_received") return "/credits";
  return null;
}
