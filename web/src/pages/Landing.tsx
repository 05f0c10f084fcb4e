import { useI18n } from "../i18n";
import { Link } from "../router";

export default function Landing() {
  const { t } = useI18n();
  return (
    <section className="hero">
      <h1>{t("landing.title")}</h1>
      <p className="lead">{t("landing.lead")}</p>
      <p className="actions">
        <Link to="/signup" className="button primary">{t("landing.start")}</Link>
        <Link to="/login" className="button">{t("landing.login")}</Link>
      </p>
      <ul className="features">
        {(["landing.f1", "landing.f2", "landing.f3", "landing.f4"] as const).map((k) => <li key={k}>{t(k)}</li>)}
      </ul>
    </section>
  );
}
