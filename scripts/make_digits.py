#!/usr/bin/env python3
"""Writes src/Rectifier.Training/Data/digits.txt from the UCI optical recognition of handwritten digits data set as
shipped by scikit-learn (sklearn.datasets.load_digits: 1,797 images of 8×8 pixels, values 0..16, labels 0..9).

The data set is by E. Alpaydin and C. Kaynak, UCI Machine Learning Repository, licensed CC BY 4.0
(https://doi.org/10.24432/C50P49); see README.md. One line per image: the label, then the 64 pixel values.

Run: python3 scripts/make_digits.py   (Debian: apt-get install python3-sklearn)
"""
import os
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "Rectifier.Training", "Data", "digits.txt")

digits = load_digits()
with open(OUT, "w") as fh:
    fh.write("# UCI Optical Recognition of Handwritten Digits (Alpaydin & Kaynak), CC BY 4.0, via scikit-learn's load_digits; label then 64 pixels (0..16)\n")
    for label, row in zip(digits.target, digits.data.astype(int)):
        fh.write(str(int(label)) + "," + ",".join(str(v) for v in row) + "\n")
print(len(digits.target), "images written to", os.path.relpath(OUT))
