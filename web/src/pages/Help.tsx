import { useI18n } from "../i18n";

export default function Help() {
  const { t } = useI18n();
  const items = [1, 2, 3, 4, 5] as const;
  return (
    <section>
      <h1>{t("help.title")}</h1>
      {items.map((n) => (
        <details key={n} open={n === 1}>
          <summary>{t(`help.q${n}`)}</summary>
          <p>{t(`help.a${n}`)}</p>
        </details>
      ))}
      <p className="muted"><a href="/docs">API reference</a></p>
    </section>
  );
}
