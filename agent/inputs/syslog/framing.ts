// Syslog stream framing (RFC 6587): turns the bytes of one connection into messages.
//
//   newline         MSG LF            (a CR before the LF is trimmed; empty frames are skipped)
//   octet-counting  LEN SP MSG        (LEN: decimal byte count, no leading zero — §3.4.1)
//   auto            decided per frame: a frame starting with digits and a space is octet-counted,
//                   anything else is newline-framed (as rsyslog does; a syslog message itself
//                   always starts with "<PRI>", never with a digit).
//
// Pure and incremental: `push` takes chunks cut anywhere (inside a length prefix, inside a
// multi-byte UTF-8 character) and returns the frames completed so far. Counts are in bytes and the
// text is decoded only once a frame is whole. Memory per decoder is bounded by `maxBytes`: an
// over-long frame is emitted once, cut to `maxBytes` and flagged `tooLong`, as soon as it is known
// to be too long; the rest of it is skipped. A malformed length prefix (octet-counting) is an
// error: the frames before it are returned, and the decoder accepts nothing more (the caller
// closes the connection: without a trustworthy length there is no way to find the next frame).

export type Framing = 'auto' | 'newline' | 'octet-counting';

export interface Frame {
  text: string;
  /** Bytes of the message held (at most maxBytes; the wire bytes of prefix/terminator are not counted). */
  bytes: number;
  tooLong?: true;
}

export interface DecodeResult {
  frames: Frame[];
  /** Set once: why the stream cannot be framed any further. */
  error?: string;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const ZERO = 0x30;
const NINE = 0x39;
/** Ten digits allow counts up to 9,999,999,999: far beyond any max_message_bytes, still exact in a double. */
const MAX_COUNT_DIGITS = 10;

type State =
  | { kind: 'start' } // at a frame boundary
  | { kind: 'count'; value: number; digits: number } // reading LEN
  | { kind: 'octets'; remaining: number } // reading MSG of a counted frame
  | { kind: 'line' } // reading MSG up to LF
  | { kind: 'failed' };

export class FrameDecoder {
  private state: State = { kind: 'start' };
  private parts: Buffer[] = [];
  private held = 0; // bytes in `parts`
  private skipping = false; // the current frame was emitted as tooLong; discard the rest of it
  private consumed = 0; // stream offset of the current chunk's first byte
  private frameStart = 0; // stream offset of the current frame, for error messages

  constructor(private readonly o: { framing: Framing; maxBytes: number }) {}

  get failed(): boolean {
    return this.state.kind === 'failed';
  }

  push(chunk: Buffer): DecodeResult {
    const frames: Frame[] = [];
    let i = 0;
    while (i < chunk.length) {
      const s = this.state;
      switch (s.kind) {
        case 'failed':
          return { frames };
        case 'start': {
          const b = chunk[i]!;
          this.frameStart = this.consumed + i;
          if (this.o.framing === 'newline' || !isDigit(b) || b === ZERO) {
            if (this.o.framing === 'octet-counting') {
              // Tolerated between counted frames: a stray line terminator some senders append.
              if (b === LF || b === CR) {
                i++;
                break;
              }
              return { frames, error: this.fail(chunk, i, 'expected a length (digits 1-9 first)') };
            }
            this.state = { kind: 'line' };
            break;
          }
          this.state = { kind: 'count', value: b - ZERO, digits: 1 };
          i++;
          break;
        }
        case 'count': {
          const b = chunk[i]!;
          if (isDigit(b) && s.digits < MAX_COUNT_DIGITS) {
            s.value = s.value * 10 + (b - ZERO);
            s.digits++;
            i++;
          } else if (b === SP) {
            this.reset();
            this.state = { kind: 'octets', remaining: s.value };
            i++;
          } else if (this.o.framing === 'auto') {
            this.digitsAsLine(s.value); // digits that are not a length: the start of a line
          } else {
            return { frames, error: this.fail(chunk, i, isDigit(b) ? `a length of more than ${MAX_COUNT_DIGITS} digits` : 'expected a space after the length') };
          }
          break;
        }
        case 'octets': {
          if (this.held === 0 && !this.skipping && s.remaining <= chunk.length - i) {
            // Fast path: the whole frame is in this chunk; decode it in place.
            this.finish(frames, true, chunk.subarray(i, i + s.remaining));
            i += s.remaining;
            break;
          }
          const take = Math.min(s.remaining, chunk.length - i);
          this.hold(chunk.subarray(i, i + take));
          s.remaining -= take;
          i += take;
          this.cutIfTooLong(frames);
          if (s.remaining === 0) this.finish(frames, true);
          break;
        }
        case 'line': {
          const nl = chunk.indexOf(LF, i);
          if (nl !== -1 && this.held === 0 && !this.skipping) {
            this.finish(frames, false, chunk.subarray(i, nl)); // fast path, as above
            i = nl + 1;
            break;
          }
          const end = nl === -1 ? chunk.length : nl;
          this.hold(chunk.subarray(i, end));
          i = end;
          this.cutIfTooLong(frames);
          if (nl !== -1) {
            i++;
            this.finish(frames, false);
          }
          break;
        }
      }
    }
    this.consumed += chunk.length;
    return { frames };
  }

