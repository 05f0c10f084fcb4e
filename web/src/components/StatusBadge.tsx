import { useI18n, type Key } from "../i18n";

export function StatusBadge({ status }: { status: string | null }) {
  const { t } = useI18n();
  const s = status ?? "none";
  const key = `status.${s}` as Key;
  return <span className={`badge ${s}`}>{t(key)}</span>;
}
