import { useId, useState } from "react";
import { ApiError, upload } from "../api";
import { useI18n } from "../i18n";
import { ProgressBar } from "./ProgressBar";

/** What the upload routes answer (AssetOut / MusicUploaded): the artifact key to put in the project. */
export interface Uploaded { key: string; filename: string; bytes: number; width?: number | null; height?: number | null; seconds?: number | null }
export interface Chosen extends Uploaded { preview?: string }

/**
 * A file input that uploads as soon as a file is picked: a progress bar while it goes, the studio's own
 * reason when it refuses (413 too large, 422 not a picture / not a recording), and the file's name once stored.
 */
export function FileUpload({ label, accept, path, value, onChange, testId }: {
  label: string; accept: string; path: string; value: Chosen | null; onChange: (next: Chosen | null) => void; testId?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const [pct, setPct] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function send(file: File) {
    setError(null);
    setPct(0);
    const form = new FormData();
    form.append("file", file);
    try {
      const stored = await upload<Uploaded>(path, form, setPct);
      onChange({ ...stored, filename: stored.filename ?? file.name, preview: file.type.startsWith("image/") ? URL.createObjectURL(file) : undefined });
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.detail || e.problem.title : String(e));
    }
    setPct(null);
  }

  return (
    <div className="field upload" data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="file" accept={accept} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? true : undefined}
        onChange={(e) => { const f = e.target.files?.[0]; if (f) send(f); e.target.value = ""; }} />
      {pct !== null && <ProgressBar value={pct} label={t("wizard.uploading", { pct: `${Math.round(pct * 100)}%` })} />}
      {error && <small id={`${id}-error`} className="field-error" role="alert">{error}</small>}
      {value && (
        <span className="row uploaded" role="status">
          {value.preview && <img src={value.preview} alt="" className="upload-preview" />}
          <span>{t("upload.stored", { name: value.filename })}</span>
          <button type="button" onClick={() => onChange(null)}>{t("upload.remove")}</button>
        </span>
      )}
    </div>
  );
}
