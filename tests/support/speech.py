"""Known English speech for the speech-to-text tests and benchmark: espeak-ng makes it, sox
turns it into what the gateway carries (16 kHz mono PCM16), and words are compared after the
usual normalisation (case, punctuation, small numbers)."""

from __future__ import annotations

import re
import subprocess
import wave
from collections import Counter
from pathlib import Path

import numpy as np

RATE = 16_000
FRAME = 3_200  # 100 ms of PCM16, what the browser's worklet sends
# sox writes to stdout what the gateway carries: raw 16 kHz mono signed 16-bit.
PCM16_OUT = ["-t", "raw", "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", "-"]

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "We will meet again next Tuesday to review the budget.",
    "Please send the quarterly report to the finance team before Friday.",
    "The weather today is sunny with a light breeze from the west.",
    "Our new office opens in the city center next month.",
    "She bought three apples and a loaf of bread at the market.",
    "Remember to lock the door when you leave the building tonight.",
    "Thank you all for joining the call this afternoon.",
    "Could you share your screen so everyone can see the chart?",
    "Let us move on to the next item on the agenda.",
    "The project deadline has been moved to the end of March.",
    "I think we should hire two more engineers this year.",
]

# Names and jargon tiny.en has rarely seen, for a space's glossary (bench/glossary_wer.py).
NAMED = [
    "Ask Natalia Zhuravleva for the updated contract.",
    "Chidi Okonkwo will present the results on Thursday.",
    "We moved the billing service to Kubernetes last week.",
    "The Grafana dashboard shows the latency of the Postgres replica.",
    "Siobhan and Niamh are flying to Reykjavik tomorrow.",
    "Please book a call with Anneliese Schwarzenegger from legal.",
    "The Tiramisu release needs one more review from Bartholomew.",
    "Our client in Wrocław asked about the Kafka migration.",
    "Dr. Nkechi Adeyemi joins the board in January.",
    "Send the Terraform plan to Xiaoling before lunch.",
    "The Ouagadougou office reported a problem with Keycloak.",
    "Magnus Thorvaldsen approved the budget for Prometheus.",
]
# What a space would list: the names and tools above, and as many it does not say today.
GLOSSARY = [
    "Natalia Zhuravleva",
    "Chidi Okonkwo",
    "Kubernetes",
    "Grafana",
    "Postgres",
    "Siobhan",
    "Niamh",
    "Reykjavik",
    "Anneliese Schwarzenegger",
    "Tiramisu",
    "Bartholomew",
    "Wrocław",
    "Kafka",
    "Nkechi Adeyemi",
    "Terraform",
    "Xiaoling",
    "Ouagadougou",
    "Keycloak",
    "Magnus Thorvaldsen",
    "Prometheus",
    # not spoken
    "Oyelaran",
    "Szczepański",
    "Vaughan-Whitfield",
    "Ansible",
    "Kibana",
    "Tbilisi",
    "Aoife Ní Bhriain",
    "Jörmungandr",
    "Dagestan",
    "Quetzalcoatl",
    "Mbappé",
    "Sjögren",
    "OpenTelemetry",
    "Nakagawa",
    "Przemysław",
    "Ljubljana",
    "Zanzibar",
    "Hadoop",
    "Tchaikovsky",
    "Lindqvist",
]


_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def synth(text: str, voice: str = "en-us", speed: int = 160, gain_db: float = 0.0) -> bytes:
    """espeak-ng speech as 16 kHz mono PCM16 (sox resamples; gain > 0 may clip, on purpose)."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    effects = ["gain", str(gain_db)] if gain_db else []
    return subprocess.run(
        [
            "sox",
            "-V1",
            "-t",
            "wav",
            "-",
            *PCM16_OUT,
            *effects,
        ],
        input=wav,
        check=True,
        capture_output=True,
    ).stdout


def noise(seconds: float, color: str = "whitenoise", amplitude: float = 0.3) -> bytes:
    return subprocess.run(
        [
            "sox",
            "-V1",
            "-R",  # the same "random" noise every run
            "-n",
            *PCM16_OUT,
            "synth",
            str(seconds),
            color,
            "vol",
            str(amplitude),
        ],
        check=True,
        capture_output=True,
    ).stdout


def silence(seconds: float) -> bytes:
    return bytes(int(seconds * RATE) * 2)


def seconds(pcm: bytes) -> float:
    return len(pcm) / (2 * RATE)


def speech_track(
    sentences: list[str], voice: str = "en-us", gap: float = 1.2, lead: float = 0.5
) -> tuple[bytes, list[tuple[float, float]]]:
    """Sentences separated by `gap` s of silence, and where the voice is heard in each one
    (first to last sample above 1 % of full scale)."""
    pcm, spans = silence(lead), []
    for text in sentences:
        speech = synth(text, voice)
        loud = np.flatnonzero(np.abs(np.frombuffer(speech, dtype=np.int16)) > 328)
        offset = seconds(pcm)
        first, last = (int(loud[0]), int(loud[-1])) if loud.size else (0, 0)
        spans.append((offset + first / RATE, offset + (last + 1) / RATE))
        pcm += speech + silence(gap)
    return pcm, spans


def write_wav(path: Path, pcm: bytes) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm)
    return path


def words(text: str) -> list[str]:
    out = []
    for w in re.sub(r"[^a-z0-9' ]", " ", text.lower().replace("-", " ")).split():
        w = w.strip("'")
        out.append(_NUMBERS[int(w)] if w.isdigit() and int(w) < len(_NUMBERS) else w)
    return [w for w in out if w]


def recall(spoken: str, heard: str) -> float:
    """Share of the spoken words found in what was heard (each occurrence counted once)."""
    ref, hyp = Counter(words(spoken)), Counter(words(heard))
    return sum((ref & hyp).values()) / max(1, sum(ref.values()))


def errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words): the numerator and denominator of the word error rate."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[:], i
        for j, h in enumerate(hyp, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (r != h))
    return row[len(hyp)], len(ref)
