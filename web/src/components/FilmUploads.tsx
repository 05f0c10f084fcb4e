import { UploadRows, useUploads } from "../pages/YouTube";
import { Loading, ErrorState } from "./States";

/** The uploads of one film, followed until they are published or have failed. */
export default function FilmUploads({ filmId }: { filmId: string }) {
  const uploads = useUploads(filmId);
  if (uploads.error) return <ErrorState error={uploads.error} retry={uploads.reload} />;
  if (!uploads.data) return <Loading />;
  return <UploadRows items={uploads.data} />;
}
