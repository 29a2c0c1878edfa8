/**
 * Reads a request body stream into one buffer, stopping as soon as it holds
 * more than `limit` bytes (the answer is then 413 whatever follows), so an
 * oversized body costs at most one chunk beyond the limit.
 */
export async function readAtMost(
  stream: AsyncIterable<unknown> | ReadableStream<Uint8Array>,
  limit: number,
): Promise<Buffer> {
  if (stream instanceof ReadableStream) return readWebStreamAtMost(stream, limit);
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

/**
 * The same for a Web stream, read through its reader: leaving a `for await`
 * early would wait on `cancel()`, which for one branch of a teed stream (a
 * cloned `Request`'s body) settles only when the other branch is cancelled too.
 */
async function readWebStreamAtMost(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Buffer> {
  const reader = stream.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks);
}