  /** The peer closed the stream: a last unterminated line is a message; a cut counted frame is an error. */
  end(): DecodeResult {
    const frames: Frame[] = [];
    const s = this.state;
    if (s.kind === 'count' && this.o.framing === 'auto') this.digitsAsLine(s.value);
    if (this.state.kind === 'line') {
      this.finish(frames, false);
      return { frames };
    }
    if (s.kind === 'octets' && !this.skipping) {
      const error = `stream ended inside a counted frame (${this.held} of ${this.held + s.remaining} bytes received)`;
      this.state = { kind: 'failed' };
      return { frames, error };
    }
    if (s.kind === 'count') {
      this.state = { kind: 'failed' };
      return { frames, error: 'stream ended inside a length prefix' };
    }
    return { frames };
  }

  /** The digits read as a length are the start of a line; they are exactly String(value) (no leading zero). */
  private digitsAsLine(value: number): void {
    this.hold(Buffer.from(String(value), 'latin1'));
    this.state = { kind: 'line' };
  }

  private hold(bytes: Buffer): void {
    if (this.skipping || bytes.length === 0) return;
    this.parts.push(Buffer.from(bytes)); // copy: the caller may reuse its chunk
    this.held += bytes.length;
  }

  /**
   * Emits the frame cut to maxBytes once it holds more than maxBytes plus the two terminator bytes
   * that `finish` may still trim (CR, LF), then skips the rest of it.
   */
  private cutIfTooLong(out: Frame[]): void {
    if (this.skipping || this.held <= this.o.maxBytes + 2) return;
    const bytes = Buffer.concat(this.parts, this.held).subarray(0, this.o.maxBytes);
    out.push({ text: bytes.toString('utf8'), bytes: bytes.length, tooLong: true });
    this.skipping = true;
    this.parts = [];
    this.held = 0;
  }

  /** Emits the frame held in `parts`, or `whole` when it arrived in one piece. */
  private finish(out: Frame[], counted: boolean, whole?: Buffer): void {
    if (!this.skipping) {
      let bytes = whole ?? Buffer.concat(this.parts, this.held);
      let len = bytes.length;
      if (counted && len > 0 && bytes[len - 1] === LF) len--; // a counted MSG may carry its own LF
      if (len > 0 && bytes[len - 1] === CR) len--;
      bytes = bytes.subarray(0, len);
      if (len > this.o.maxBytes) out.push({ text: bytes.subarray(0, this.o.maxBytes).toString('utf8'), bytes: this.o.maxBytes, tooLong: true });
      else if (len > 0) out.push({ text: bytes.toString('utf8'), bytes: len });
    }
    this.reset();
    this.state = { kind: 'start' };
  }

  private reset(): void {
    this.parts = [];
    this.held = 0;
    this.skipping = false;
  }

  private fail(chunk: Buffer, at: number, what: string): string {
    const seen = JSON.stringify(chunk.subarray(at, at + 16).toString('latin1'));
    this.state = { kind: 'failed' };
    this.reset();
    return `invalid octet-counting frame starting at byte ${this.frameStart}: ${what}, got ${seen}`;
  }
}

function isDigit(b: number): boolean {
  return b >= ZERO && b <= NINE;
}
