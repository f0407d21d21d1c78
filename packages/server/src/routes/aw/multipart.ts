/**
 * Just enough multipart/form-data for ActivityWatch's import form, which
 * uploads the export document as a file field named `buckets.json`: finds
 * that part (else the first file) and hands its text to a JSON parser.
 */
import { invalidInput } from '../../errors.js';

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

interface Part {
  readonly headers: string;
  readonly content: Buffer;
}

function boundaryOf(contentType: string): Buffer {
  const match = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) throw invalidInput('Content-Type: multipart/form-data needs a boundary');
  return Buffer.from(`--${boundary}`);
}

function parts(body: Buffer, boundary: Buffer): Part[] {
  const found: Part[] = [];
  let at = body.indexOf(boundary);
  while (at !== -1) {
    const next = body.indexOf(boundary, at + boundary.length);
    if (next === -1) break;
    const part = body.subarray(at + boundary.length, next);
    const headerEnd = part.indexOf(HEADER_END);
    if (headerEnd !== -1) {
      let content = part.subarray(headerEnd + HEADER_END.length);
      if (content.subarray(-CRLF.length).equals(CRLF)) content = content.subarray(0, -CRLF.length);
      found.push({ headers: part.subarray(0, headerEnd).toString('utf8'), content });
    }
    at = next;
  }
  return found;
}

/** The text of the uploaded export document. */
export function multipartFileText(body: Buffer, contentType: string): string {
  const all = parts(body, boundaryOf(contentType));
  const file =
    all.find((p) => /\bname="buckets\.json"/i.test(p.headers)) ?? all.find((p) => /\bfilename=/i.test(p.headers));
  if (!file) throw invalidInput('The multipart body holds no file (send the export as `buckets.json`)');
  return file.content.toString('utf8');
}
