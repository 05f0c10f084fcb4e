import type { Download, Film } from "./api";

/** Sorts a film's downloads into what the project page shows: videos, subtitles, thumbnails, cast looks. */
export interface FilmFiles {
  videos: Array<Download & { label: string }>;
  subtitles: Download[];
  thumbnails: Download[];
  cast: Download[];
}

interface Rendition { aspect: string; resolution: string; video: string }

export function filmFiles(film: Film): FilmFiles {
  const renditions = ((film.outputs?.render as { renditions?: Rendition[] } | undefined)?.renditions ?? []);
  const label = (key: string) => {
    const r = renditions.find((x) => x.video === key);
    return r ? `${r.aspect} · ${r.resolution}` : "MP4";
  };
  const ext = (d: Download) => d.key.split(".").pop()?.toLowerCase() ?? "";
  // A file can be referenced by several stages' outputs (the render's MP4 is also the thumbnails' input).
  const seen = new Set<string>();
  const downloads = film.downloads.filter((d) => !seen.has(d.key) && seen.add(d.key));
  return {
    videos: downloads.filter((d) => ext(d) === "mp4").map((d) => ({ ...d, label: label(d.key) })),
    subtitles: downloads.filter((d) => ext(d) === "srt" || ext(d) === "vtt"),
    thumbnails: downloads.filter((d) => d.stage === "thumbnails" && ["png", "jpg", "jpeg", "webp"].includes(ext(d))),
    cast: downloads.filter((d) => d.stage === "cast" && /^characters\[\d+\]\.bodies\.neutral$/.test(d.name)),
  };
}

/** Whether the film was a draft: its renditions are 480p (drafts render at 480p). */
export function isDraft(film: Film): boolean {
  const renditions = ((film.outputs?.render as { renditions?: Rendition[] } | undefined)?.renditions ?? []);
  return renditions.length > 0 && renditions.every((r) => r.resolution === "480p");
}

/** The stages in pipeline order (a stage after all it depends on), from the film's DAG. */
export function stageOrder(dag: Record<string, string[]>): string[] {
  const order: string[] = [];
  const visit = (stage: string) => {
    if (order.includes(stage)) return;
    (dag[stage] ?? []).forEach(visit);
    order.push(stage);
  };
  Object.keys(dag).forEach(visit);
  return order;
}

/** The first failed stage's reason, else the film's error. */
export function failureReason(film: Film): string | null {
  const failed = Object.entries(film.stages).find(([, s]) => s.status === "failed" && s.reason);
  return failed ? `${failed[0]}: ${failed[1].reason}` : film.error;
}
