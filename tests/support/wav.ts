/**
 * A valid PCM WAV (mono, 16-bit, 8 kHz) of exactly `size` bytes (at least the 44-byte header):
 * an allowed MMS type that needs no thumbnail, at any size tests and benchmarks want.
 * `sample(i)` gives the i-th 16-bit sample (default silence).
 */
export function wavOfSize(size: number, sample?: (index: number) => number): Buffer {
  if (size < 44) throw new RangeError("a WAV needs at least its 44-byte header");
  const wav = Buffer.alloc(size);
  const dataBytes = size - 44;
  wav.write("RIFF", 0);
  wav.writeUInt32LE(size - 8, 4);
  wav.write("WAVE", 8);
  wav.write("fmt ", 12);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(16000, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write("data", 36);
  wav.writeUInt32LE(dataBytes, 40);
  if (sample) for (let i = 0; i < Math.floor(dataBytes / 2); i++) wav.writeInt16LE(sample(i), 44 + i * 2);
  return wav;
}
