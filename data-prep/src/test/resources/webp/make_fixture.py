#!/usr/bin/python3
"""Tiny lossless WebP fixtures for the LSUN test (Java cannot encode WebP; TwelveMonkeys only decodes it).
Same pattern formula as CenterCropTest; run with Debian's python3-pil: /usr/bin/python3 make_fixture.py"""
from PIL import Image


def pattern(w, h, seed):
    return bytes((x * 5 + y * 3 + c * 60 + seed * 17 + (x * y) % 7) % 256 for y in range(h) for x in range(w) for c in range(3))


for i, (w, h) in enumerate([(48, 40), (40, 48), (64, 64)]):
    Image.frombytes("RGB", (w, h), pattern(w, h, i)).save(f"img{i}.webp", lossless=True)
