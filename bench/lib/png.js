'use strict';
// A tiny raster canvas (filled rectangles, a 5x7 bitmap font) written as PNG
// with node:zlib, so the bench draws its own charts without a dependency.
const zlib = require('node:zlib');

// 5x7 glyphs, one hex number per row, bit 4 = leftmost pixel. Lowercase is drawn as uppercase.
const FONT = {
  A: '0e1111 1f1111 11', B: '1e1111 1e1111 1e', C: '0e1110 101011 0e', D: '1e1111 111111 1e',
  E: '1f1010 1e1010 1f', F: '1f1010 1e1010 10', G: '0e1110 171111 0f', H: '111111 1f1111 11',
  I: '0e0404 040404 0e', J: '070202 020212 0c', K: '111214 181412 11', L: '101010 101010 1f',
  M: '111b15 151111 11', N: '111119 151311 11', O: '0e1111 111111 0e', P: '1e1111 1e1010 10',
  Q: '0e1111 111512 0d', R: '1e1111 1e1412 11', S: '0f1010 0e0101 1e', T: '1f0404 040404 04',
  U: '111111 111111 0e', V: '111111 11110a 04', W: '111111 151515 0a', X: '11110a 040a11 11',
  Y: '111111 0a0404 04', Z: '1f0102 040810 1f', 0: '0e1113 151911 0e', 1: '040c04 040404 0e',
  2: '0e1101 020408 1f', 3: '1f0204 020111 0e', 4: '02060a 121f02 02', 5: '1f101e 010111 0e',
  6: '060810 1e1111 0e', 7: '1f0102 040808 08', 8: '0e1111 0e1111 0e', 9: '0e1111 0f0102 0c',
  ' ': '000000 000000 00', '.': '000000 00000c 0c', ',': '000000 000c04 08', '-': '000000 1f0000 00',
  '/': '000102 040810 00', '(': '020408 080804 02', ')': '080402 020204 08', ':': '000c0c 000c0c 00',
  '%': '181902 040813 03', '+': '000404 1f0404 00', _: '000000 000000 1f', '=': '00001f 001f00 00',
  '>': '080402 010204 08', '<': '020408 100804 02', "'": '0c0408 000000 00', '*': '000415 0e1504 00',
  '|': '040404 040404 04', '[': '0e0808 080808 0e', ']': '0e0202 020202 0e', '~': '000008 150200 00',
};
const GLYPHS = Object.fromEntries(
  Object.entries(FONT).map(([ch, hex]) => {
    const h = hex.replace(/ /g, '');
    return [ch, Array.from({ length: 7 }, (_, i) => parseInt(h.slice(i * 2, i * 2 + 2), 16))];
  }),
);

class Canvas {
  constructor(width, height, background = [255, 255, 255]) {
    this.width = width;
    this.height = height;
    this.pixels = Buffer.alloc(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  rect(x, y, w, h, [r, g, b]) {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0; xx < x1; xx++) {
        const i = (yy * this.width + xx) * 3;
        this.pixels[i] = r;
        this.pixels[i + 1] = g;
        this.pixels[i + 2] = b;
      }
    }
  }

  /** Draws text with its top-left at (x, y); returns the width drawn. */
  text(x, y, text, color = [0, 0, 0], scale = 2) {
    let cx = x;
    for (const raw of String(text)) {
      const glyph = GLYPHS[raw.toUpperCase()] ?? GLYPHS['*'];
      for (let row = 0; row < 7; row++) {
        for (let col = 0; col < 5; col++) {
          if (glyph[row] & (0x10 >> col)) this.rect(cx + col * scale, y + row * scale, scale, scale, color);
        }
      }
      cx += 6 * scale;
    }
    return cx - x;
  }

  static textWidth(text, scale = 2) {
    return String(text).length * 6 * scale;
  }

  png() {
    const raw = Buffer.alloc((this.width * 3 + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      raw[y * (this.width * 3 + 1)] = 0; // filter: none
      this.pixels.copy(raw, y * (this.width * 3 + 1) + 1, y * this.width * 3, (y + 1) * this.width * 3);
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header[8] = 8; // bit depth
    header[9] = 2; // colour type: RGB
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

module.exports = { Canvas };
