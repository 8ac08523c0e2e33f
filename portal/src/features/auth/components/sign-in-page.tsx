import { Alert, Button, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useNavigate, useSearchParams } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { useDevSignIn, useDevUsers, useSignInMethods } from '../api/use-auth.js'

/** Only paths on this site; anything else returns to the home page. */
function safeReturnTo(value: string | null): string {
  return value && /^\/(?!\/)/.test(value) ? value : '/'
}

/** Sign in through the government identity provider, or (in development) as a fixture user. */
export function SignInPage() {
  const [params] = useSearchParams()
  const returnTo = safeReturnTo(params.get('returnTo'))
  const error = params.get('error')
  const methods = useSignInMethods()
  const devUsers = useDevUsers(methods.data?.dev === true)
  const devSignIn = useDevSignIn()
  const navigate = useNavigate()

  return (
    <Paper
      component="section"
      aria-labelledby="sign-in-heading"
      withBorder
      p={{ base: 'md', sm: 'xl' }}
      mt="md"
    >
      <Stack gap="md">
        <div>
          <Title order={1} id="sign-in-heading">
            Sign in
          </Title>
          <Text c="dimmed">
            Sign in with your government account to find data, preview samples and request access.
          </Text>
        </div>
        {error && (
          <Alert color="red" variant="light" role="alert">
            <Text>Sign-in did not complete: {error}</Text>
          </Alert>
        )}
        {methods.isPending ? (
          <Loading label="Loading sign-in options…" />
        ) : methods.isError ? (
          <ErrorState title="Sign-in options could not be loaded" error={methods.error} />
        ) : (
          <>
            {methods.data.oidc ? (
              <Button
                component="a"
                href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`}
                size="md"
                fullWidth
              >
                Sign in with your government account
              </Button>
            ) : (
              !methods.data.dev && (
                <Text>
                  No sign-in method is configured on this server. Ask the platform administrator.
                </Text>
              )
            )}
            {methods.data.dev && (
              <Stack component="section" aria-labelledby="dev-heading" gap="sm">
                <Title order={2} size="h3" id="dev-heading">
                  Development sign-in
                </Title>
                <Alert color="yellow" variant="light" role="note">
                  <Text>
                    For development and demonstrations only: anyone can sign in as any of these
                    synthetic users.
                  </Text>
                </Alert>
                {devUsers.isPending ? (
                  <Loading label="Loading users…" />
                ) : devUsers.isError ? (
                  <ErrorState title="Users could not be loaded" error={devUsers.error} />
                ) : (
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                    {devUsers.data.map((user) => (
                      <Button
                        key={user.id}
                        type="button"
                        variant="default"
                        h="auto"
                        py="xs"
                        justify="flex-start"
                        disabled={devSignIn.isPending}
                        onClick={() =>
                          devSignIn.mutate(user.username, { onSuccess: () => navigate(returnTo) })
                        }
                        styles={{ label: { whiteSpace: 'normal', textAlign: 'start' } }}
                      >
                        <Stack component="span" gap={2} align="flex-start">
                          <Text span fw={700} size="sm">
                            {user.username}
                          </Text>
                          <Text span size="xs" c="dimmed">
                            {user.displayName} · {user.agency.code} · {user.roles.join(', ')}
                          </Text>
                        </Stack>
                      </Button>
                    ))}
                  </SimpleGrid>
                )}
                {devSignIn.isError && <ErrorState title="Sign-in failed" error={devSignIn.error} />}
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Paper>
  )
}
