#!/usr/bin/env python3
"""Writes the .npy fixtures of tests/Rectifier.Tests/Npy with NumPy itself, and the expected values beside them.

Each fixture <name>.npy has <name>.expected.txt: dtype, shape, fortran flag and every element in the file's order (C, or Fortran for the Fortran fixture) as the
float64 hex of its value, so the tests compare what Rectifier reads with what NumPy wrote, bit for bit. The torch_*
files hold PyTorch's results for the same inputs (relu, gelu, gelu tanh, prelu per channel NCHW and NHWC, and prelu's
weight gradient), used by the command-line tests.

Run: python3 scripts/make_npy_fixtures.py   (Debian: apt-get install python3-numpy python3-torch)
"""
import os

import numpy as np
from numpy.lib import format as npformat

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "Rectifier.Tests", "Npy")


def values(shape, seed):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(shape) * 3
    flat = v.reshape(-1)
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30, -2.5]
    flat[: min(len(flat), len(specials))] = specials[: min(len(flat), len(specials))]
    return v


def write(name, array, version=None):
    path = os.path.join(OUT, name + ".npy")
    with open(path, "wb") as fh:
        if version is None:
            np.save(fh, array)
        else:
            npformat.write_array(fh, array, version=version)
    fortran = bool(np.isfortran(array) and array.ndim > 1)
    file_order = array.astype(np.float64).ravel(order="F" if fortran else "C")   # the order of the bytes in the file
    with open(os.path.join(OUT, name + ".expected.txt"), "w") as fh:
        fh.write(f"{array.dtype.str} {','.join(str(d) for d in array.shape)} {fortran}\n")
        for v in file_order:
            fh.write(np.float64(v).tobytes()[::-1].hex() + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for code in ("f2", "f4", "f8"):
        for order in ("<", ">"):
            dt = np.dtype(order + code)
            write(f"{code}_{'le' if order == '<' else 'be'}_2x3x4", values((2, 3, 4), 1).astype(dt))
    write("f4_v2_5x7", values((5, 7), 2).astype("<f4"), version=(2, 0))
    write("f8_v3_3", values((3,), 3).astype("<f8"), version=(3, 0))
    write("f4_scalar", np.array(1.5, dtype="<f4"))
    write("f4_empty_0x3", np.zeros((0, 3), dtype="<f4"))
    write("f8_empty_1d", np.zeros((0,), dtype="<f8"))
    write("f4_fortran_3x4", np.asfortranarray(values((3, 4), 4).astype("<f4")))
    write("f2_rank4_2x3x2x2", values((2, 3, 2, 2), 5).astype("<f2"))

    # PyTorch results for the command-line tests
    import torch
    rng = np.random.default_rng(7)
    x = (rng.standard_normal((2, 3, 4, 5)) * 2).astype(np.float32)
    g = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    w = np.array([0.1, -0.2, 0.3], dtype=np.float32)
    np.save(os.path.join(OUT, "torch_x.npy"), x)
    np.save(os.path.join(OUT, "torch_g.npy"), g)
    np.save(os.path.join(OUT, "torch_w.npy"), w)
    tx = torch.from_numpy(x)
    np.save(os.path.join(OUT, "torch_relu.npy"), torch.relu(tx).numpy())
    np.save(os.path.join(OUT, "torch_threshold.npy"), torch.nn.functional.threshold(tx, 0.5, -1.0).numpy())
    # hardshrink and softshrink with an inexact lambda (0.3 is converted to float32 as PyTorch does)
    np.save(os.path.join(OUT, "torch_hardshrink.npy"), torch.nn.functional.hardshrink(tx, 0.3).numpy())
    np.save(os.path.join(OUT, "torch_softshrink.npy"), torch.nn.functional.softshrink(tx, 0.3).numpy())
    np.save(os.path.join(OUT, "torch_softshrink_grad.npy"),
            torch.ops.aten.softshrink_backward(torch.from_numpy(g), tx, 0.3).numpy())
    np.save(os.path.join(OUT, "torch_leaky_relu_grad.npy"),
            torch.ops.aten.leaky_relu_backward(torch.from_numpy(g), tx, 0.2, False).numpy())
    np.save(os.path.join(OUT, "torch_prelu_nchw.npy"), torch.nn.functional.prelu(tx, torch.from_numpy(w)).numpy())
    # NHWC: channels last; PyTorch's prelu wants them on axis 1, so move them there and back
    x_nhwc = np.ascontiguousarray(np.moveaxis(x, 1, -1))
    np.save(os.path.join(OUT, "torch_x_nhwc.npy"), x_nhwc)
    y_nhwc = torch.nn.functional.prelu(torch.from_numpy(x_nhwc).movedim(-1, 1), torch.from_numpy(w)).movedim(1, -1).contiguous()
    np.save(os.path.join(OUT, "torch_prelu_nhwc.npy"), y_nhwc.numpy())
    # prelu weight gradient (float64 to compare with Rectifier's double sums without float rounding in the way)
    tx64 = torch.from_numpy(x.astype(np.float64)).requires_grad_()
    tw64 = torch.from_numpy(w.astype(np.float64)).requires_grad_()
    torch.nn.functional.prelu(tx64, tw64).backward(torch.from_numpy(g.astype(np.float64)))
    np.save(os.path.join(OUT, "torch_prelu_dw_f64.npy"), tw64.grad.numpy())
    print("fixtures written to", os.path.relpath(OUT))


if __name__ == "__main__":
    main()
