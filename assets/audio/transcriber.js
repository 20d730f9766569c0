// The host's side of live transcription: microphone (and remote audio) -> 16 kHz PCM16
// frames of 100 ms -> /api/realtime/transcribe. Reconnects with backoff, asking for a fresh
// token each time (tokens are short-lived). Transcripts reach every page through the
// server (Reflex state), so this socket's messages only report errors and state.
(function () {
  const RETRY_CLOSE = new Set([1001, 1006, 1011, 1012, 1013, 4504]);
  const state = { ctx: null, node: null, mic: null, ws: null, startUrl: null,
                  stopped: true, attempt: 0, status: "idle", lastError: "" };

  function setStatus(status, detail) {
    state.status = status;
    if (detail) state.lastError = detail;
    window.dispatchEvent(new CustomEvent("rooms-transcriber",
      { detail: { status, error: state.lastError } }));
  }

  async function token() {
    const res = await fetch(state.startUrl, { method: "POST", credentials: "include" });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw Object.assign(new Error(body.message || res.statusText),
                                     { code: body.error, fatal: res.status < 500 });
    return body.wsUrl;
  }

  async function connect() {
    if (state.stopped) return;
    let url;
    try {
      url = await token();
    } catch (err) {
      if (err.fatal) { setStatus("error", err.message); await stop(); return; }
      return retry();
    }
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    state.ws = ws;
    ws.onopen = () => { state.attempt = 0; setStatus("live"); };
    ws.onmessage = (ev) => {
      try {
        const msg = JSON.parse(ev.data);
        if (msg.type === "error") setStatus("error", msg.message);
      } catch (_) { /* not JSON: ignore */ }
    };
    ws.onclose = (ev) => {
      if (state.ws === ws) state.ws = null;
      if (state.stopped) return;
      if (RETRY_CLOSE.has(ev.code)) return retry();
      setStatus("error", state.lastError || `closed (${ev.code})`);
      stop();
    };
  }

  function retry() {
    if (state.stopped) return;
    state.attempt += 1;
    const delay = Math.min(500 * 2 ** (state.attempt - 1), 8000);
    setStatus("reconnecting");
    setTimeout(connect, delay);
  }

  async function start(startUrl) {
    if (!state.stopped) return state.status;
    state.stopped = false;
    state.startUrl = startUrl;
    state.lastError = "";
    try {
      // Created in the click handler: a context made at page load stays suspended.
      let ctx;
      try { ctx = new AudioContext({ sampleRate: 16000 }); } catch (_) { ctx = new AudioContext(); }
      state.ctx = ctx;
      await ctx.resume();
      state.mic = await navigator.mediaDevices.getUserMedia({ audio: {
        echoCancellation: false, noiseSuppression: false, autoGainControl: false,
        channelCount: 1 } });
      await ctx.audioWorklet.addModule("/audio/capture-worklet.js");
      const node = new AudioWorkletNode(ctx, "pcm-capture", { numberOfOutputs: 0 });
      node.port.onmessage = (ev) => {
        const ws = state.ws;
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(ev.data);
      };
      state.node = node;
      ctx.createMediaStreamSource(state.mic).connect(node);
      setStatus("connecting");
      await connect();
    } catch (err) {
      setStatus("error", err && err.message ? err.message : String(err));
      await stop();
    }
    return state.status;
  }

  // Mix another participant's audio (a LiveKit remote track's MediaStream) into the stream.
  function addStream(stream) {
    if (!state.ctx || !state.node) return false;
    state.ctx.createMediaStreamSource(stream).connect(state.node);
    return true;
  }

  async function stop() {
    const wasLive = !state.stopped;
    state.stopped = true;
    const ws = state.ws;
    state.ws = null;
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send('{"type":"stop"}'); // the server drains the engine's last finals, then closes
    }
    if (state.mic) state.mic.getTracks().forEach((t) => t.stop());
    if (state.ctx) await state.ctx.close().catch(() => {});
    state.mic = state.ctx = state.node = null;
    if (wasLive && state.status !== "error") setStatus("idle");
    return state.status;
  }

  window.RoomsTranscriber = { start, stop, addStream, status: () => state.status,
                              error: () => state.lastError };
})();
