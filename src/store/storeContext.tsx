/** The store reaches components through context (one store per viewer, as embeds need). */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { SimState } from './createSimStore';

const Ctx = createContext<StoreApi<SimState> | null>(null);

export function SimProvider({
  store,
  children,
}: {
  store: StoreApi<SimState>;
  children: ReactNode;
}) {
  return <Ctx.Provider value={store}>{children}</Ctx.Provider>;
}

export function useSim<T>(selector: (s: SimState) => T): T {
  const store = useContext(Ctx);
  if (!store) throw new Error('useSim must be used inside <SimProvider>');
  return useStore(store, selector);
}
