import { describe, expect, it } from 'vitest';
import { readAtMost } from '../../src/http/read-stream.js';

async function* chunks(...parts: (string | Uint8Array)[]) {
  yield* parts;
}

describe('readAtMost', () => {
  it('joins Buffers, Uint8Arrays (Web streams) and strings byte for byte', async () => {
    const bytes = new TextEncoder().encode('é✓');
    const read = await readAtMost(chunks(Buffer.from('a'), bytes, 'z'), 100);
    expect(read.toString('utf8')).toBe('aé✓z');
  });

  it('reads a Web Request body', async () => {
    const request = new Request('http://x/', { method: 'POST', body: 'code=123456' });
    expect((await readAtMost(request.body as AsyncIterable<Uint8Array>, 100)).toString()).toBe(
      'code=123456',
    );
  });

  it('stops one chunk past the limit', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 1;
        yield Buffer.alloc(10);
      }
    }
    const read = await readAtMost(endless(), 25);
    expect(read.length).toBe(30);
    expect(pulled).toBe(3);
  });
});
