import '@mantine/core/styles.css'
import '@mantine/charts/styles.css'
import { MantineProvider } from '@mantine/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { type DataRouter, RouterProvider } from 'react-router'
import { type ApiClient, worthRetrying } from '../lib/api-client.js'
import { ApiProvider } from '../lib/api-context.js'
import { cssVariablesResolver, theme } from './theme.js'

/** The portal with its providers; the router and API client come from outside so tests can swap them. */
export function App({ client, router }: { client: ApiClient; router: DataRouter }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: worthRetrying },
        },
      }),
  )
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <ApiProvider client={client}>
          <RouterProvider router={router} />
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>
  )
}
