import { useState } from "react";
import { api, ApiError, type Film } from "../api";
import { BarChart } from "../components/BarChart";
import { Field } from "../components/Field";
import { Empty, ErrorState, Resource } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { stageOrder } from "../films";
import { useI18n } from "../i18n";
import { useApi } from "../useApi";

interface Account { id: string; email: string; display_name: string; role: string; suspended?: boolean; plan?: string; balance?: number }
interface Metrics { daily: Array<{ date: string; films: number; credits: number; revenue_cents: number }>; mrr_by_plan: Record<string, number>; topup_revenue_cents: number; users: number; films: number }
interface Held { film_id: string; project_id?: string; owner_id?: string; title?: string; reason?: string; held_at?: string }
type Listing<T> = { items: T[] } | T[];
const items = <T,>(d: Listing<T>): T[] => (Array.isArray(d) ? d : d.items);

export default function Admin() {
  const { t, number, money, date } = useI18n();
  const metrics = useApi<Metrics>("/admin/metrics");
  const accounts = useApi<Listing<Account>>("/admin/accounts");
  const films = useApi<Film[]>("/admin/films?limit=30");
  const queue = useApi<Listing<Held>>("/admin/moderation");
  const [selected, setSelected] = useState<Account | null>(null);
  const [reason, setReason] = useState("");
  const [credits, setCredits] = useState("");
  const [touched, setTouched] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const reasonError = touched && !reason.trim() ? t("admin.reasonMissing") : null;
  const creditsError = touched && (!/^[+-]?\d+$/.test(credits.trim()) || Number(credits) === 0) ? "+100 / -50" : null;

  async function act(path: string, body: object, done: string) {
    setFailure(null);
    try {
      await api(path, { method: "POST", body });
      setNote(done);
      setReason(""); setCredits(""); setTouched(false);
      accounts.reload(); queue.reload(); metrics.reload();
    } catch (e) { setFailure(e instanceof ApiError ? e : null); }
  }

  function withReason(run: () => void) {
    setTouched(true);
    if (reason.trim()) run();
  }

  return (
    <section>
      <h1>{t("admin.title")}</h1>
      {note && <p className="notice" role="status">{note}</p>}
      {failure && <ErrorState error={failure} />}
      <h2>{t("admin.charts")}</h2>
      <Resource loaded={metrics}>
        {(m) => (
          <div className="grid">
            <BarChart title={t("admin.dailyFilms")} points={m.daily.map((d) => ({ label: d.date, value: d.films }))} format={(n) => number(n)} />
            <BarChart title={t("admin.dailyCredits")} points={m.daily.map((d) => ({ label: d.date, value: d.credits }))} format={(n) => number(n)} />
            <BarChart title={t("admin.dailyRevenue")} points={m.daily.map((d) => ({ label: d.date, value: d.revenue_cents }))} format={(n) => money(n, "usd")} />
          </div>
        )}
      </Resource>

      <h2>{t("admin.users")}</h2>
      <Resource loaded={accounts}>
        {(d) => items(d).length === 0 ? <Empty /> : (
          <table>
            <tbody>
              {items(d).map((a) => (
                <tr key={a.id} aria-selected={selected?.id === a.id}>
                  <td>{a.display_name}<br /><small className="muted">{a.email}</small></td>
                  <td>{a.role}{a.suspended ? " · suspended" : ""}</td>
                  <td>{a.balance != null ? number(a.balance) : ""}</td>
                  <td><button type="button" onClick={() => { setSelected(a); setTouched(false); }}>{t("admin.adjust")} / {t("admin.suspend")}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>
      {selected && (
        <div className="card">
          <h3>{selected.display_name} ({selected.email})</h3>
          <Field label={t("admin.reason")} value={reason} onChange={(e) => setReason(e.target.value)} error={reasonError} />
          <div className="row">
            <Field label={t("admin.credits")} value={credits} inputMode="numeric" onChange={(e) => setCredits(e.target.value)} error={creditsError} />
            <button type="button" onClick={() => { setTouched(true); if (reason.trim() && !creditsError && credits.trim()) act(`/admin/accounts/${selected.id}/credits`, { credits: Number(credits), reason: reason.trim() }, t("admin.adjust")); }}>{t("admin.apply")}</button>
          </div>
          <p className="row">
            {selected.suspended
              ? <button type="button" onClick={() => act(`/admin/accounts/${selected.id}/reinstate`, {}, t("admin.reinstate"))}>{t("admin.reinstate")}</button>
              : <button type="button" className="danger" onClick={() => withReason(() => act(`/admin/accounts/${selected.id}/suspend`, { reason: reason.trim() }, t("admin.suspend")))}>{t("admin.suspend")}</button>}
          </p>
        </div>
      )}

      <h2>{t("admin.moderation")}</h2>
      <Resource loaded={queue}>
        {(d) => items(d).length === 0 ? <Empty>{t("admin.noQueue")}</Empty> : (
          <table>
            <tbody>
              {items(d).map((h) => (
                <tr key={h.film_id}>
                  <td>{h.title ?? h.film_id}</td><td>{h.reason}</td><td>{h.held_at ? date(h.held_at) : ""}</td>
                  <td className="row">
                    <button type="button" onClick={() => act(`/admin/moderation/${h.film_id}`, { decision: "approve", note: reason }, t("admin.approve"))}>{t("admin.approve")}</button>
                    <button type="button" className="danger" onClick={() => withReason(() => act(`/admin/moderation/${h.film_id}`, { decision: "reject", note: reason.trim() }, t("admin.reject")))}>{t("admin.reject")}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>

      <h2>{t("admin.films")}</h2>
      <Resource loaded={films}>
        {(list) => list.length === 0 ? <Empty /> : (
          <table>
            <thead><tr><th>{t("credits.when")}</th><th>{t("project.stage")}</th><th>{t("admin.stages")}</th></tr></thead>
            <tbody>
              {list.map((f) => (
                <tr key={f.id}>
                  <td>{date(f.requested_at)}</td>
                  <td><StatusBadge status={f.status} /> {Math.round(f.percent)}%</td>
                  <td>{stageOrder(f.dag).map((s) => `${s}: ${f.stages[s]?.status ?? "pending"}`).join(" · ")}{f.error ? ` — ${f.error}` : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>
    </section>
  );
}
