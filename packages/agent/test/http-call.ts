/** A JSON call to a real server for the end-to-end tests: session cookie or bearer token, body parsed when it is JSON. */

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export async function call(
  url: string,
  init: { method?: string; body?: unknown; cookie?: string; bearer?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.cookie) headers.cookie = `sundial_session=${init.cookie}`;
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the failure message
  }
  return { status: res.status, body, headers: res.headers } satisfies Answer;
}
