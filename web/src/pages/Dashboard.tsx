import type { Page, ProjectSummary } from "../api";
import { BalanceCard } from "../components/BalanceCard";
import { Notifications } from "../components/Notifications";
import { Empty, Resource } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { useSession } from "../session";
import { useApi } from "../useApi";

const TEMPLATES = ["story", "educational", "marketing", "podcast", "devotional"];

export default function Dashboard() {
  const { t, date } = useI18n();
  const { me } = useSession();
  const projects = useApi<Page<ProjectSummary>>("/projects?limit=20");
  return (
    <section>
      <h1>{t("dash.hello", { name: me?.display_name ?? "" })}</h1>
      <div className="grid">
        <BalanceCard />
        <Notifications />
        <div className="card">
          <h2>{t("dash.quick")}</h2>
          <p className="muted">{t("dash.quickLead")}</p>
          <ul className="row" style={{ listStyle: "none", padding: 0 }}>
            {TEMPLATES.map((name) => (
              <li key={name}><Link className="button" to={`/new?template=${name}`}>{name}</Link></li>
            ))}
          </ul>
        </div>
      </div>
      <h2>{t("dash.recent")}</h2>
      <Resource loaded={projects}>
        {(page) => page.items.length === 0 ? (
          <Empty>{t("dash.none")} <Link to="/new?template=story">{t("nav.new")}</Link></Empty>
        ) : (
          <table>
            <thead><tr><th>{t("wizard.filmTitle")}</th><th>{t("project.films")}</th><th>{t("project.stage")}</th><th>{t("credits.when")}</th></tr></thead>
            <tbody>
              {page.items.map((p) => (
                <tr key={p.id}>
                  <td><Link to={`/projects/${p.id}`}>{p.title}</Link></td>
                  <td>{t("dash.films", { n: p.film_count })}</td>
                  <td><StatusBadge status={p.last_film_status} /></td>
                  <td>{date(p.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>
    </section>
  );
}
