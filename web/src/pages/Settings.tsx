import { Unavailable } from "../components/States";

export default function Settings() {
  return <Unavailable />;
}
