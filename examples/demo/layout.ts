import { type DemoUser, VENUES } from './users.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML; every value that reaches a page goes through it. */
export function h(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** The page frame of the demo's screens: the top bar, the signed-in user, the content. */
export function layout(title: string, user: DemoUser | null, content: string): string {
  const venueName = VENUES[user?.venue ?? 'riverside'] ?? 'Riverside Theatre';
  // A person who runs more than one venue switches between them; each screen shows one.
  const switcher =
    user && user.venues.length > 1
      ? `<form method="post" action="/venue" class="inline venue"><label for="venue" class="sr-only">Venue</label>
<select id="venue" name="venue">${user.venues
          .map(
            (venue) =>
              `<option value="${h(venue)}"${venue === user.venue ? ' selected' : ''}>${h(VENUES[venue] ?? venue)}</option>`,
          )
          .join('')}</select> <button class="secondary">Switch venue</button></form>`
      : '';
  const who = user
    ? `${switcher}<span>Signed in as <strong>${h(user.name)}</strong> (${h(user.roleLabel)})</span>
<form method="post" action="/sign-out" class="inline"><button class="link">Sign out</button></form>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)} · ${h(venueName)} Box Office (demo)</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header class="top">
<a class="brand" href="/">${h(venueName)} Box Office <small>demo</small></a>
<nav><a href="/settings/api-accounts">Settings › Users › API Accounts</a><a href="/dev/inbox">Dev inbox</a></nav>
<div class="who">${who}</div>
</header>
<main>
${content}
</main>
</body>
</html>`;
}

/** The demo's stylesheet, served at /demo.css so the pages need no inline style. */
export const DEMO_CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f4f5f8}
.top{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.6rem 1rem;background:#2b2140;color:#fff}
.top a{color:#fff;text-decoration:none}.top nav{display:flex;gap:1rem;flex-wrap:wrap}.brand{font-weight:700}
.who{margin-left:auto;display:flex;gap:.5rem;align-items:center}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}
table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #dde1e8;vertical-align:top}
.card{background:#fff;padding:1rem;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.1);margin-bottom:1rem}
label{display:block;font-weight:600;margin-top:.75rem}input[type=text],input[type=email],input[type=tel]{width:100%;max-width:28rem;padding:.45rem;border:1px solid #8a94a6;border-radius:5px;font:inherit}
.check{display:flex;gap:.5rem;align-items:center;font-weight:600;margin-top:1rem}
button,.button{display:inline-block;padding:.5rem .9rem;border:0;border-radius:5px;background:#5a2d82;color:#fff;font:inherit;font-weight:600;cursor:pointer;text-decoration:none;margin-top:.75rem}
.danger{background:#a4161a}.secondary{background:#e3e6ee;color:#1d2330}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}.venue button{margin-top:0}
button.link{background:none;color:inherit;text-decoration:underline;padding:0;margin:0;font-weight:400}
.inline{display:inline}
.filters{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:flex-end}.filters label{margin-top:0}
input[type=search],select{padding:.45rem;border:1px solid #8a94a6;border-radius:5px;font:inherit}
:focus-visible{outline:3px solid #f0a202;outline-offset:2px}
.field-error{color:#a4161a;font-weight:600;margin:.25rem 0 0}
.notice{background:#e7f5ea;border-left:4px solid #2e7d32;padding:.6rem .8rem;margin-bottom:1rem}
.warn{background:#fff4e5;border-left:4px solid #b35c00;padding:.6rem .8rem;margin-bottom:1rem}
.meter{height:.6rem;border-radius:999px;background:#e3e6ee;overflow:hidden}.meter span{display:block;height:100%;background:#3b8f4f}.meter.high span{background:#c98a12}.meter.over span{background:#b3261e}
.chart{margin:1rem 0 0}.chart rect.accepted{fill:#3b8f4f}.chart rect.refused{fill:#b3261e}.chart line.axis{stroke:#9aa0ae}.chart figcaption{font-size:.85rem;color:#555}.key{display:inline-block;width:.7rem;height:.7rem;vertical-align:middle}.key.accepted{background:#3b8f4f}.key.refused{background:#b3261e}
.pill{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.85rem;background:#e3e6ee}.on{background:#d7f0dc}.off{background:#f6d7d7}
code,pre{font-family:ui-monospace,Menlo,monospace;font-size:.9rem}pre{background:#1d2330;color:#e8eaf0;padding:.75rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.muted{color:#5b6475}.message{white-space:pre-wrap;word-break:break-word}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}`;
