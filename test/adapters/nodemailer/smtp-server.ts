import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { domainToUnicode } from 'node:url';
import { type ParsedMail, simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

/** A message the local SMTP server accepted: its raw source and the parse of it. */
export interface ReceivedMail {
  readonly raw: string;
  readonly envelopeTo: readonly string[];
  readonly parsed: ParsedMail;
}

/** Addresses the local server treats specially. */
export const REFUSED = 'nobody@refused.example';
export const HANGS = 'slow@hangs.example';
export const BLOCKED_SENDER = 'blocked@box-office.example';

/**
 * A real SMTP server (the `smtp-server` package) on a loopback port. It refuses
 * MAIL FROM for {@link BLOCKED_SENDER}, RCPT TO for {@link REFUSED} with 550, never answers DATA for {@link HANGS},
 * and parses everything else with mailparser.
 */
export async function localSmtpServer() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(address, _session, callback) {
      if (address.address === BLOCKED_SENDER) {
        callback(Object.assign(new Error('5.7.1 Sender blocked'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED) {
        callback(Object.assign(new Error('5.1.1 Mailbox does not exist'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        if (envelopeTo.includes(HANGS)) return; // never answer
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            received.push({ raw, envelopeTo, parsed });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server.server as Server).address() as AddressInfo;
  return {
    port,
    received,
    /** What arrived since `from`, in the shape the EmailSender contract compares. */
    delivered: (from: number) =>
      received.slice(from).map(({ parsed }) => ({
        to: unicodeAddress(addressOf(parsed)),
        subject: parsed.subject ?? '',
        text: (parsed.text ?? '').replace(/\n$/, ''),
        html: typeof parsed.html === 'string' ? parsed.html.replace(/\n$/, '') : '',
      })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function addressOf(parsed: ParsedMail): string {
  const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
  return to?.value[0]?.address ?? '';
}

function unicodeAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${domainToUnicode(address.slice(at + 1))}`;
}

/** A nodemailer SMTP transport to a loopback port, with short timeouts for tests. */
export function transportTo(port: number, timeoutMs = 2_000) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

/** A TCP server that greets like SMTP, then closes the connection at the first command. */
export function hangingUpServer() {
  return tcpServer((socket) => {
    socket.write('220 localhost ESMTP ready\r\n');
    socket.once('data', () => socket.destroy());
  });
}

/** A TCP server that accepts connections and never says a word. */
export function silentServer() {
  return tcpServer(() => undefined);
}

async function tcpServer(onConnection: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
