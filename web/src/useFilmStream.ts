import { useEffect, useState } from "react";
import type { Film } from "./api";

/** A film kept live: follows its Server-Sent Events stream while it runs (reconnects by itself). */
export function useFilmStream(initial: Film | undefined, onEnd: () => void): Film | undefined {
  const [film, setFilm] = useState(initial);
  useEffect(() => setFilm(initial), [initial]);
  useEffect(() => {
    if (!initial || initial.status !== "running" || typeof EventSource === "undefined") return;
    const source = new EventSource(initial.events_url);
    source.addEventListener("film", (e) => setFilm(JSON.parse((e as MessageEvent).data)));
    source.addEventListener("end", () => { source.close(); onEnd(); });
    return () => source.close();
  }, [initial?.id, initial?.status]); // eslint-disable-line react-hooks/exhaustive-deps
  return film;
}
