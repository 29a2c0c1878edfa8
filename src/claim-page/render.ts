import { escapeHtml } from '../core/messages/claim-messages.js';
import { formatDateTime } from '../core/messages/languages.js';
import type { ResolvedClaimPageOptions } from './options.js';

/** What every page is drawn with: the options and this response's CSP nonce. */
export interface PageFrame {
  readonly options: ResolvedClaimPageOptions;
  readonly nonce: string;
}

/**
 * A whole HTML document around `body`: the system's name and logo, the title,
 * and styles and script carrying this response's nonce (the CSP allows
 * nothing else).
 */
export function renderDocument(frame: PageFrame, title: string, body: string, script = ''): string {
  const { options, nonce } = frame;
  const logo = options.logoUrl
    ? `<img class="logo" src="${escapeHtml(options.logoUrl)}" alt="" height="40">`
    : '';
  return `<!doctype html>
<html lang="${escapeHtml(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · ${escapeHtml(options.systemName)}</title>
<style nonce="${nonce}">${styles(options)}</style>
</head>
<body>
<main>
<header>${logo}<p class="system">${escapeHtml(options.systemName)}</p></header>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
${script ? `<script nonce="${nonce}">${script}</script>` : ''}
</body>
</html>`;
}

/**
 * The code form: masked phone, expiry, an optional error, and the CSRF token.
 */
export function renderCodeForm(
  frame: PageFrame,
  form: {
    readonly action: string;
    readonly csrf: string;
    readonly maskedPhone: string;
    readonly expiresAt: Date;
    readonly error: string | null;
  },
): string {
  const t = frame.options.texts;
  const error = form.error
    ? `<p class="error" id="code-error" role="alert">${escapeHtml(form.error)}</p>`
    : '';
  const describedBy = form.error ? 'code-hint code-error' : 'code-hint';
  return renderDocument(
    frame,
    t.title,
    `<div class="card">
<p>${escapeHtml(t.intro)}</p>
<p class="muted" id="code-hint">${escapeHtml(t.codeHint(form.maskedPhone))}<br>${escapeHtml(t.expires(form.expiresAt, formatDateTime(form.expiresAt, frame.options.lang, frame.options.timeZone)))}</p>
${error}
<form method="post" action="${escapeHtml(form.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(form.csrf)}">
<label for="code">${escapeHtml(t.codeLabel)}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="12" required autofocus aria-describedby="${describedBy}"${form.error ? ' aria-invalid="true"' : ''}>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>
</div>`,
  );
}

/**
 * The one page that shows the key, with the warning and a copy button that
 * appears only where script and the clipboard are available.
 */
export function renderKey(
  frame: PageFrame,
  claimed: { readonly username: string; readonly apiKey: string },
): string {
  const t = frame.options.texts;
  return renderDocument(
    frame,
    t.successTitle,
    `<div class="card">
<p class="warning" role="alert">${escapeHtml(t.keyWarning)}</p>
<dl>
<dt>${escapeHtml(t.usernameLabel)}</dt><dd id="username">${escapeHtml(claimed.username)}</dd>
<dt>${escapeHtml(t.keyLabel)}</dt><dd><code class="key" id="api-key">${escapeHtml(claimed.apiKey)}</code></dd>
</dl>
<button type="button" id="copy" hidden data-copied="${escapeHtml(t.copied)}">${escapeHtml(t.copy)}</button>
</div>`,
    COPY_SCRIPT,
  );
}

// Progressive enhancement: without script the key is selectable text.
const COPY_SCRIPT = `(function(){var b=document.getElementById('copy'),k=document.getElementById('api-key');
if(!b||!k||!navigator.clipboard)return;b.hidden=false;
b.addEventListener('click',function(){navigator.clipboard.writeText(k.textContent).then(function(){b.textContent=b.getAttribute('data-copied')},function(){})})})();`;

/**
 * A page that says what happened and what to do next.
 */
export function renderMessage(frame: PageFrame, title: string, lines: readonly string[]): string {
  const body = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  return renderDocument(frame, title, `<div class="card">\n${body}\n</div>`);
}

function styles(options: ResolvedClaimPageOptions): string {
  const { primary, background, text } = options.colors;
  return `*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:${background};color:${text}}
main{max-width:34rem;margin:0 auto;padding:1.25rem 1rem}
header{display:flex;align-items:center;gap:.75rem}
.system{font-weight:600;margin:0}
h1{font-size:1.5rem;line-height:1.25;margin:1rem 0}
.card{background:#fff;color:#1d2330;border-radius:8px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{width:100%;font-size:1.5rem;letter-spacing:.25em;padding:.5rem .75rem;border:2px solid #6b7385;border-radius:6px;color:inherit;background:#fff}
button{display:block;width:100%;margin-top:1rem;padding:.75rem 1rem;font-size:1rem;font-weight:600;border:0;border-radius:6px;background:${primary};color:#fff;cursor:pointer}
:focus-visible{outline:3px solid ${primary};outline-offset:2px}
.muted{color:#4a5263;font-size:.95rem}
.error{color:#a4161a;font-weight:600}
.warning{border-left:4px solid #b35c00;padding-left:.75rem;font-weight:600}
dt{font-weight:600;margin-top:.75rem}
dd{margin:0}
.key{display:block;font:1rem/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all;background:#eef1f5;padding:.75rem;border-radius:6px;user-select:all}`;
}
