import { api } from "../api";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { useApi } from "../useApi";
import { appLink, type Feed } from "../notifications";
import { Empty, Resource } from "./States";

/** The caller's latest notifications (already in their language), with a way to mark each read. */
export function Notifications() {
  const { t, date, number } = useI18n();
  const feed = useApi<Feed>("/notifications?limit=5");
  return (
    <div className="card">
      <h2>{t("nav.notifications")} {feed.data && feed.data.unread > 0 && <span className="badge running">{number(feed.data.unread)}</span>}</h2>
      <Resource loaded={feed}>
        {(f) => f.items.length === 0 ? <Empty /> : (
          <ul className="notifications">
            {f.items.map((n) => (
              <li key={n.id} className={n.read ? "muted" : undefined}>
                <strong>{n.title}</strong> <small>{date(n.created_at)}</small>
                <div>{n.message}</div>
                {appLink(n) && <Link to={appLink(n)!}>{t("dash.open")}</Link>}
                {!n.read && (
                  <button type="button" onClick={async () => { await api(`/notifications/${n.id}/read`, { method: "POST" }); feed.reload(); }}>✓</button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Resource>
      <p><Link to="/notifications">{t("dash.allNotes")}</Link></p>
    </div>
  );
}
