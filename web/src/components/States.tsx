import type { ReactNode } from "react";
import type { ApiError } from "../api";
import { useI18n } from "../i18n";
import type { Loaded } from "../useApi";

export function Loading() {
  const { t } = useI18n();
  return <p className="muted" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" /> {t("state.loading")}</p>;
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <div className="empty">{children ?? t("state.empty")}</div>;
}

export function Unavailable() {
  const { t } = useI18n();
  return (
    <div className="notice" role="note">
      <strong>{t("state.unavailable")}</strong>
      <p>{t("state.unavailableDetail")}</p>
    </div>
  );
}

export function ErrorState({ error, retry }: { error: ApiError; retry?: () => void }) {
  const { t } = useI18n();
  if (error.missing) return <Unavailable />;
  return (
    <div className="error-box" role="alert">
      <strong>{error.problem.title || t("state.error")}</strong>
      <p>{error.problem.detail}</p>
      {retry && <button type="button" onClick={retry}>{t("state.retry")}</button>}
    </div>
  );
}

/** Renders loading, error (or "not available yet") and then the content once data is there. */
export function Resource<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.error) return <ErrorState error={loaded.error} retry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  return <>{children(loaded.data)}</>;
}
