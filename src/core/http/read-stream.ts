/**
 * Reads a request body stream into one buffer, stopping as soon as it holds
 * more than `limit` bytes (the answer is then 413 whatever follows), so an
 * oversized body costs at most one chunk beyond the limit.
 *
 * @example
 * ```ts
 * const raw = await readAtMost(req, 1024 * 1024); // a Node stream, or a Web Request's body
 * if (raw.length > 1024 * 1024) refuseAsTooLarge();
 * ```
 */
export async function readAtMost(stream: AsyncIterable<unknown>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer =
      chunk instanceof Uint8Array
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        : Buffer.from(String(chunk));
    size += buffer.length;
    chunks.push(buffer);
    if (size > limit) break;
  }
  return Buffer.concat(chunks);
}
