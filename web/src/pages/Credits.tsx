import { Unavailable } from "../components/States";

export default function Credits() {
  return <Unavailable />;
}
