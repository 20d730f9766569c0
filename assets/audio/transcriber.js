// The browser's side of live transcription: microphone -> 16 kHz PCM16 frames of 100 ms ->
// /api/realtime/transcribe. Reconnects with backoff, asking for a fresh token each time
// (tokens are short-lived). Transcripts reach every page through the server (Reflex state),
// the host's own included: partials, finals and {"type":"retract","utteranceId"} (drop that
// utterance's partial, it ended with no words) are applied there, so this socket's messages
// only report errors and state.
//
// Host mode (the default): the transcription host also mixes in everyone else's audio and
// tells the server who is speaking, {"type":"speakers","active":[LiveKit identities]}, from
// LiveKit's active speakers, or, outside a LiveKit room, from its own microphone's level.
// Per-speaker mode: every participant streams its own microphone, nothing else.
(function () {
  // Which close codes mean "reconnect with a fresh token", and which error codes are notices
  // (the stream goes on, or the server asks for a reconnect) rather than errors to show,
  // come from the server's table (rooms/core/transcription/protocol.py), rendered into
  // /audio/protocol.js as window.RoomsProtocol.
  const protocol = () => window.RoomsProtocol || { retryCloseCodes: [], noticeCodes: [] };
  const retryClose = () => new Set(protocol().retryCloseCodes);
  const isNotice = (code) => protocol().noticeCodes.includes(code);
  const SPEAKING_LEVEL = 0.02; // RMS of a 100 ms frame, about -34 dBFS
  const HANG_FRAMES = 5; // stay "speaking" through the short pauses between words
  const state = { ctx: null, node: null, mic: null, ws: null, startUrl: null, opts: {},
                  stopped: true, attempt: 0, status: "idle", lastError: "",
                  room: null, remote: new Map(), speakers: [], sent: null,
                  quietFrames: HANG_FRAMES };

  function setStatus(status, detail) {
    state.status = status;
    if (detail) state.lastError = detail;
    window.dispatchEvent(new CustomEvent("rooms-transcriber",
      { detail: { status, error: state.lastError } }));
  }

  const hostMode = () => state.opts.mode !== "per-speaker";
  // Without its own identity the page cannot say who speaks: the server then attributes
  // everything to the host, as it did before speaker messages existed.
  const reportsSpeakers = () => hostMode() && Boolean(state.opts.identity);
  const inRoom = () => state.room !== null && state.room.state === "connected";
  const open = () => state.ws !== null && state.ws.readyState === WebSocket.OPEN;

  // --- who is speaking (host mode) ---

  function setSpeakers(identities) {
    state.speakers = identities;
    const key = JSON.stringify(identities);
    if (!reportsSpeakers() || !open() || key === state.sent) return;
    state.sent = key;
    state.ws.send(JSON.stringify({ type: "speakers", active: identities }));
  }

  function onLevel(level) {
    // Outside a LiveKit room the only voice is this microphone.
    if (!reportsSpeakers() || inRoom()) return;
    state.quietFrames = level >= SPEAKING_LEVEL ? 0 : state.quietFrames + 1;
    setSpeakers(state.quietFrames < HANG_FRAMES ? [state.opts.identity] : []);
  }

  function onActiveSpeakers(participants) {
    if (hostMode()) setSpeakers(participants.map((p) => p.identity));
  }

  // --- everyone else's audio, mixed into the host's stream ---

  function mix(track) {
    if (!hostMode() || !state.ctx || !state.node || track.kind !== "audio") return;
    if (state.remote.has(track.sid)) return;
    const source = state.ctx.createMediaStreamSource(new MediaStream([track.mediaStreamTrack]));
    source.connect(state.node);
    state.remote.set(track.sid, source);
  }

  function unmix(track) {
    const source = state.remote.get(track.sid);
    if (source) source.disconnect();
    state.remote.delete(track.sid);
  }

  function mixEveryone() {
    if (!state.room) return;
    for (const p of state.room.remoteParticipants.values()) {
      for (const pub of p.audioTrackPublications.values()) if (pub.track) mix(pub.track);
    }
  }

  // The LiveKit room of the page (rooms/components/livekit.py hands it over), or null.
  function attachRoom(room) {
    if (state.room === room) return;
    if (state.room) {
      state.room.off("activeSpeakersChanged", onActiveSpeakers);
      state.room.off("trackSubscribed", mix);
      state.room.off("trackUnsubscribed", unmix);
    }
    state.room = room || null;
    if (!state.room) return;
    state.room.on("activeSpeakersChanged", onActiveSpeakers);
    state.room.on("trackSubscribed", mix);
    state.room.on("trackUnsubscribed", unmix);
    mixEveryone();
  }

  // --- the socket ---

  async function token() {
    const headers = state.opts.bearer ? { Authorization: `Bearer ${state.opts.bearer}` } : {};
    const res = await fetch(state.startUrl, { method: "POST", credentials: "include", headers });
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
    ws.onopen = () => {
      state.attempt = 0;
      setStatus("live");
      state.sent = null; // a new connection knows nothing yet: say who speaks now
      setSpeakers(state.speakers);
    };
    ws.onmessage = (ev) => {
      try {
        const msg = JSON.parse(ev.data);
        if (msg.type === "error" && isNotice(msg.code)) console.warn(msg.message);
        else if (msg.type === "error") setStatus("error", msg.message);
      } catch (_) { /* not JSON: ignore */ }
    };
    ws.onclose = (ev) => {
      if (state.ws !== ws) return; // an older socket of this page: the current one decides
      state.ws = null;
      if (state.stopped) return;
      if (retryClose().has(ev.code)) return retry();
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

  // opts: {mode: "host" | "per-speaker", identity: this participant's LiveKit identity,
  //        bearer: the LiveKit token (guests prove who they are with it)}
  async function start(startUrl, opts) {
    if (!state.stopped) return state.status;
    state.stopped = false;
    state.startUrl = startUrl;
    state.opts = opts || {};
    state.lastError = "";
    try {
      // Created in the click handler: a context made at page load stays suspended.
      let ctx;
      try { ctx = new AudioContext({ sampleRate: 16000 }); } catch (_) { ctx = new AudioContext(); }
      state.ctx = ctx;
      await ctx.resume();
      // Echo cancellation on: a host on loudspeakers would otherwise send the remote voices
      // twice, once through the digital mix and once as their echo in this microphone
      // (per-speaker: the echo would be attributed to this participant). The same
      // processing as LiveKit's own microphone track (its defaults: all three on), because
      // Chromium hands a second capture of an open device with other settings raw audio,
      // echo included (measured: {echoCancellation: true, noiseSuppression: false} after
      // LiveKit's capture reports echoCancellation false).
      state.mic = await navigator.mediaDevices.getUserMedia({ audio: {
        echoCancellation: true, noiseSuppression: true, autoGainControl: true,
        channelCount: 1 } });
      await ctx.audioWorklet.addModule("/audio/capture-worklet.js");
      const node = new AudioWorkletNode(ctx, "pcm-capture", { numberOfOutputs: 0 });
      node.port.onmessage = (ev) => {
        onLevel(ev.data.level); // before the frame: a change is stamped where it happened
        if (open()) state.ws.send(ev.data.pcm);
      };
      state.node = node;
      ctx.createMediaStreamSource(state.mic).connect(node);
      mixEveryone();
      setStatus("connecting");
      await connect();
    } catch (err) {
      setStatus("error", err && err.message ? err.message : String(err));
      await stop();
    }
    return state.status;
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
    state.remote.clear();
    if (wasLive && state.status !== "error") setStatus("idle");
    return state.status;
  }

  // The microphone's applied settings (echoCancellation...), for tests and diagnostics.
  const micSettings = () => (state.mic ? state.mic.getAudioTracks()[0].getSettings() : null);
  window.RoomsTranscriber = { start, stop, attachRoom, status: () => state.status,
                              error: () => state.lastError, micSettings };
  if (window.RoomsLiveKitRoom) attachRoom(window.RoomsLiveKitRoom);
})();
