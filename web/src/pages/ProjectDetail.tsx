import { useState } from "react";
import { api, ApiError, type Film, type Project } from "../api";
import { ProgressBar } from "../components/ProgressBar";
import { ScriptEditor } from "../components/ScriptEditor";
import { PublishForm } from "../components/PublishForm";
import { ErrorState, Loading, Resource } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { fileLabels, filmFiles, failureReason, isDraft, stageOrder } from "../films";
import { useI18n, type Key } from "../i18n";
import { Link, navigate } from "../router";
import { useApi } from "../useApi";
import { useFilmStream } from "../useFilmStream";

export default function ProjectDetail({ params }: { params: Record<string, string> }) {
  const { t, date, languageName } = useI18n();
  const labels = fileLabels(t, languageName);
  const project = useApi<Project>(`/projects/${params.id}`);
  const films = useApi<Film[]>(`/projects/${params.id}/films`);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const latest = films.data?.[0];

  async function render(draft: boolean) {
    setBusy(true);
    setFailure(null);
    try {
      if (project.data && project.data.spec.draft !== draft) {
        await api(`/projects/${params.id}`, { method: "PATCH", body: { draft } });
      }
      await api(`/projects/${params.id}/films`, { method: "POST" });
      films.reload();
      project.reload();
    } catch (e) {
      setFailure(e instanceof ApiError ? e : null);
    }
    setBusy(false);
  }

  async function remove() {
    if (!window.confirm(t("project.delete"))) return;
    await api(`/projects/${params.id}`, { method: "DELETE" });
    navigate("/dashboard");
  }

  return (
    <Resource loaded={project}>
      {(p) => (
        <section>
          <p><Link to="/dashboard">← {t("nav.dashboard")}</Link></p>
          <h1>{p.title}</h1>
          <p className="row">
            <button type="button" onClick={() => render(true)} disabled={busy || latest?.status === "running"}>{t("project.draft")}</button>
            <button type="button" className="primary" onClick={() => render(false)} disabled={busy || latest?.status === "running"}>{t("project.final")}</button>
          </p>
          {failure && (failure.status === 402 ? (
            <div className="notice" role="alert">
              <p>{t("project.noCredits", { cost: String(failure.problem.cost ?? "?"), balance: String(failure.problem.balance ?? "?") })}</p>
              <Link className="button primary" to="/credits">{t("project.topup")}</Link>
            </div>
          ) : <ErrorState error={failure} />)}
          {films.error ? <ErrorState error={films.error} retry={films.reload} /> : !films.data ? <Loading /> :
            films.data.length === 0 ? <p className="empty">{t("project.noFilms")}</p> : (
              <>
                <LiveFilm key={latest!.id} film={latest!} onChange={() => { films.reload(); project.reload(); }} onRetry={() => render(p.spec.draft)} />
                {films.data.length > 1 && (
                  <>
                    <h2>{t("project.films")}</h2>
                    <table>
                      <tbody>
                        {films.data.slice(1).map((f) => (
                          <tr key={f.id}>
                            <td><StatusBadge status={f.status} /></td>
                            <td>{isDraft(f) ? t("project.draftBadge") : ""}</td>
                            <td>{date(f.requested_at)}</td>
                            <td>{filmFiles(f).videos.map((v) => <a key={v.key} href={v.url} download className="dl">{labels.video(v)}</a>)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                )}
              </>
            )}
          <ScriptEditor key={p.id} project={p} onSaved={project.reload} />
          <p><button type="button" className="danger" onClick={remove}>{t("project.delete")}</button></p>
        </section>
      )}
    </Resource>
  );
}

function LiveFilm({ film: initial, onChange, onRetry }: { film: Film; onChange: () => void; onRetry: () => void }) {
  const { t, number, duration, languageName } = useI18n();
  const film = useFilmStream(initial, onChange) ?? initial;
  const files = filmFiles(film);
  const labels = fileLabels(t, languageName);
  const draft = isDraft(film);
  const [showPublish, setShowPublish] = useState(false);

  async function cancel() {
    await api(`/films/${film.id}/cancel`, { method: "POST" });
    onChange();
  }

  return (
    <div className="card" data-testid="film" data-status={film.status}>
      <h2>{t("project.progress")} <StatusBadge status={film.status} /> {draft && <span className="badge">{t("project.draftBadge")}</span>}</h2>
      {film.status === "running" && (
        <>
          <ProgressBar value={film.percent / 100} label={t("project.progress")} />
          <p aria-live="polite" data-testid="percent">
            {number(Math.round(film.percent))}% {film.current_stage ? `· ${film.current_stage}` : ""}
            {film.eta_seconds != null ? ` · ${t("project.eta", { t: duration(film.eta_seconds) })}` : ""}
          </p>
          <button type="button" onClick={cancel}>{t("project.cancel")}</button>
        </>
      )}
      {film.status === "failed" && (
        <div className="error-box" role="alert" data-testid="failure">
          <p><strong>{t("project.failedWhy", { reason: failureReason(film) ?? "" })}</strong></p>
          <p>{t("project.retryHint")}</p>
          <button type="button" className="primary" onClick={onRetry}>{t("project.regenerate")}</button>
        </div>
      )}
      <ul className="stages" aria-label={t("project.stage")}>
        {stageOrder(film.dag).map((name) => {
          const s = film.stages[name];
          const status = s?.status ?? "pending";
          return (
            <li key={name} data-stage={name} data-status={status}>
              <strong>{name}</strong> <span className="muted">{t((`status.${status}`) as Key) ?? status}</span>
              {status === "running" && <ProgressBar value={s.fraction} label={name} />}
              {s?.message && <small className="muted"> {s.message}</small>}
            </li>
          );
        })}
      </ul>
      {files.videos.length > 0 && (
        <>
          <h2>{draft ? t("project.draftPlayer") : t("project.player")}</h2>
          <video controls preload="metadata" src={files.videos[0].url} poster={files.thumbnails[0]?.url} data-testid="player">
            {files.subtitles.filter((s) => s.key.endsWith(".vtt")).map((s, i) => (
              <track key={s.key} kind="subtitles" src={s.url} default={i === 0} label={labels.language(s)} srcLang={s.track?.language} />
            ))}
          </video>
        </>
      )}
      {film.downloads.length > 0 && (
        <>
          <h2>{t("project.downloads")}</h2>
          <ul className="downloads">
            {files.videos.map((v) => <li key={v.key}><a href={v.url} download>{labels.video(v)}</a></li>)}
            {files.subtitles.map((s) => <li key={s.key}><a href={s.url} download>{labels.subtitles(s)}</a></li>)}
          </ul>
          {files.thumbnails.length > 0 && (
            <>
              <h3>{t("project.thumbnails")}</h3>
              <div className="thumbs">{files.thumbnails.map((th) => <a key={th.key} href={th.url} download title={labels.thumbnail(th)}><img src={th.url} alt={labels.thumbnail(th)} loading="lazy" /></a>)}</div>
            </>
          )}
          {files.cast.length > 0 && (
            <div className="thumbs" aria-label={t("wizard.cast")}>
              {files.cast.map((c) => <img key={c.key} src={c.url} alt={c.character ? t("cast.lookOf", { name: c.character }) : c.name} loading="lazy" className="look" />)}
            </div>
          )}
        </>
      )}
      {film.status === "completed" && (
        <p>
          <button type="button" onClick={() => setShowPublish(!showPublish)} aria-expanded={showPublish}>{t("project.publish")}</button>
        </p>
      )}
      {showPublish && <PublishForm filmId={film.id} />}
    </div>
  );
}
