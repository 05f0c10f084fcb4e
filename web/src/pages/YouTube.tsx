import { useEffect, useState } from "react";
import { api, ApiError } from "../api";
import { Field } from "../components/Field";
import { ProgressBar } from "../components/ProgressBar";
import { Empty, ErrorState, Loading, Resource } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { useApi } from "../useApi";

/** Shapes of gateway/routes/youtube.py: ChannelOut, PlaylistOut, UploadOut. */
interface Channel { id: string; title: string }
interface Playlist { id: string; title: string; privacy: string }
export interface YouTubeUpload {
  id: string; film_id: string; title: string; status: string; percent: number; video_id: string | null; url: string | null;
  error: string | null; retryable: boolean | null; automatic: boolean; requested_at: string; updated_at: string;
}
const FINISHED = ["published", "failed"];

/** Asks the studio for Google's consent page and goes there; Google sends the browser back to the callback. */
export async function connectYouTube(): Promise<void> {
  const r = await api<{ authorization_url: string }>("/youtube/connect");
  window.location.assign(r.authorization_url);
}

/** The creator's uploads, refreshed every 2 s while one is still on its way. */
export function useUploads(filmId?: string) {
  const uploads = useApi<YouTubeUpload[]>(`/youtube/uploads${filmId ? `?film_id=${filmId}` : ""}`);
  const pending = uploads.data?.some((u) => !FINISHED.includes(u.status)) ?? false;
  useEffect(() => {
    if (!pending) return;
    const id = setInterval(uploads.reload, 2000);
    return () => clearInterval(id);
  }, [pending, uploads.reload]);
  return uploads;
}

export function UploadRows({ items }: { items: YouTubeUpload[] }) {
  const { t, date, number } = useI18n();
  return (
    <table>
      <thead><tr><th>{t("yt.publishTitle")}</th><th>{t("admin.status")}</th><th>{t("credits.when")}</th></tr></thead>
      <tbody>
        {items.map((u) => (
          <tr key={u.id} data-testid="upload" data-status={u.status}>
            <td>
              {u.title}
              {u.url && <><br /><a href={u.url} target="_blank" rel="noreferrer" dir="ltr">{u.url}</a></>}
            </td>
            <td>
              <StatusBadge status={u.status} />
              {!FINISHED.includes(u.status) && <><ProgressBar value={u.percent / 100} label={u.title} /> {number(Math.round(u.percent))}%</>}
              {u.error && <><br /><small className="field-error">{u.error}</small></>}
            </td>
            <td>{date(u.requested_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function YouTube() {
  const { t } = useI18n();
  const channels = useApi<Channel[]>("/youtube/channels");
  const connected = (channels.data?.length ?? 0) > 0;
  const playlists = useApi<Playlist[]>(connected ? "/youtube/playlists" : null);
  const uploads = useUploads();
  const [name, setName] = useState("");
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function connect() {
    setFailure(null);
    setBusy(true);
    try { await connectYouTube(); } catch (e) { setFailure(e instanceof ApiError ? e : null); setBusy(false); }
  }
  async function disconnect() {
    try { await api("/youtube/connection", { method: "DELETE" }); channels.reload(); } catch (e) { setFailure(e instanceof ApiError ? e : null); }
  }
  async function createPlaylist() {
    if (!name.trim()) return;
    try { await api("/youtube/playlists", { method: "POST", body: { title: name.trim(), privacy: "private" } }); setName(""); playlists.reload(); }
    catch (e) { setFailure(e instanceof ApiError ? e : null); }
  }

  // Not connected answers 409 with the reason; every other error is shown as it is.
  const notConnected = channels.error?.status === 409;
  return (
    <section>
      <h1>{t("yt.title")}</h1>
      {failure && <ErrorState error={failure} />}
      <h2>{t("yt.channels")}</h2>
      {channels.error && !notConnected ? <ErrorState error={channels.error} retry={channels.reload} />
        : !channels.data && !notConnected ? <Loading />
        : !connected ? (
          <Empty>
            <p>{channels.error?.problem.detail ?? t("yt.none")}</p>
            <button type="button" className="primary" onClick={connect} disabled={busy}>{t("yt.connect")}</button>
          </Empty>
        ) : (
          <div className="card" data-testid="channel">
            <ul>{channels.data!.map((c) => <li key={c.id}><strong>{c.title}</strong> <small className="muted" dir="ltr">{c.id}</small></li>)}</ul>
            <button type="button" onClick={disconnect}>{t("yt.disconnect")}</button>
          </div>
        )}
      {connected && (
        <>
          <h2>{t("yt.playlists")}</h2>
          <Resource loaded={playlists}>
            {(list) => (
              <>
                {list.length === 0 ? <Empty /> : <ul>{list.map((p) => <li key={p.id}>{p.title} <small className="muted">{p.privacy}</small></li>)}</ul>}
                <div className="row">
                  <Field label={t("yt.newPlaylist")} value={name} onChange={(e) => setName(e.target.value)} />
                  <button type="button" onClick={createPlaylist} disabled={!name.trim()}>{t("yt.create")}</button>
                </div>
              </>
            )}
          </Resource>
        </>
      )}
      <h2>{t("yt.uploads")}</h2>
      <Resource loaded={uploads}>
        {(list) => list.length === 0 ? <Empty>{t("yt.noUploads")} <Link to="/dashboard">{t("nav.dashboard")}</Link></Empty> : <UploadRows items={list} />}
      </Resource>
    </section>
  );
}
