import { useEffect } from "react";
import type { Film } from "../api";
import { Resource } from "../components/States";
import { navigate } from "../router";
import { useApi } from "../useApi";

/** "/films/{id}" (the link in film notifications and e-mails) opens the film's project page. */
export default function FilmRedirect({ params }: { params: Record<string, string> }) {
  const film = useApi<Film>(`/films/${params.id}`);
  useEffect(() => { if (film.data) navigate(`/projects/${film.data.project_id}`, true); }, [film.data]);
  return <Resource loaded={film}>{() => null}</Resource>;
}
