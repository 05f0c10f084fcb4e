import { Unavailable } from "../components/States";

export default function YouTube() {
  return <Unavailable />;
}
