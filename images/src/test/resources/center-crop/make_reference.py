#!/usr/bin/python3
"""Reference pixels for CenterCropTest, computed with Pillow (Debian python3-pil 9.4.0) by guided-diffusion's
center_crop_arr algorithm, restated here from its description (box-halve, bicubic, centre crop).

Inputs are not stored: both this script and the Java test compute the same synthetic pattern from a formula.
Run: /usr/bin/python3 make_reference.py   (writes <w>x<h>x<c>-<size>.bin, raw HWC uint8)
"""
from PIL import Image

CASES = [(500, 375, 3, 64), (375, 500, 3, 64), (131, 97, 3, 64), (300, 200, 1, 32), (1024, 768, 3, 256),
         (2000, 1501, 3, 64), (64, 64, 1, 64), (67, 301, 3, 28)]


def pattern(w, h, c):
    out = bytearray(w * h * c)
    i = 0
    for y in range(h):
        for x in range(w):
            for ch in range(c):
                out[i] = (x * x * 3 + y * 7 + x * y + ch * 85 + ((x * 131 + y * 71) % 23) * 5) % 256
                i += 1
    return bytes(out)


def center_crop(img, size):
    while min(*img.size) >= 2 * size:
        img = img.resize(tuple(x // 2 for x in img.size), resample=Image.BOX)
    scale = size / min(*img.size)
    img = img.resize(tuple(round(x * scale) for x in img.size), resample=Image.BICUBIC)
    w, h = img.size
    top, left = (h - size) // 2, (w - size) // 2
    return img.crop((left, top, left + size, top + size))


for w, h, c, size in CASES:
    img = Image.frombytes("RGB" if c == 3 else "L", (w, h), pattern(w, h, c))
    with open(f"{w}x{h}x{c}-{size}.bin", "wb") as f:
        f.write(center_crop(img, size).tobytes())

# A JPEG path end to end: Pillow encodes photo.jpg (4:2:0, quality 90), then decodes it and centre-crops it to 64.
w, h = 320, 240
img = Image.frombytes("RGB", (w, h), pattern(w, h, 3))
img.save("photo.jpg", quality=90)
with Image.open("photo.jpg") as decoded:
    with open("photo.jpg-64.bin", "wb") as f:
        f.write(center_crop(decoded.convert("RGB"), 64).tobytes())
