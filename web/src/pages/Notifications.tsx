import { useEffect, useState } from "react";
import { api, ApiError } from "../api";
import { Empty, ErrorState, Resource } from "../components/States";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { useApi } from "../useApi";
import { appLink, type Feed } from "../notifications";

const REFRESH_MS = 5000;

export default function Notifications() {
  const { t, date, number } = useI18n();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [before, setBefore] = useState<number[]>([]); // the pages walked back through, newest first
  const cursor = before[before.length - 1];
  const feed = useApi<Feed>(`/notifications?limit=20${unreadOnly ? "&unread=true" : ""}${cursor ? `&before=${cursor}` : ""}`);
  const [failure, setFailure] = useState<ApiError | null>(null);

  // New notifications arrive while the page is open (a film finishing, a payment): re-read the first page.
  useEffect(() => {
    if (cursor) return;
    const id = setInterval(feed.reload, REFRESH_MS);
    return () => clearInterval(id);
  }, [cursor, feed.reload]);

  async function markRead(ids: string[]) {
    setFailure(null);
    try {
      for (const id of ids) await api(`/notifications/${id}/read`, { method: "POST" });
      feed.reload();
    } catch (e) { setFailure(e instanceof ApiError ? e : null); }
  }

  return (
    <section>
      <h1>{t("nav.notifications")} {feed.data && feed.data.unread > 0 && <span className="badge running" data-testid="unread">{number(feed.data.unread)}</span>}</h1>
      <p className="row">
        <label className="check"><input type="checkbox" checked={unreadOnly} onChange={(e) => { setUnreadOnly(e.target.checked); setBefore([]); }} /> {t("notes.unreadOnly")}</label>
        <button type="button" disabled={!feed.data?.items.some((n) => !n.read)}
          onClick={() => markRead(feed.data!.items.filter((n) => !n.read).map((n) => n.id))}>{t("notes.markAll")}</button>
        <Link to="/settings">{t("notes.preferences")}</Link>
      </p>
      {failure && <ErrorState error={failure} />}
      <Resource loaded={feed}>
        {(f) => f.items.length === 0 ? <Empty>{t("notes.none")}</Empty> : (
          <>
            <ul className="notifications" aria-live="polite">
              {f.items.map((n) => (
                <li key={n.id} className={`card ${n.read ? "muted" : "unread"}`} data-kind={n.kind} data-read={n.read}>
                  <strong>{n.title}</strong> <small>{date(n.created_at)}</small>
                  <div>{n.message}</div>
                  <p className="row">
                    {appLink(n) && <Link to={appLink(n)!}>{t("dash.open")}</Link>}
                    {typeof n.data.url === "string" && /^https?:/.test(n.data.url) && <a href={n.data.url} target="_blank" rel="noreferrer">{n.data.url}</a>}
                    {!n.read && <button type="button" onClick={() => markRead([n.id])}>{t("notes.markRead")}</button>}
                  </p>
                </li>
              ))}
            </ul>
            <p className="row">
              {before.length > 0 && <button type="button" onClick={() => setBefore(before.slice(0, -1))}>{t("notes.newer")}</button>}
              {f.next_before && <button type="button" onClick={() => setBefore([...before, f.next_before!])}>{t("notes.older")}</button>}
            </p>
          </>
        )}
      </Resource>
    </section>
  );
}
