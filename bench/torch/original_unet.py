"""Times one-step sampling of the original UNetModel (openai/consistency_models) with PyTorch on the CPU.

usage: original_unet.py --original DIR --unet imagenet64|bedroom256 [--batch 1,8] [--iterations 5] [--warmup 2]
                        [--threads N] [--save-weights FILE.pt] [--trace FILE.pt] [--seed 0]

DIR is a checkout of openai/consistency_models (not part of OneStep). Its flash attention needs the flash_attn CUDA
package, so the attention is computed here in plain PyTorch with the same (three, heads, head_channels) layout.
A one-step sample is clamp(c_skip x + c_out F(c_in x, 250 ln sigma, y), -1, 1) at sigma = 80. Prints one RESULT line
per batch size: the median seconds per sample call and per image. --save-weights writes the random weights as a
state dict, so OneStep can time the same network; --trace writes a TorchScript trace of the one-step sampler
(inputs x and, for class-conditional networks, int64 labels) for bench/torch/djl.
"""
import argparse
import math
import statistics
import sys
import time

import numpy as np
import torch

NETS = {
    # launch.sh's ImageNet-64 and LSUN-256 flags (attention at 32, 16, 8 pixels; 64 channels per head)
    "imagenet64": dict(image_size=64, model_channels=192, channel_mult=(1, 2, 3, 4), num_res_blocks=3,
                       num_classes=1000, use_scale_shift_norm=True),
    "bedroom256": dict(image_size=256, model_channels=256, channel_mult=(1, 1, 2, 2, 4, 4), num_res_blocks=2,
                       num_classes=None, use_scale_shift_norm=False),
}


class PlainFlashAttention(torch.nn.Module):
    """softmax(q k^T / sqrt(d)) v over qkv rows ordered (three, heads, head_channels), as QKVFlashAttention."""

    def __init__(self, embed_dim, num_heads, **_):
        super().__init__()
        self.heads = num_heads
        self.d = embed_dim // num_heads

    def forward(self, qkv, **_):
        b, _, s = qkv.shape
        q, k, v = qkv.reshape(b, 3, self.heads, self.d, s).unbind(1)
        w = torch.softmax(torch.einsum("bhds,bhdt->bhst", q, k) / math.sqrt(self.d), dim=-1)
        return torch.einsum("bhst,bhdt->bhds", w, v).reshape(b, self.heads * self.d, s)


def build(original, name, seed):
    sys.path.insert(0, original)
    import cm.unet as unet  # noqa: E402 (the checkout given on the command line)
    unet.QKVFlashAttention = PlainFlashAttention
    cfg = NETS[name]
    size = cfg["image_size"]
    torch.manual_seed(seed)
    model = unet.UNetModel(image_size=size, in_channels=3, model_channels=cfg["model_channels"], out_channels=3,
                           num_res_blocks=cfg["num_res_blocks"],
                           attention_resolutions=tuple(size // r for r in (32, 16, 8)), dropout=0.0,
                           channel_mult=cfg["channel_mult"], num_classes=cfg["num_classes"], num_head_channels=64,
                           use_scale_shift_norm=cfg["use_scale_shift_norm"], resblock_updown=True)
    with torch.no_grad():
        for p in model.parameters():  # every tensor random, the zero-initialised output layers too
            p.copy_(torch.randn_like(p) * (1.0 / math.sqrt(max(1, p[0].numel()))))
    return model.eval(), cfg


def one_step(model, x_t, sigma, y, sigma_data=0.5, sigma_min=0.002):
    c_skip = sigma_data ** 2 / ((sigma - sigma_min) ** 2 + sigma_data ** 2)
    c_out = (sigma - sigma_min) * sigma_data / math.sqrt(sigma ** 2 + sigma_data ** 2)
    c_in = 1 / math.sqrt(sigma ** 2 + sigma_data ** 2)
    t = torch.full((x_t.shape[0],), 1000 * 0.25 * math.log(sigma))
    return (c_skip * x_t + c_out * model(c_in * x_t, t, y)).clamp(-1, 1)


class OneStepSampler(torch.nn.Module):
    """The one-step sampler as a module, for tracing."""

    def __init__(self, model, conditional):
        super().__init__()
        self.model = model
        self.conditional = conditional

    def forward(self, x, y=None):
        return one_step(self.model, x, 80.0, y if self.conditional else None)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--original", required=True)
    a.add_argument("--unet", choices=sorted(NETS), required=True)
    a.add_argument("--batch", default="1,8")
    a.add_argument("--iterations", type=int, default=5)
    a.add_argument("--warmup", type=int, default=2)
    a.add_argument("--threads", type=int, default=0)
    a.add_argument("--save-weights")
    a.add_argument("--trace")
    a.add_argument("--seed", type=int, default=0)
    args = a.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    model, cfg = build(args.original, args.unet, args.seed)
    params = sum(p.numel() for p in model.parameters())
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads, {args.unet}: {params:,} parameters",
          flush=True)
    if args.save_weights:
        torch.save(model.state_dict(), args.save_weights)
    if args.trace:
        conditional = cfg["num_classes"] is not None
        example = (torch.randn(1, 3, cfg["image_size"], cfg["image_size"]),)
        if conditional:
            example += (torch.zeros(1, dtype=torch.int64),)
        with torch.no_grad():
            torch.jit.trace(OneStepSampler(model, conditional), example, check_trace=False).save(args.trace)
    size = cfg["image_size"]
    for batch in [int(b) for b in args.batch.split(",")]:
        g = torch.Generator().manual_seed(batch)
        x = torch.randn(batch, 3, size, size, generator=g) * 80
        y = torch.randint(0, 1000, (batch,), generator=g) if cfg["num_classes"] else None
        times = []
        with torch.no_grad():
            for i in range(args.warmup + args.iterations):
                t0 = time.perf_counter()
                one_step(model, x, 80.0, y)
                if i >= args.warmup:
                    times.append(time.perf_counter() - t0)
                print(f"step {i} batch {batch} {times[-1] if times else time.perf_counter() - t0:.3f} s", flush=True)
        med = statistics.median(times)
        print(f"RESULT pytorch {args.unet} batch={batch} median_s={med:.3f} s_per_image={med / batch:.3f} "
              f"steps={len(times)}", flush=True)


if __name__ == "__main__":
    main()
