import { useState } from "react";
import { api, ApiError, type Film, type Page } from "../api";
import { BarChart } from "../components/BarChart";
import { Field } from "../components/Field";
import { Empty, ErrorState, Resource } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { stageOrder } from "../films";
import { useI18n } from "../i18n";
import { useApi } from "../useApi";

/** GET /api/admin/accounts (gateway/routes/admin.py AdminAccountOut). */
interface Account {
  id: string; email: string; display_name: string; role: string; language: string; created_at: string;
  status: "active" | "suspended"; suspension_reason: string | null; status_changed_at: string | null; status_changed_by: string | null;
}
interface Metrics { daily: Array<{ date: string; films: number; credits: number; revenue_cents: number }>; mrr_by_plan: Record<string, number>; topup_revenue_cents: number; users: number; films: number; low_balance_accounts: number }
/** GET /api/admin/moderation (ModerationItemOut). */
interface Held { film_id: string; project_id: string | null; owner_email: string | null; title: string | null; matches: string[]; excerpt: string; held_at: string }
const items = <T,>(d: Page<T>): T[] => d.items;

export default function Admin() {
  const { t, number, money, date } = useI18n();
  const metrics = useApi<Metrics>("/admin/metrics");
  const [search, setSearch] = useState("");
  const accounts = useApi<Page<Account>>(`/admin/accounts?limit=50${search.trim() ? `&email=${encodeURIComponent(search.trim())}` : ""}`);
  const films = useApi<Film[]>("/admin/films?limit=30");
  const queue = useApi<Page<Held>>("/admin/moderation");
  const [selected, setSelected] = useState<Account | null>(null);
  const [reason, setReason] = useState("");
  const [credits, setCredits] = useState("");
  const [touched, setTouched] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const reasonError = touched && reason.trim().length < 3 ? t("admin.reasonMissing") : null;
  const creditsError = touched && (!/^[+-]?\d+$/.test(credits.trim()) || Number(credits) === 0) ? "+100 / -50" : null;

  async function act(path: string, body: object, done: string) {
    setFailure(null);
    setNote(null);
    try {
      await api(path, { method: "POST", body });
      setNote(done);
      setReason(""); setCredits(""); setTouched(false);
      if (selected && path.includes(selected.id)) {
        // The row's new status: suspended / reinstated accounts are read back from the projection.
        const found = await api<Page<Account>>(`/admin/accounts?email=${encodeURIComponent(selected.email)}`);
        setSelected(found.items.find((a) => a.id === selected.id) ?? null);
      }
      accounts.reload(); queue.reload(); metrics.reload();
    } catch (e) { setFailure(e instanceof ApiError ? e : null); }
  }

  function withReason(run: () => void) {
    setTouched(true);
    if (reason.trim().length >= 3) run();
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
      <Field label={t("admin.search")} type="search" value={search} dir="ltr" onChange={(e) => setSearch(e.target.value)} />
      <Resource loaded={accounts}>
        {(d) => items(d).length === 0 ? <Empty /> : (
          <table>
            <thead><tr><th>{t("admin.name")}</th><th>{t("admin.role")}</th><th>{t("admin.status")}</th><th>{t("admin.since")}</th><th /></tr></thead>
            <tbody>
              {items(d).map((a) => (
                <tr key={a.id} aria-selected={selected?.id === a.id} data-email={a.email}>
                  <td>{a.display_name}<br /><small className="muted" dir="ltr">{a.email}</small></td>
                  <td>{a.role}</td>
                  <td>
                    <span className={`badge ${a.status === "suspended" ? "failed" : "completed"}`}>{t(a.status === "suspended" ? "admin.suspended" : "admin.active")}</span>
                    {a.suspension_reason && <><br /><small className="muted">{a.suspension_reason}</small></>}
                  </td>
                  <td>{date(a.created_at)}</td>
                  <td><button type="button" onClick={() => { setSelected(a); setTouched(false); setNote(null); }}
                    aria-label={`${t("admin.manage")} ${a.email}`}>{t("admin.manage")}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>
      {selected && (
        <div className="card" data-testid="account">
          <h3>{selected.display_name} (<span dir="ltr">{selected.email}</span>) · {t(selected.status === "suspended" ? "admin.suspended" : "admin.active")}</h3>
          <Field label={t("admin.reason")} value={reason} onChange={(e) => setReason(e.target.value)} error={reasonError} />
          <div className="row">
            <Field label={t("admin.credits")} value={credits} inputMode="numeric" onChange={(e) => setCredits(e.target.value)} error={creditsError} />
            <button type="button" onClick={() => { setTouched(true); if (reason.trim() && !creditsError && credits.trim()) act(`/admin/accounts/${selected.id}/credits`, { credits: Number(credits), reason: reason.trim() }, t("admin.adjusted", { n: credits.trim(), email: selected.email })); }}>{t("admin.apply")}</button>
          </div>
          <p className="row">
            {selected.status === "suspended"
              ? <button type="button" onClick={() => act(`/admin/accounts/${selected.id}/reinstate`, { note: reason.trim() }, t("admin.reinstate"))}>{t("admin.reinstate")}</button>
              : <button type="button" className="danger" onClick={() => withReason(() => act(`/admin/accounts/${selected.id}/suspend`, { reason: reason.trim() }, t("admin.suspendedNote", { email: selected.email })))}>{t("admin.suspend")}</button>}
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
                  <td>{h.title ?? h.film_id}<br /><small className="muted" dir="ltr">{h.owner_email}</small></td>
                  <td>{h.matches.join(", ")}<br /><small className="muted">{h.excerpt}</small></td><td>{date(h.held_at)}</td>
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
