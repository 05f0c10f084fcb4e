import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { api, currentTokens, onTokens, setTokens, type Me, type Tokens } from "./api";

/** The logged-in account, loaded from /api/me whenever the tokens change. */
interface Session {
  me: Me | null;
  ready: boolean;
  logIn: (email: string, password: string) => Promise<void>;
  logOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);

  const load = useCallback(async () => {
    if (!currentTokens()) { setMe(null); setReady(true); return; }
    try { setMe(await api<Me>("/me")); } catch { setMe(null); }
    setReady(true);
  }, []);

  useEffect(() => { load(); return onTokens(load); }, [load]);

  const logIn = useCallback(async (email: string, password: string) => {
    setTokens(await api<Tokens>("/auth/login", { method: "POST", body: { email, password } }));
    await load(); // the account is known before the caller moves on to a signed-in page
  }, [load]);

  const logOut = useCallback(async () => {
    try { await api("/auth/logout", { method: "POST" }); } catch { /* the session may have ended already */ }
    setTokens(null);
  }, []);

  return <SessionContext.Provider value={{ me, ready, logIn, logOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
