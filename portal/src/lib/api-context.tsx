import { createContext, type ReactNode, useContext } from 'react'
import type { ApiClient } from './api-client.js'

const ApiContext = createContext<ApiClient | undefined>(undefined)

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>
}

/** The API client of the nearest {@link ApiProvider}. */
export function useApi(): ApiClient {
  const client = useContext(ApiContext)
  if (!client) throw new Error('useApi needs an <ApiProvider> above it')
  return client
}
