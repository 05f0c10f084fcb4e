import { Unavailable } from "../components/States";

export default function ProjectDetail() {
  return <Unavailable />;
}
