"""Prints the reference figures used by DatasetsCatalogTests (never run by the tests).

Re-implements the preprocessing of Ross et al.'s code (alexisjihyeross/adversarial_recourse, utils/data_utils.py, as
described in docs/datasets.md) with pandas, and splits with scikit-learn. Produced the fixtures with pandas 1.5.3,
numpy 1.24.2, scikit-learn 1.2.1 (Debian bookworm: apt-get install python3-pandas python3-sklearn):
    python3 test/Microsoft.ML.Recourse.Tests/Datasets/reference_fixtures.py [data folder, default ../shared/data]
"""
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

warnings.filterwarnings("ignore")
DATA = (sys.argv[1] if len(sys.argv) > 1 else "../shared/data").rstrip("/") + "/"


def zscore(X, categorical, given=None):
    means, stds = [0.0] * X.shape[1], [1.0] * X.shape[1]
    for i, c in enumerate(X.columns):
        if c not in categorical:
            means[i], stds[i] = X[c].mean(), X[c].std()  # std: ddof=1
            m, s = (means[i], stds[i]) if given is None else (given[0][i], given[1][i])
            X[c] = (X[c] - m) / s
    return X, means, stds


def contains(series, text):
    return series.map(lambda v: 1 if text in v else 0)


def adult():
    df = pd.read_csv(DATA + "adult/adult.csv")  # no header=None: the first record is lost, as in the reference
    df.columns = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
                  "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "label"]
    X = df[["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]].copy()
    X["isWhite"] = contains(df["race"], "White")
    X["native-country-United-States"] = contains(df["native-country"], "United-States")
    X["marital-status-Married"] = contains(df["marital-status"], "Married")
    X["isMale"] = contains(df["sex"], "Male")
    y = df["label"].map({" <=50K": 0.0, " >50K": 1.0})
    return zscore(X, list(X.columns[5:])) + (y,)


def compas():
    df = pd.read_csv(DATA + "compas/compas-scores-two-years.csv", index_col=0)
    df = df.loc[(df["days_b_screening_arrest"] <= 30) & (df["days_b_screening_arrest"] >= -30) & (df["is_recid"] != -1)
                & (df["c_charge_degree"] != "O") & (df["score_text"] != "NA")]
    X = df[["age", "priors_count"]].copy()
    X["length_of_stay"] = (pd.to_datetime(df["c_jail_out"]) - pd.to_datetime(df["c_jail_in"])).dt.days
    X["days_b_screening_arrest"] = df["days_b_screening_arrest"]
    X["isMale"] = contains(df["sex"], "Male")
    X["isCaucasian"] = contains(df["race"], "Caucasian")
    X["c_charge_degree_F"] = contains(df["c_charge_degree"], "F")
    y = (df["two_year_recid"] == 0).astype(float)
    return zscore(X, list(X.columns[4:])) + (y,)


def german():
    df = pd.read_csv(DATA + "german/german.csv")
    X = df[["duration", "amount", "personal_status_sex", "age"]].copy()  # file order, as the reference's column filter
    y = (df["credit_risk"] == 0).astype(float)
    X, means, stds = zscore(X, ["personal_status_sex"])
    return pd.get_dummies(X, columns=["personal_status_sex"]), means, stds, y


def bail(subset, given=None):
    df = pd.read_csv(DATA + "bail/bail_%s.csv" % subset)
    df = df[(df["FILE"] != 3) & (df["PRIORS"] != -9) & (df["SCHOOL"] != 0)]
    y = (df["RECID"] == 0).astype(float)
    X = df.drop(columns=["RECID", "TIME", "FILE"])
    return zscore(X, list(X.columns[:10]), given) + (y,)


def split(X, y, seed, test_size, X_test=None, y_test=None):
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=seed)
    if X_test is None:
        X_val, X_test, y_val, y_test = train_test_split(X_val, y_val, test_size=test_size, random_state=seed)
    else:
        _, X_test, _, y_test = train_test_split(X_test, y_test, test_size=test_size, random_state=seed)
    return (X_train, X_val, X_test), (y_train, y_val, y_test)


for name in ["adult", "compas", "german", "bail"]:
    X_file = y_file = None
    if name == "bail":
        X, means, stds, y = bail("train")
        X_file, _, _, y_file = bail("test", (means, stds))
    else:
        X, means, stds, y = globals()[name]()
    print(name, list(X.columns), "rows", len(X), "positives", int(y.sum()), "rate", repr(float(y.mean())))
    print("  mean", [repr(float(v)) for v in means])
    print("  std ", [repr(float(v)) for v in stds])
    if X_file is not None:
        print("  test file rows", len(X_file), "positives", int(y_file.sum()))
    for seed in [0, 42]:
        Xs, ys = split(X, y, seed, 100 if name == "german" else 500, X_file, y_file)
        print("  seed", seed, "sizes", [len(a) for a in Xs], "positives", [int(a.sum()) for a in ys])
        print("    first ids (train, val, test)", [list(a.index[:5]) for a in Xs])
        print("    first test row", [repr(float(v)) for v in Xs[2].iloc[0].values])
