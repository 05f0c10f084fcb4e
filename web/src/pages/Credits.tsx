import { useState } from "react";
import { api, ApiError, type Balance } from "../api";
import { BarChart } from "../components/BarChart";
import { Empty, ErrorState, Resource } from "../components/States";
import { useI18n } from "../i18n";
import { useLocation } from "../router";
import { useApi } from "../useApi";

interface Plan {
  id: string; name: string; price_cents: number; currency: string; monthly_credits: number; max_seconds: number;
  max_resolution: string; watermark: boolean; features: string[];
}
interface Topup { id: string; credits: number; price_cents: number; enterprise_only: boolean }
interface Plans { plans: Plan[]; topups: Topup[]; cancel_refund_policy: string }
interface Usage { days: Array<{ date: string; credits: number; films: number }> }
interface HistoryItem { id: string; at: string; kind: string; credits: number; balance_after: number; film_id: string | null; reason: string | null }
interface History { items: HistoryItem[]; next_cursor: string | null }
interface Invoice { id: string; at: string; amount_cents: number; currency: string; description: string; receipt_url: string | null; status: string }

export default function Credits() {
  const { t, number, money, date } = useI18n();
  const location = useLocation();
  const balance = useApi<Balance>("/credits/balance");
  const usage = useApi<Usage>("/credits/usage?days=30");
  const history = useApi<History>("/credits/history?limit=20");
  const plans = useApi<Plans>("/plans");
  const invoices = useApi<{ items: Invoice[] }>("/billing/invoices");
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [note, setNote] = useState<string | null>(null);

  /** Checkout happens on the payment provider's page; the browser goes there and comes back here. */
  async function checkout(body: object, id: string) {
    setBusy(id);
    setFailure(null);
    try {
      const r = await api<{ checkout_url: string }>("/billing/checkout", { method: "POST", body });
      setNote(t("credits.redirecting"));
      window.location.assign(r.checkout_url);
    } catch (e) {
      setFailure(e instanceof ApiError ? e : null);
      setBusy(null);
    }
  }

  async function changePlan(plan: Plan) {
    setBusy(plan.id);
    setFailure(null);
    try {
      const r = await api<{ effective_at: string; checkout_url?: string }>("/billing/plan", { method: "POST", body: { plan_id: plan.id } });
      if (r.checkout_url) { window.location.assign(r.checkout_url); return; }
      setNote(`${plan.name}: ${date(r.effective_at)}`);
      balance.reload();
    } catch (e) {
      setFailure(e instanceof ApiError ? e : null);
    }
    setBusy(null);
  }

  async function cancel() {
    setFailure(null);
    try {
      const r = await api<{ ends_at: string }>("/billing/cancel", { method: "POST" });
      setNote(`${t("credits.cancel")}: ${date(r.ends_at)}`);
    } catch (e) {
      setFailure(e instanceof ApiError ? e : null);
    }
  }

  return (
    <section>
      <h1>{t("credits.title")}</h1>
      {location.searchParams.get("checkout") === "success" && <p className="notice" role="status">{t("credits.thanks")}</p>}
      {note && <p className="notice" role="status">{note}</p>}
      {failure && <ErrorState error={failure} />}
      <div className="grid">
        <div className="card">
          <h2>{t("credits.balance")}</h2>
          <Resource loaded={balance}>
            {(b) => (
              <dl className="summary">
                <dt>{t("credits.available")}</dt><dd className="big" data-testid="available">{number(b.available)}</dd>
                <dt>{t("credits.reserved")}</dt><dd>{number(b.reserved)}</dd>
                <dt>{t("credits.plan")}</dt><dd>{b.plan_name ?? b.plan}</dd>
                {b.period_end && <><dt>{t("credits.renews", { date: "" })}</dt><dd>{date(b.period_end, { dateStyle: "medium" })}</dd></>}
              </dl>
            )}
          </Resource>
        </div>
        <div className="card">
          <h2>{t("credits.usage")}</h2>
          <Resource loaded={usage}>
            {(u) => <BarChart title={t("credits.usage")} points={u.days.map((d) => ({ label: d.date, value: d.credits }))} format={(n) => number(n)} />}
          </Resource>
        </div>
      </div>

      <h2>{t("credits.topups")}</h2>
      <Resource loaded={plans}>
        {(p) => (
          <>
            <ul className="row" style={{ listStyle: "none", padding: 0 }}>
              {p.topups.filter((x) => !x.enterprise_only).map((x) => (
                <li key={x.id}>
                  <button type="button" className="primary" disabled={busy !== null} onClick={() => checkout({ kind: "topup", topup_id: x.id }, x.id)}>
                    {t("credits.buy", { n: number(x.credits) })} · {money(x.price_cents, p.plans[0]?.currency ?? "usd")}
                  </button>
                </li>
              ))}
            </ul>
            <h2>{t("credits.plans")}</h2>
            <div className="grid">
              {p.plans.map((plan) => {
                const current = balance.data?.plan === plan.id || balance.data?.plan === plan.name;
                return (
                  <div key={plan.id} className="card" aria-current={current ? "true" : undefined}>
                    <h3>{plan.name} {current && <span className="badge completed">{t("credits.current")}</span>}</h3>
                    <p className="big">{t("credits.perMonth", { price: money(plan.price_cents, plan.currency) })}</p>
                    <p>{t("credits.monthly", { n: number(plan.monthly_credits) })} · {plan.max_resolution} · ≤ {number(plan.max_seconds)} s</p>
                    <ul>{plan.features.map((f) => <li key={f}>{f}</li>)}</ul>
                    {!current && <button type="button" disabled={busy !== null} onClick={() => changePlan(plan)}>{t("credits.choose", { name: plan.name })}</button>}
                  </div>
                );
              })}
            </div>
            <p className="muted">{p.cancel_refund_policy} <button type="button" onClick={cancel}>{t("credits.cancel")}</button></p>
          </>
        )}
      </Resource>

      <h2>{t("credits.history")}</h2>
      <Resource loaded={history}>
        {(h) => h.items.length === 0 ? <Empty>{t("credits.noHistory")}</Empty> : (
          <table>
            <thead><tr><th>{t("credits.when")}</th><th>{t("credits.kind")}</th><th>{t("credits.amount")}</th><th>{t("credits.after")}</th></tr></thead>
            <tbody>
              {h.items.map((i) => (
                <tr key={i.id}>
                  <td>{date(i.at)}</td><td>{i.kind}{i.reason ? ` · ${i.reason}` : ""}</td>
                  <td>{i.credits > 0 ? "+" : ""}{number(i.credits)}</td><td>{number(i.balance_after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>

      <h2>{t("credits.invoices")}</h2>
      <Resource loaded={invoices}>
        {(inv) => inv.items.length === 0 ? <Empty /> : (
          <table>
            <tbody>
              {inv.items.map((i) => (
                <tr key={i.id}>
                  <td>{date(i.at)}</td><td>{i.description}</td><td>{money(i.amount_cents, i.currency)}</td><td>{i.status}</td>
                  <td>{i.receipt_url && <a href={i.receipt_url} target="_blank" rel="noreferrer">↗</a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>
    </section>
  );
}
