import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from "react";
import { Layout } from "./components/Layout";
import { Loading } from "./components/States";
import { useI18n } from "./i18n";
import { matchPath, navigate, useLocation } from "./router";
import { useSession } from "./session";
import Landing from "./pages/Landing";
import Auth from "./pages/Auth";

// Each signed-in page is its own chunk: the first load carries only the shell, landing and log-in.
type Page = LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
const Dashboard: Page = lazy(() => import("./pages/Dashboard"));
const NewProject: Page = lazy(() => import("./pages/NewProject"));
const ProjectDetail: Page = lazy(() => import("./pages/ProjectDetail"));
const Credits: Page = lazy(() => import("./pages/Credits"));
const YouTube: Page = lazy(() => import("./pages/YouTube"));
const Settings: Page = lazy(() => import("./pages/Settings"));
const Admin: Page = lazy(() => import("./pages/Admin"));
const Help: Page = lazy(() => import("./pages/Help"));
const Notifications: Page = lazy(() => import("./pages/Notifications"));
const FilmRedirect: Page = lazy(() => import("./pages/FilmRedirect"));

const PRIVATE: Array<[string, Page]> = [
  ["/dashboard", Dashboard],
  ["/new", NewProject],
  ["/projects/:id", ProjectDetail],
  ["/credits", Credits],
  ["/youtube", YouTube],
  ["/settings", Settings],
  ["/admin", Admin],
  ["/notifications", Notifications],
  ["/films/:id", FilmRedirect],
];

export function App() {
  const { pathname, searchParams } = useLocation();
  const { me, ready } = useSession();
  const { t } = useI18n();
  const isPrivate = PRIVATE.some(([p]) => matchPath(p, pathname));

  useEffect(() => {
    if (!ready) return;
    if (isPrivate && !me) navigate(`/login?next=${encodeURIComponent(pathname)}`, true);
    // Signed in on an entry page: go where the log-in form itself goes next, so that its navigation and this one
    // (the session can load before the form moves on) agree on the page instead of racing.
    if (me && (pathname === "/" || pathname === "/login" || pathname === "/signup")) {
      navigate(searchParams.get("next") ?? (pathname === "/signup" ? "/new?template=story" : "/dashboard"), true);
    }
  }, [ready, me, isPrivate, pathname, searchParams]);

  let content;
  if (!ready) content = <Loading />;
  else if (pathname === "/") content = <Landing />;
  else if (pathname === "/login") content = <Auth mode="login" />;
  else if (pathname === "/signup") content = <Auth mode="signup" />;
  else if (pathname === "/help") content = <Help params={{}} />;
  else {
    const found = PRIVATE.map(([p, C]) => [matchPath(p, pathname), C] as const).find(([m]) => m);
    if (found && me) {
      const [params, Component] = found;
      content = <Component params={params!} />;
    } else if (found) content = <Loading />;
    else content = (
      <section><h1>{t("notfound.title")}</h1><p><a href="/dashboard">{t("notfound.back")}</a></p></section>
    );
  }
  return (
    <Layout>
      <Suspense fallback={<Loading />}>{content}</Suspense>
    </Layout>
  );
}
