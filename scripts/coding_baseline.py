#!/usr/bin/env python3
"""The scikit-learn baseline beside `whatmatters bench coding` (issue 12).

TF-IDF over words and word pairs (sublinear tf) and a one-vs-rest LinearSVC (C = 1), trained on
TRAIN.csv and scored on TEST.csv (columns id,text,codes with `|`-separated codes), scored the way
`whatmatters coding evaluate` scores: micro-F1, and macro-F1 over the labels present in the test
file (a test label never seen in training counts with F1 0). Prints one JSON object.

Usage: /usr/bin/python3 scripts/coding_baseline.py TRAIN.csv TEST.csv
Needs Debian's python3-sklearn; prints {"unavailable": "..."} and exits 0 when it is missing.
"""
import csv
import json
import sys
import time

try:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC
    import sklearn
except ImportError as error:  # the bench says so rather than failing
    print(json.dumps({"unavailable": f"scikit-learn is not installed ({error})"}))
    sys.exit(0)


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [[c.strip() for c in r["codes"].split("|") if c.strip()] for r in rows]


def main():
    train_text, train_codes = read(sys.argv[1])
    test_text, test_codes = read(sys.argv[2])
    started = time.perf_counter()
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    x_train = vectoriser.fit_transform(train_text)
    binariser = MultiLabelBinarizer()
    y_train = binariser.fit_transform(train_codes)
    model = OneVsRestClassifier(LinearSVC(C=1.0, random_state=0)).fit(x_train, y_train)
    train_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    predicted = model.predict(vectoriser.transform(test_text))
    predict_s = time.perf_counter() - started
    labels = list(binariser.classes_)
    counts = {}
    for row, actual in zip(predicted, test_codes):
        given = {labels[j] for j, v in enumerate(row) if v}
        for label in given | set(actual):
            c = counts.setdefault(label, [0, 0, 0])
            if label in given and label in actual:
                c[0] += 1
            elif label in given:
                c[1] += 1
            else:
                c[2] += 1
    f1s = [2 * tp / (2 * tp + fp + fn) for tp, fp, fn in counts.values() if tp + fn > 0]
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "microF1": round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else 0,
        "macroF1": round(sum(f1s) / len(f1s), 4) if f1s else 0,
        "trainMs": round(train_ms),
        "predictionsPerSecond": round(len(test_text) / predict_s) if predict_s > 0 else None,
    }))


if __name__ == "__main__":
    main()
