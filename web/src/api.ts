/** The gateway's public API: tokens kept in localStorage, problem+json errors as ApiError. */

export interface FieldError { field: string; location: string; message: string }
export interface Problem { title: string; detail: string; status: number; errors?: FieldError[]; [k: string]: unknown }

export class ApiError extends Error {
  /** The route is not part of this installation (another part of the studio): pages show "not available yet". */
  missing = false;
  constructor(public problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status(): number { return this.problem.status; }
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field || e.field.endsWith(`.${field}`))?.message;
  }
}

export interface Tokens { access_token: string; refresh_token: string; expires_in: number; position: number }

const KEY = "filmstudio.tokens";
let tokens: Tokens | null = readTokens();
let listeners: Array<() => void> = [];
let minPosition = 0;

function readTokens(): Tokens | null {
  try { return JSON.parse(localStorage.getItem(KEY) ?? "null"); } catch { return null; }
}

export function currentTokens(): Tokens | null { return tokens; }

export function setTokens(next: Tokens | null): void {
  tokens = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  if (next) seen(next.position);
  listeners.forEach((l) => l());
}

export function onTokens(listener: () => void): () => void {
  listeners.push(listener);
  return () => { listeners = listeners.filter((l) => l !== listener); };
}

/** Remember the log position of our last write, so the next read sees it (X-Min-Position). */
export function seen(position: number | undefined): void {
  if (typeof position === "number" && position > minPosition) minPosition = position;
}

// --- which routes this installation has: its OpenAPI document, read once and only after a 404 ---

type Route = { method: string; pattern: RegExp };
let routes: Promise<Route[] | null> | null = null;

/** "/api/characters/{character_id}/preview.png" as a regular expression over concrete paths. */
export function routePattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}/]+\}/g, "[^/]+");
  return new RegExp(`^${escaped}$`);
}

/** The routes an OpenAPI document describes (null: the document could not be read). */
export function routesOf(doc: { paths?: Record<string, Record<string, unknown>> }): Route[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({ method: method.toUpperCase(), pattern: routePattern(path) })));
}

function knownRoutes(): Promise<Route[] | null> {
  routes ??= fetch("/openapi.json")
    .then((r) => (r.ok ? r.json() : null))
    .then((doc) => (doc ? routesOf(doc) : null))
    .catch(() => null);
  return routes;
}

/** A 404 means "no such route here" only when the API's own description lacks the route (not when an item is missing). */
export async function routeMissing(method: string, path: string, known: Route[] | null = null): Promise<boolean> {
  const list = known ?? (await knownRoutes());
  if (!list) return false; // without the description, show the server's own answer
  const bare = path.split("?")[0];
  return !list.some((r) => r.method === method && r.pattern.test(bare));
}

async function problemError(status: number, statusText: string, body: Partial<Problem>, method: string, url: string): Promise<ApiError> {
  const error = new ApiError({
    title: body.title ?? statusText,
    detail: typeof body.detail === "string" ? body.detail : statusText,
    ...body,
    status,
  } as Problem);
  if (status === 404) error.missing = await routeMissing(method, url);
  return error;
}

async function toError(response: Response, method: string, url: string): Promise<ApiError> {
  let body: Partial<Problem> = {};
  try { body = await response.json(); } catch { /* not JSON */ }
  return problemError(response.status, response.statusText, body, method, url);
}

let refreshing: Promise<boolean> | null = null;

async function refresh(): Promise<boolean> {
  if (!tokens) return false;
  refreshing ??= (async () => {
    const r = await fetch("/api/auth/refresh", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: tokens!.refresh_token }),
    });
    if (!r.ok) { setTokens(null); return false; }
    setTokens(await r.json());
    return true;
  })().finally(() => { refreshing = null; });
  return refreshing;
}

export interface RequestOptions { method?: string; body?: unknown; signal?: AbortSignal; retry?: boolean }

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (tokens) headers.Authorization = `Bearer ${tokens.access_token}`;
  if (minPosition) headers["X-Min-Position"] = String(minPosition);
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const method = options.method ?? "GET";
  const response = await fetch(`/api${path}`, { method, headers, body, signal: options.signal });
  if (response.status === 401 && tokens && options.retry !== false && !path.startsWith("/auth/")) {
    if (await refresh()) return api<T>(path, { ...options, retry: false });
  }
  if (!response.ok) throw await toError(response, method, `/api${path}`);
  if (response.status === 204) return undefined as T;
  const data = await response.json();
  if (data && typeof data === "object" && "position" in data) seen((data as { position: number }).position);
  return data as T;
}

/** Upload with progress (fetch has no upload progress): resolves to the JSON answer. */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api${path}`);
    if (tokens) xhr.setRequestHeader("Authorization", `Bearer ${tokens.access_token}`);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body: Partial<Problem> = {};
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        seen((body as { position?: number }).position);
        resolve(body as T);
      } else problemError(xhr.status, xhr.statusText, body, "POST", `/api${path}`).then(reject);
    };
    xhr.onerror = () => reject(new ApiError({ title: "Network error", detail: "The upload did not reach the studio.", status: 0 }));
    xhr.send(form);
  });
}

// --- shapes the pages read ---------------------------------------------------------------------

export interface Registered { id: string; position: number }
export interface Me { id: string; email: string; display_name: string; role: "creator" | "admin"; language: string }
export interface ProjectSummary { id: string; title: string; created_at: string; updated_at: string; film_count: number; last_film_id: string | null; last_film_status: string | null }
export interface Page<T> { items: T[]; total: number; limit: number; offset: number }
export interface VoiceChoice { character_id: string; preset: string | null; speed?: number }
export interface FilmSpec {
  [extra: string]: unknown;
  title: string; script: string; script_format: string; language: string | null; culture: string | null;
  target_seconds: number | null; aspects: string[]; resolution: string; fps: number; voices: VoiceChoice[];
  music: string; music_upload: string | null; draft: boolean; watermark: boolean;
}
export interface Project extends ProjectSummary { version: number; spec: FilmSpec }
export interface Stage { status: string; attempt: number; fraction: number; message: string | null; seconds: number | null; reason: string | null }
export interface Download { stage: string; name: string; key: string; url: string }
export interface Film {
  id: string; project_id: string; status: string; current_stage: string | null; percent: number; eta_seconds: number | null;
  stages: Record<string, Stage>; dag: Record<string, string[]>; downloads: Download[]; events_url: string;
  error: string | null; requested_at: string; updated_at: string; finished_at: string | null; outputs: Record<string, unknown> | null;
}
export interface Balance { balance: number; reserved: number; available: number; plan: string; plan_name?: string; period_end: string | null; low: boolean }
export interface Estimate { seconds: number; billed_seconds: number; credits: number; available: number; affordable: boolean; within_plan: boolean; message: string }
export interface Accepted { id: string; position: number; duplicate: boolean }
export interface FilmAccepted { film_id: string; project_id: string; position: number }
