import { Box, Button } from '@mantine/core'
import { useState } from 'react'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { type RequestDetail, useRequestedDataset } from '../api/use-requests.js'
import { RequestForm } from './request-form.js'

/**
 * For the requester of a waiting request: "Amend request" opens the request form on the request
 * as it stands, to change its columns, purpose, legal basis or duration.
 */
export function AmendRequest({ request }: { request: RequestDetail }) {
  const [open, setOpen] = useState(false)
  const dataset = useRequestedDataset(request.dataset.slug, open)
  return (
    <Box>
      {!open ? (
        <Button type="button" variant="default" onClick={() => setOpen(true)}>
          Amend request
        </Button>
      ) : dataset.isPending ? (
        <Loading label="Loading the request form…" />
      ) : dataset.isError ? (
        <ErrorState title="The request form could not be opened" error={dataset.error} />
      ) : (
        <RequestForm dataset={dataset.data} amending={request} onDone={() => setOpen(false)} />
      )}
    </Box>
  )
}
