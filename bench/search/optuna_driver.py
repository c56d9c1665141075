"""Optuna TPESampler driven over a JSON-lines pipe (stdin requests, stdout answers).

Requests:
  {"op": "create", "id": str, "seed": int, "startup": int | null, "params": [spec, ...]}
  {"op": "ask", "id": str}                  -> {"params": {...}}
  {"op": "tell", "id": str, "state": "complete" | "fail", "value": float, "constraints": [float]}
Specs mirror the normalised search space: kind categorical/bool/int/float, values, low, high, step,
log, when (condition). Constraints are passed to TPE through constraints_func (<= 0 feasible).
"""
import json
import sys
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
# constraints_func is marked experimental in Optuna 3.1; the warning would repeat for every study.
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

studies = {}


def constraints_func(trial):
    return trial.user_attrs.get("constraints", [])


def active(spec, params):
    when = spec.get("when")
    if not when:
        return True
    return all(params.get(parent) in values for parent, values in when.items())


def suggest(trial, spec, params):
    name, kind = spec["name"], spec["kind"]
    if kind == "categorical":
        return trial.suggest_categorical(name, spec["values"])
    if kind == "bool":
        return trial.suggest_categorical(name, [False, True])
    step = spec.get("step")
    log = spec.get("log", False)
    if kind == "int":
        return trial.suggest_int(name, spec["low"], spec["high"], step=1 if log else (step or 1), log=log)
    if step is not None and not log:
        return trial.suggest_float(name, spec["low"], spec["high"], step=step)
    return trial.suggest_float(name, spec["low"], spec["high"], log=log)


def handle(req):
    op = req["op"]
    if op == "create":
        kwargs = {"seed": req["seed"], "constraints_func": constraints_func}
        if req.get("startup") is not None:
            kwargs["n_startup_trials"] = req["startup"]
        sampler = optuna.samplers.TPESampler(**kwargs)
        study = optuna.create_study(direction="minimize", sampler=sampler)
        studies[req["id"]] = {"study": study, "specs": req["params"], "trial": None}
        return {"ok": True}
    entry = studies[req["id"]]
    if op == "ask":
        trial = entry["study"].ask()
        params = {}
        for spec in entry["specs"]:
            if active(spec, params):
                params[spec["name"]] = suggest(trial, spec, params)
        entry["trial"] = trial
        return {"params": params}
    if op == "tell":
        trial = entry["trial"]
        if req["state"] == "complete":
            trial.set_user_attr("constraints", req.get("constraints", []))
            entry["study"].tell(trial, req["value"])
        else:
            trial.set_user_attr("constraints", [1.0])
            entry["study"].tell(trial, state=optuna.trial.TrialState.FAIL)
        return {"ok": True}
    if op == "drop":
        studies.pop(req["id"], None)
        return {"ok": True}
    raise ValueError("unknown op " + op)


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        answer = handle(json.loads(line))
    except Exception as error:  # report and keep serving
        answer = {"error": repr(error)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
