// SpektrixAPI3 with Node's fetch and node:crypto: a signed GET, then a signed POST.
// BASE_URL (e.g. http://localhost:3000), API_USERNAME and API_KEY from the claim page.
import { createHash, createHmac } from 'node:crypto';

const { BASE_URL, API_USERNAME, API_KEY } = process.env;
const url = `${BASE_URL}/api/v3/customers`;

async function signedFetch(method, url, body) {
  const date = new Date().toUTCString(); // "Tue, 01 Dec 2026 10:00:00 GMT", signed as sent
  const lines = [method, url, date];
  // With a body: base64 of the raw MD5 digest of the exact bytes sent.
  if (body !== undefined) lines.push(createHash('md5').update(body).digest('base64'));
  const signature = createHmac('sha1', Buffer.from(API_KEY, 'base64'))
    .update(lines.join('\n'), 'utf8')
    .digest('base64');
  // A non-ASCII username travels as its UTF-8 bytes.
  const username = Buffer.from(API_USERNAME, 'utf8').toString('latin1');
  const response = await fetch(url, {
    method,
    body,
    headers: {
      Date: date,
      Authorization: `SpektrixAPI3 ${username}:${signature}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
  });
  console.log(method, response.status, await response.text());
  if (!response.ok) process.exitCode = 1;
}

await signedFetch('GET', url);
await signedFetch('POST', url, JSON.stringify({ firstName: 'Ada', lastName: 'Lovelace' }));
