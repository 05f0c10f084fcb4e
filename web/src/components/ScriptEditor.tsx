import { useState } from "react";
import { api, ApiError, type Project } from "../api";
import { useI18n } from "../i18n";
import { countWords } from "../validate";
import { ErrorState } from "./States";

/** Edit a project's title and script (PATCH); the next render uses the saved version. */
export function ScriptEditor({ project, onSaved }: { project: Project; onSaved: () => void }) {
  const { t, number } = useI18n();
  const [title, setTitle] = useState(project.spec.title || project.title);
  const [script, setScript] = useState(project.spec.script);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // Open at first when there is nothing to film yet; then as the creator leaves it (saving keeps it open).
  const [open, setOpen] = useState(!project.spec.script.trim());
  const dirty = title !== (project.spec.title || project.title) || script !== project.spec.script;
  const problem = !script.trim() ? t("wizard.scriptMissing") : !title.trim() ? t("wizard.titleMissing") : null;

  async function save() {
    setError(null);
    try {
      await api(`/projects/${project.id}`, { method: "PATCH", body: { title: title.trim(), script } });
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    }
  }

  return (
    <details className="card" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t("project.edit")}</summary>
      <div className="field">
        <label htmlFor="edit-title">{t("wizard.filmTitle")}</label>
        <input id="edit-title" value={title} onChange={(e) => { setTitle(e.target.value); setSaved(false); }} />
      </div>
      <div className="field">
        <label htmlFor="edit-script">{t("wizard.script")}</label>
        <textarea id="edit-script" dir="auto" value={script} aria-invalid={problem ? true : undefined}
          onChange={(e) => { setScript(e.target.value); setSaved(false); }} />
        <small className="muted">{t("wizard.words", { n: number(countWords(script)) })} · {t("wizard.hint")}</small>
        {problem && <small className="field-error" role="alert">{problem}</small>}
      </div>
      <p className="row">
        <button type="button" className="primary" disabled={!dirty || !!problem} onClick={save}>{t("project.save")}</button>
        {saved && <span role="status">{t("project.saved")}</span>}
      </p>
      {error && <ErrorState error={error} />}
    </details>
  );
}
