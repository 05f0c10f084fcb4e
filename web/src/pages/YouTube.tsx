import { useState } from "react";
import { api, ApiError } from "../api";
import { Field } from "../components/Field";
import { Empty, ErrorState, Resource } from "../components/States";
import { useI18n } from "../i18n";
import { useApi } from "../useApi";

interface Channel { id: string; title: string; thumbnail_url?: string | null }
interface Playlist { id: string; title: string; privacy?: string }
interface Upload { id: string; film_id: string; title: string; status: string; video_url?: string | null; error?: string | null; at?: string }

export default function YouTube() {
  const { t, date } = useI18n();
  const channels = useApi<{ items: Channel[] } | Channel[]>("/youtube/channels");
  const playlists = useApi<{ items: Playlist[] } | Playlist[]>("/youtube/playlists");
  const uploads = useApi<{ items: Upload[] } | Upload[]>("/youtube/uploads");
  const [name, setName] = useState("");
  const [failure, setFailure] = useState<ApiError | null>(null);
  const list = <T,>(d: { items: T[] } | T[]): T[] => (Array.isArray(d) ? d : d.items);

  async function connect() {
    setFailure(null);
    try {
      const r = await api<{ authorization_url: string }>("/youtube/connect");
      window.location.assign(r.authorization_url);
    } catch (e) { setFailure(e instanceof ApiError ? e : null); }
  }
  async function disconnect() {
    try { await api("/youtube/connection", { method: "DELETE" }); channels.reload(); } catch (e) { setFailure(e instanceof ApiError ? e : null); }
  }
  async function createPlaylist() {
    if (!name.trim()) return;
    try { await api("/youtube/playlists", { method: "POST", body: { title: name.trim() } }); setName(""); playlists.reload(); }
    catch (e) { setFailure(e instanceof ApiError ? e : null); }
  }

  return (
    <section>
      <h1>{t("yt.title")}</h1>
      {failure && <ErrorState error={failure} />}
      <h2>{t("yt.channels")}</h2>
      <Resource loaded={channels}>
        {(d) => list(d).length === 0 ? (
          <Empty>{t("yt.none")} <button type="button" className="primary" onClick={connect}>{t("yt.connect")}</button></Empty>
        ) : (
          <>
            <ul>{list(d).map((c) => <li key={c.id}>{c.title}</li>)}</ul>
            <button type="button" onClick={disconnect}>{t("yt.disconnect")}</button>
          </>
        )}
      </Resource>
      <h2>{t("yt.playlists")}</h2>
      <Resource loaded={playlists}>
        {(d) => (
          <>
            {list(d).length === 0 ? <Empty /> : <ul>{list(d).map((p) => <li key={p.id}>{p.title}</li>)}</ul>}
            <div className="row">
              <Field label={t("yt.newPlaylist")} value={name} onChange={(e) => setName(e.target.value)} />
              <button type="button" onClick={createPlaylist} disabled={!name.trim()}>{t("yt.create")}</button>
            </div>
          </>
        )}
      </Resource>
      <h2>{t("yt.uploads")}</h2>
      <Resource loaded={uploads}>
        {(d) => list(d).length === 0 ? <Empty /> : (
          <table>
            <tbody>
              {list(d).map((u) => (
                <tr key={u.id}>
                  <td>{u.video_url ? <a href={u.video_url} target="_blank" rel="noreferrer">{u.title}</a> : u.title}</td>
                  <td>{u.status}{u.error ? ` · ${u.error}` : ""}</td><td>{u.at ? date(u.at) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>
    </section>
  );
}
