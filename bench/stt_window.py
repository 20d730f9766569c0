"""How long the Whisper encoder window must be: decode time and word error rate per setting.

    python bench/stt_window.py                       # the settings the engine chooses between
    python bench/stt_window.py --frames full,1500 --beams 5 --threads 2

Each of the 12 sentences of tests/support/speech.py, spoken by 5 espeak-ng voices (60 clips), is
decoded whole with the engine's model: the features are padded to `frames` (10 ms each;
"full" is Whisper's 30 s window, a number N means "at least N, or the speech plus 2 s"),
with the given beam size and CPU threads. Prints seconds per clip and the WER over all
clips. Settings run one after another in one process, so they compare side by side.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "test")

import numpy as np  # noqa: E402

from rooms.core.transcription.engines.local.model import Whisper, default_model_path  # noqa: E402
from tests.support.speech import SENTENCES, errors, synth  # noqa: E402

VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb-x-rp", "en-us+m3"]


def run(model: Whisper, clips: list[tuple[str, np.ndarray]], frames: str, beam: int) -> str:
    import ctranslate2

    prompt, tok, suppress = model._prompt("en")
    edits = words = 0
    spent = 0.0
    for reference, audio in clips:
        started = time.perf_counter()
        features = model.fw.feature_extractor(audio)[:, :-1]
        n = min(Whisper.FULL, features.shape[-1])
        width = Whisper.FULL if frames == "full" else min(Whisper.FULL, max(int(frames), n + 200))
        padded = np.zeros((1, features.shape[0], width), dtype=np.float32)
        padded[0, :, :n] = features[:, :n]
        result = model.fw.model.generate(
            ctranslate2.StorageView.from_array(padded),
            [prompt],
            beam_size=beam,
            max_length=len(prompt) + 160,
            suppress_blank=True,
            suppress_tokens=suppress,
        )[0]
        text = tok.decode([t for t in result.sequences_ids[0] if t < tok.eot]).strip()
        spent += time.perf_counter() - started
        e, w = errors(reference, text)
        edits, words = edits + e, words + w
    return f"{spent / len(clips):.3f} s per clip, WER {100 * edits / words:.1f} %"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--frames", default="full,2000,1500,1200,1000")
    ap.add_argument("--beams", default="5")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    clips = [
        (s, np.frombuffer(synth(s, v), dtype=np.int16).astype(np.float32) / 32768)
        for v in VOICES
        for s in SENTENCES
    ]
    model = Whisper(default_model_path(), workers=1, cpu_threads=args.threads, language="en")
    load = os.getloadavg()[0]
    print(f"{len(clips)} clips, {args.threads} CPU thread(s), load average {load:.1f}")
    for beam in (int(b) for b in args.beams.split(",")):
        for frames in args.frames.split(","):
            label = "30 s (full)" if frames == "full" else f">= {int(frames) / 100:g} s"
            print(f"  window {label:12} beam {beam}: {run(model, clips, frames, beam)}", flush=True)


if __name__ == "__main__":
    main()
