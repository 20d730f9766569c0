// Mixes every connected input to mono, resamples to 16 kHz when the context runs at another
// rate, converts to PCM16 and posts 100 ms frames (1 600 samples, 3 200 bytes) with their RMS
// level (0..1), which tells the host's page when its own microphone is speaking.
const TARGET_RATE = 16000;
const FRAME_SAMPLES = 1600;

class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / TARGET_RATE;
    this.frame = new Int16Array(FRAME_SAMPLES);
    this.filled = 0;
    this.energy = 0; // sum of squares of the frame so far
    this.pos = 0; // fractional read position for the resampler
    this.prev = 0; // last sample of the previous block, for interpolation across blocks
    this.lp = 0; // one-pole low-pass state (anti-aliasing before decimation)
    this.alpha = this.ratio > 1 ? Math.min(1, (2 * Math.PI * 7000) / sampleRate) : 1;
  }

  push(value) {
    const s = Math.max(-1, Math.min(1, value));
    this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
    this.energy += s * s;
    if (this.filled === FRAME_SAMPLES) {
      const pcm = this.frame.buffer;
      const level = Math.sqrt(this.energy / FRAME_SAMPLES);
      this.port.postMessage({ pcm, level }, [pcm]);
      this.frame = new Int16Array(FRAME_SAMPLES);
      this.filled = 0;
      this.energy = 0;
    }
  }

  process(inputs) {
    // Sum all inputs and channels: the host's microphone plus any remote audio mixed in.
    let length = 0;
    for (const input of inputs) for (const ch of input) length = Math.max(length, ch.length);
    if (length === 0) return true;
    const mono = new Float32Array(length);
    for (const input of inputs) {
      for (const ch of input) {
        const scale = 1 / input.length;
        for (let i = 0; i < ch.length; i++) mono[i] += ch[i] * scale;
      }
    }
    if (this.ratio === 1) {
      for (let i = 0; i < length; i++) this.push(mono[i]);
      return true;
    }
    for (let i = 0; i < length; i++) {
      this.lp += this.alpha * (mono[i] - this.lp);
      mono[i] = this.lp;
    }
    while (this.pos < length) {
      const i = Math.floor(this.pos);
      const frac = this.pos - i;
      const a = i === 0 ? this.prev : mono[i - 1];
      const b = mono[i];
      this.push(a + (b - a) * frac);
      this.pos += this.ratio;
    }
    this.pos -= length;
    this.prev = mono[length - 1];
    return true;
  }
}

registerProcessor("pcm-capture", PcmCaptureProcessor);
