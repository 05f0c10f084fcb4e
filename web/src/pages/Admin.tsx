import { Unavailable } from "../components/States";

export default function Admin() {
  return <Unavailable />;
}
