import type { Balance } from "../api";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { useApi } from "../useApi";
import { ErrorState, Loading } from "./States";

/** The credit balance from /api/credits/balance, or "not available yet" where credits are not deployed. */
export function BalanceCard() {
  const { t, number } = useI18n();
  const balance = useApi<Balance>("/credits/balance");
  return (
    <div className="card" aria-labelledby="balance-title">
      <h2 id="balance-title">{t("dash.balance")}</h2>
      {balance.error ? <ErrorState error={balance.error} /> : !balance.data ? <Loading /> : (
        <>
          <p className="big" data-testid="balance">{number(balance.data.available)}</p>
          <p className="muted">{t("credits.plan")}: {balance.data.plan_name ?? balance.data.plan}</p>
          {balance.data.low && <p className="notice">{t("dash.low")} <Link to="/credits">{t("project.topup")}</Link></p>}
        </>
      )}
    </div>
  );
}
