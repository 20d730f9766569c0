"""A space's glossary on the local engine: word error rate with and without it, side by side.

    source scripts/env.sh && python bench/glossary_wer.py            # ~3 min on 2 cores
    python bench/glossary_wer.py --voices en-us,en-gb                # fewer voices

Sentences full of names and jargon tiny.en has rarely seen ("Zhuravleva", "Okonkwo",
"Kubernetes") are spoken by espeak-ng in several voices and streamed through the real local
engine (VAD, pool, Whisper), once without a glossary and once with the space's glossary: the
names in the sentences plus as many unrelated terms, as a real space's list would hold.
The sentences were written before the first run and not tuned to it. A control set (the
ordinary sentences of tests/support/speech.py, with the same glossary) shows what a glossary
costs speech that does not use it. Prints WER, how many glossary terms came out spelled
right, and the decode time per final.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "test")

from bench.stt_local import play, unbounded  # noqa: E402
from rooms.core.glossary import clean_terms  # noqa: E402
from rooms.core.transcription.engines.base import StreamOptions  # noqa: E402
from rooms.core.transcription.engines.local.engine import LocalEngine, make_local_engine  # noqa: E402
from tests.support.speech import (  # noqa: E402
    GLOSSARY,
    NAMED,
    SENTENCES,
    errors,
    speech_track,
    words,
)

VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb-x-rp", "en-us+m3"]


def term_hits(reference: str, heard: str, terms: list[str]) -> tuple[int, int]:
    """(terms heard as spelled, terms said): each spoken occurrence of a glossary term counts
    once, found if the transcript has that word sequence as often."""

    def grams(text: str, n: int) -> Counter[tuple[str, ...]]:
        w = words(text)
        return Counter(tuple(w[i : i + n]) for i in range(len(w) - n + 1))

    said = found = 0
    for term in terms:
        key = tuple(words(term))
        if not key:
            continue
        n_ref = grams(reference, len(key))[key]
        said += n_ref
        found += min(n_ref, grams(heard, len(key))[key])
    return found, said


@dataclass
class Tally:
    """One condition (with or without the glossary), summed over voices."""

    e: int = 0
    n: int = 0
    hit: int = 0
    said: int = 0
    ce: int = 0
    cn: int = 0
    finals: int = 0
    decode: float = 0.0


def transcribe(engine: LocalEngine, track, vocabulary: tuple[str, ...]) -> tuple[str, int, float]:
    """The finals' text, how many finals, and the seconds spent decoding them."""
    pool = engine.pool
    d0, s0 = dict(pool.decodes), dict(pool.decode_seconds)
    # Faster than real time: finals do not depend on pacing. One stream at a time, so the
    # decode time is not inflated by other streams waiting.
    options = StreamOptions(vocabulary=vocabulary)
    res = asyncio.run(play(engine, *track, pace=0.3, options=options))
    if res.error:
        raise SystemExit(f"stream failed: {res.error}")
    kinds = ("final", "fast final")
    n = sum(pool.decodes[k] - d0[k] for k in kinds)
    secs = sum(pool.decode_seconds[k] - s0[k] for k in kinds)
    return " ".join(f.text for _, f in res.finals), n, secs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", default=",".join(VOICES))
    parser.add_argument("--show", action="store_true", help="print every transcript")
    args = parser.parse_args()
    voices = args.voices.split(",")
    glossary = tuple(clean_terms(GLOSSARY))
    shared = make_local_engine()
    asyncio.run(shared.pool.wait_ready())  # the model loads once, outside the timings
    engine = unbounded(shared)
    reference, control = " ".join(NAMED), " ".join(SENTENCES)
    spoken = sum(1 for t in glossary if term_hits(reference, reference, [t])[1])
    print(
        f"local engine, {len(voices)} voices, glossary of {len(glossary)} terms ({spoken} spoken)"
    )

    conditions = {"without glossary": (), "with glossary": glossary}
    tallies = {label: Tally() for label in conditions}
    for voice in voices:
        named, plain = speech_track(NAMED, voice, gap=1.0), speech_track(SENTENCES, voice, gap=1.0)
        # The two conditions alternate voice by voice: on a shared machine both see its load.
        for label, vocab in conditions.items():
            t = tallies[label]
            heard, finals, secs = transcribe(engine, named, vocab)
            ve, vn = errors(reference, heard)
            vh, vs = term_hits(reference, heard, list(glossary))
            plain_heard, _, _ = transcribe(engine, plain, vocab)
            pe, pn = errors(control, plain_heard)
            t.e, t.n, t.hit, t.said, t.ce, t.cn = (
                t.e + ve,
                t.n + vn,
                t.hit + vh,
                t.said + vs,
                t.ce + pe,
                t.cn + pn,
            )
            t.finals, t.decode = t.finals + finals, t.decode + secs
            print(
                f"  {voice:11s} {label:17s} WER {ve / vn:6.1%}  terms {vh}/{vs}"
                f"  control WER {pe / pn:6.1%}  load average {os.getloadavg()[0]:.1f}"
            )
            if args.show:
                print(f"      {heard}")

    print("\n| | WER, names set | glossary terms right | WER, control set | decode per final |")
    print("|---|---|---|---|---|")
    for label, t in tallies.items():
        print(
            f"| {label} | {t.e / t.n:.1%} | {t.hit}/{t.said} ({t.hit / t.said:.0%}) "
            f"| {t.ce / t.cn:.1%} | {t.decode / max(1, t.finals):.2f} s |"
        )
    engine.pool.close(wait=30)


if __name__ == "__main__":
    main()
