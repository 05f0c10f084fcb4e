import { Unavailable } from "../components/States";

export default function NewProject() {
  return <Unavailable />;
}
