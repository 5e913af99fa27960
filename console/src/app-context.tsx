import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from './api';
import type { Session } from './auth';

interface AppContextValue {
  readonly api: ApiClient;
  readonly session: Session;
}

const AppContext = createContext<AppContextValue | undefined>(undefined);

export function AppProvider({ api, session, children }: AppContextValue & { children: ReactNode }) {
  return <AppContext.Provider value={{ api, session }}>{children}</AppContext.Provider>;
}

function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('outside AppProvider');
  return value;
}

export const useApi = () => useApp().api;
export const useSession = () => useApp().session;
