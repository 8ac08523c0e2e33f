import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'

export const SESSION_COOKIE = 'portal_session'
export const OIDC_STATE_COOKIE = 'portal_oidc_state'

/** Cookie settings: never readable by scripts, not sent on cross-site sub-requests, Secure over https. */
function options(secure: boolean, maxAgeSeconds: number) {
  return { httpOnly: true, sameSite: 'Lax' as const, secure, path: '/', maxAge: maxAgeSeconds }
}

export function setSessionCookie(
  c: Context,
  token: string,
  expiresAt: Date,
  secure: boolean,
): void {
  setCookie(
    c,
    SESSION_COOKIE,
    token,
    options(secure, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  )
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE)
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure })
}

/** Binds an OIDC sign-in to the browser that started it (against login CSRF). */
export function setStateCookie(c: Context, state: string, secure: boolean): void {
  setCookie(c, OIDC_STATE_COOKIE, state, options(secure, 600))
}

export function takeStateCookie(c: Context, secure: boolean): string | undefined {
  const state = getCookie(c, OIDC_STATE_COOKIE)
  deleteCookie(c, OIDC_STATE_COOKIE, { path: '/', secure })
  return state
}
