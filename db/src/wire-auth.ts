import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * Password authentication of the embedded database's wire server: the startup handshake of the
 * PostgreSQL protocol up to (not including) AuthenticationOk, answered here before a connection
 * reaches PGlite, which itself accepts anyone. SCRAM-SHA-256, as a PostgreSQL server does by
 * default: the password never crosses the socket, and `pg` and `psql` speak it.
 */

/** What the server keeps of the password (RFC 5802 / RFC 7677): salt, iterations and two keys. */
export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, data: string | Buffer) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

export function scramVerifier(password: string, iterations = 4096): ScramVerifier {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return {
    salt,
    iterations,
    storedKey: sha256(hmac(salted, 'Client Key')),
    serverKey: hmac(salted, 'Server Key'),
  };
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Largest startup packet or SASL message accepted (PostgreSQL's own limit is 10000). */
const MAX_MESSAGE = 10_000;

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function authentication(code: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const body = Buffer.alloc(4 + data.length);
  body.writeInt32BE(code, 0);
  data.copy(body, 4);
  return message('R', body);
}

/** An ErrorResponse with severity FATAL, as a server sends before closing a refused connection. */
export function fatalError(code: string, text: string): Buffer {
  const field = (tag: string, value: string) => Buffer.concat([Buffer.from(tag), Buffer.from(value), Buffer.alloc(1)]);
  return message(
    'E',
    Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', code), field('M', text), Buffer.alloc(1)]),
  );
}

/** Key/value attributes of a SCRAM message: `n=,r=abc` -> { n: '', r: 'abc' }. */
function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(',')) {
    if (/^[A-Za-z]=/.test(part)) map.set(part[0]!, part.slice(2));
  }
  return map;
}

class Refused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs the handshake on a fresh socket. Once the password is proven it resolves true with the
 * socket paused and the bytes PGlite must see next (the startup packet and anything the client sent
 * after it) put back in front of its input: attach PGlite's handler, then resume. On a wrong or
 * missing password, a malformed message or a timeout, it answers an ErrorResponse (28P01 for a
 * wrong password), closes the socket and resolves false.
 */
export function authenticate(socket: Socket, verifier: ScramVerifier, timeoutMs = 10_000): Promise<boolean> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let phase: 'startup' | 'initial' | 'final' = 'startup';
    let startup = Buffer.alloc(0);
    let user = '';
    let gs2Header = '';
    let clientFirstBare = '';
    let serverFirst = '';
    let nonce = '';
    let settled = false;

    const finish = (accepted: boolean) => {
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onClose);
      socket.off('close', onClose);
      if (accepted) {
        socket.pause();
        socket.unshift(Buffer.concat([startup, buffer]));
      }
      resolve(accepted);
    };
    const refuse = (err: Refused | null) => {
      if (settled) return;
      finish(false);
      socket.on('error', () => {}); // a reset after the refusal is no news
      if (err && socket.writable) {
        socket.end(fatalError(err.code, err.message));
        setTimeout(() => socket.destroy(), 1000).unref();
      } else {
        socket.destroy();
      }
    };
    const onClose = () => refuse(null);
    const timer = setTimeout(() => refuse(new Refused('08P01', 'authentication timed out')), timeoutMs);
    timer.unref();

    /** The next whole message of the current phase, or null until more bytes arrive. */
    const take = (): Buffer | null => {
      if (phase === 'startup') {
        if (buffer.length < 4) return null;
        const length = buffer.readInt32BE(0);
        if (length < 8 || length > MAX_MESSAGE) throw new Refused('08P01', 'invalid startup packet length');
        if (buffer.length < length) return null;
        const packet = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        return packet;
      }
      if (buffer.length < 5) return null;
      if (buffer[0] !== 0x70) throw new Refused('08P01', 'expected a SASL response');
      const length = buffer.readInt32BE(1);
      if (length < 4 || length > MAX_MESSAGE) throw new Refused('08P01', 'invalid message length');
      if (buffer.length < length + 1) return null;
      const body = buffer.subarray(5, length + 1);
      buffer = buffer.subarray(length + 1);
      return body;
    };

    const onStartup = (packet: Buffer): boolean => {
      const code = packet.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        socket.write('N'); // no encryption on the loopback: the client goes on in plain text
        return false;
      }
      if (code === CANCEL_REQUEST) throw new Refused('08P01', 'cancel requests are not supported');
      if (code !== PROTOCOL_3) throw new Refused('0A000', 'unsupported frontend protocol');
      const params = packet.subarray(8).toString('utf8').split('\0');
      for (let i = 0; i + 1 < params.length; i += 2) if (params[i] === 'user') user = params[i + 1]!;
      startup = Buffer.from(packet);
      phase = 'initial';
      socket.write(authentication(10, Buffer.from('SCRAM-SHA-256\0\0')));
      return false;
    };

    const onInitial = (body: Buffer): boolean => {
      const end = body.indexOf(0);
      if (end < 0 || body.subarray(0, end).toString() !== 'SCRAM-SHA-256' || body.length < end + 5) {
        throw new Refused('28000', 'SCRAM-SHA-256 authentication is required');
      }
      const clientFirst = body.subarray(end + 5, end + 5 + body.readInt32BE(end + 1)).toString('utf8');
      // gs2 header: "n,," (no channel binding) or "y,," (client could, server did not offer it).
      const match = /^([ny]),[^,]*,(.*)$/.exec(clientFirst);
      const clientNonce = match ? attributes(match[2]!).get('r') : undefined;
      if (!match || !clientNonce) throw new Refused('08P01', 'malformed SCRAM client-first-message');
      gs2Header = `${match[1]},,`;
      clientFirstBare = match[2]!;
      nonce = clientNonce + randomBytes(18).toString('base64');
      serverFirst = `r=${nonce},s=${verifier.salt.toString('base64')},i=${verifier.iterations}`;
      phase = 'final';
      socket.write(authentication(11, Buffer.from(serverFirst)));
      return false;
    };

    const onFinal = (body: Buffer): boolean => {
      const clientFinal = body.toString('utf8');
      const proofAt = clientFinal.lastIndexOf(',p=');
      const fields = attributes(clientFinal);
      const proof = Buffer.from(fields.get('p') ?? '', 'base64');
      if (
        proofAt < 0 ||
        fields.get('r') !== nonce ||
        Buffer.from(fields.get('c') ?? '', 'base64').toString() !== gs2Header ||
        proof.length !== 32
      ) {
        throw new Refused('08P01', 'malformed SCRAM client-final-message');
      }
      const authMessage = `${clientFirstBare},${serverFirst},${clientFinal.slice(0, proofAt)}`;
      const signature = hmac(verifier.storedKey, authMessage);
      const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
      if (!timingSafeEqual(sha256(clientKey), verifier.storedKey)) {
        throw new Refused('28P01', `password authentication failed for user "${user}"`);
      }
      socket.write(authentication(12, Buffer.from(`v=${hmac(verifier.serverKey, authMessage).toString('base64')}`)));
      return true;
    };

    function onData(chunk: Buffer) {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        for (let next = take(); next; next = take()) {
          const done = phase === 'startup' ? onStartup(next) : phase === 'initial' ? onInitial(next) : onFinal(next);
          if (done) return finish(true);
        }
      } catch (err) {
        refuse(err instanceof Refused ? err : new Refused('08P01', 'invalid startup message'));
      }
    }

    socket.on('data', onData);
    socket.on('error', onClose);
    socket.on('close', onClose);
  });
}
