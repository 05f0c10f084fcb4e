import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError } from "../api";
import { useI18n } from "../i18n";
import { Field } from "./Field";
import FilmUploads from "./FilmUploads";
import { ErrorState, Loading } from "./States";

/** GET /api/films/{id}/publish/suggestion (SuggestionOut). */
interface Suggestion { title: string; description: string; tags: string[]; category_id: string; quota_units: number; quota_left: number }

/** Publish a finished film to the creator's YouTube channel (prefilled from the suggestion route), then follow the upload. */
export function PublishForm({ filmId }: { filmId: string }) {
  const { t, number } = useI18n();
  const [form, setForm] = useState<Suggestion | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [privacy, setPrivacy] = useState("private");
  const [kids, setKids] = useState(false);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Suggestion>(`/films/${filmId}/publish/suggestion`).then(setForm).catch((e) => setError(e instanceof ApiError ? e : null));
  }, [filmId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    setBusy(true);
    setError(null);
    const { title, description, tags, category_id } = form;
    try {
      await api(`/films/${filmId}/publish`, { method: "POST", body: { title, description, tags, category_id, privacy, made_for_kids: kids } });
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
    }
    setBusy(false);
  }

  if (done) {
    return (
      <div className="card" data-testid="publish">
        <p role="status" className="notice">{t("yt.queued")}</p>
        <FilmUploads filmId={filmId} />
      </div>
    );
  }
  if (!form) return error ? <ErrorState error={error} /> : <Loading />;
  return (
    <form onSubmit={submit} className="card" data-testid="publish">
      <Field label={t("yt.publishTitle")} value={form.title} maxLength={100} required
        error={!form.title.trim() ? t("auth.required") : null} onChange={(e) => setForm({ ...form, title: e.target.value })} />
      <div className="field">
        <label htmlFor="yt-description">{t("yt.description")}</label>
        <textarea id="yt-description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} style={{ minHeight: 100 }} />
      </div>
      <Field label={t("yt.tags")} value={form.tags.join(", ")} onChange={(e) => setForm({ ...form, tags: e.target.value.split(",").map((s) => s.trim()).filter(Boolean) })} />
      <div className="field">
        <label htmlFor="yt-privacy">{t("yt.privacy")}</label>
        <select id="yt-privacy" value={privacy} onChange={(e) => setPrivacy(e.target.value)}>
          <option value="private">{t("yt.private")}</option>
          <option value="unlisted">{t("yt.unlisted")}</option>
          <option value="public">{t("yt.public")}</option>
        </select>
      </div>
      <label className="check"><input type="checkbox" checked={kids} onChange={(e) => setKids(e.target.checked)} /> {t("yt.kids")}</label>
      <p className="muted">{t("yt.quota", { units: number(form.quota_units), left: number(form.quota_left) })}</p>
      {error && <ErrorState error={error} />}
      {error?.status === 409 && <p><a className="button" href="/youtube">{t("yt.connect")}</a></p>}
      <p><button type="submit" className="primary" disabled={busy || !form.title.trim()}>{t("yt.submit")}</button></p>
    </form>
  );
}
