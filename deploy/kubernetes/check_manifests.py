#!/usr/bin/env python3
"""Renders the Indexed Job manifests as a cluster would run them, without a cluster.

For every completion index the shard pod's shell command is run with JOB_COMPLETION_INDEX set and
a stub `portgrid` on PATH that records its arguments; the indices must map to distinct shards
1..N of N, one seed, distinct report files. The merge job's init container must still wait while
any shard's report is missing and finish once all are there, and the merge must read exactly the
shards' reports. Exits 1 with one line per failure. Usage: check_manifests.py [DIR]
"""
import json, os, subprocess, sys, tempfile, time

import yaml

HERE = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def load(name):
    with open(os.path.join(HERE, name)) as f:
        return [doc for doc in yaml.safe_load_all(f) if doc]


def job(docs, name):
    return next(d for d in docs if d["kind"] == "Job" and d["metadata"]["name"] == name)


def env_of(container):
    return {e["name"]: e["value"] for e in container.get("env", [])}


def stub_path(scratch, log):
    bin_dir = os.path.join(scratch, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    stub = os.path.join(bin_dir, "portgrid")
    with open(stub, "w") as f:
        f.write("#!/bin/sh\npython3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' \"$@\" >> %s\n" % log)
    os.chmod(stub, 0o755)
    return bin_dir + os.pathsep + os.environ["PATH"]


def render(container, results, fast=True):
    """The container's shell script with the volume at `results` (and short sleeps)."""
    script = container["args"][0].replace("/results", results)
    return script.replace("sleep 10", "sleep 0.1") if fast else script


def option(argv, name):
    return argv[argv.index(name) + 1] if name in argv else None


shards_docs, merge_docs = load("portgrid-shards.yaml"), load("portgrid-merge.yaml")
shards, merge = job(shards_docs, "portgrid-shards"), job(merge_docs, "portgrid-merge")
count = shards["spec"]["completions"]
check(shards["spec"].get("completionMode") == "Indexed", "the shard job is not an Indexed Job")
check(shards["spec"].get("parallelism") == count, "parallelism differs from completions: shards would queue")
shard_container = shards["spec"]["template"]["spec"]["containers"][0]
check(int(env_of(shard_container)["SHARDS"]) == count, "SHARDS differs from completions")
claim = {v["persistentVolumeClaim"]["claimName"] for d in (shards, merge) for v in d["spec"]["template"]["spec"]["volumes"]}
check(len(claim) == 1, "shards and merge do not share one volume")

with tempfile.TemporaryDirectory() as scratch:
    results = os.path.join(scratch, "results")
    os.makedirs(results)
    log = os.path.join(scratch, "calls.jsonl")
    path = stub_path(scratch, log)
    for index in range(count):
        environment = dict(os.environ, PATH=path, JOB_COMPLETION_INDEX=str(index), **env_of(shard_container))
        subprocess.run(["/bin/sh", "-c", render(shard_container, results)], env=environment, check=True)
    calls = [json.loads(line) for line in open(log)]
    check(len(calls) == count, "expected %d shard runs, got %d" % (count, len(calls)))
    shard_args = [option(c, "--shard") for c in calls]
    check(sorted(shard_args, key=lambda s: int(s.split("/")[0])) == ["%d/%d" % (i, count) for i in range(1, count + 1)],
          "completion indices do not map to distinct shards 1..%d of %d: %s" % (count, count, shard_args))
    check(len({option(c, "--seed") for c in calls}) == 1 and option(calls[0], "--seed"), "shards do not share one seed")
    outputs = [option(c, "-oJ") for c in calls]
    check(len(set(outputs)) == count and all(o.startswith(results + "/") for o in outputs),
          "shards do not write distinct reports on the shared volume: %s" % outputs)
    rest = [[a for a in c if a not in (option(c, "--shard"), option(c, "-oJ"))] for c in calls]
    check(all(r == rest[0] for r in rest), "shards differ in more than their shard and report file")

    # The merge's init container waits for every shard's report, whichever arrives last.
    merge_spec = merge["spec"]["template"]["spec"]
    waiter, merger = merge_spec["initContainers"][0], merge_spec["containers"][0]
    for last in range(count):
        for o in outputs:
            if os.path.exists(o):
                os.remove(o)
        for i, o in enumerate(outputs):
            if i != last:
                open(o, "w").write("{}")
        environment = dict(os.environ, **env_of(waiter))
        waiting = subprocess.Popen(["/bin/sh", "-c", render(waiter, results)], env=environment)
        time.sleep(0.5)
        check(waiting.poll() is None, "the merge step started with shard report %s missing" % outputs[last])
        open(outputs[last], "w").write("{}")
        try:
            waiting.wait(timeout=10)
        except subprocess.TimeoutExpired:
            waiting.kill()
            check(False, "the merge step still waits after every shard report landed")
        check(waiting.returncode == 0, "the wait step failed")

    os.remove(log)
    environment = dict(os.environ, PATH=path, **env_of(merger))
    subprocess.run(["/bin/sh", "-c", render(merger, results)], env=environment, check=True)
    merge_call = json.loads(open(log).readline())
    check(merge_call[0] == "merge", "the merge container does not run portgrid merge")
    inputs = [a for a in merge_call[1:] if a.startswith(results + "/shard-")]
    check(sorted(inputs) == sorted(outputs), "the merge reads %s, the shards write %s" % (inputs, outputs))

for failure in failures:
    print("check_manifests: " + failure, file=sys.stderr)
if failures:
    sys.exit(1)
print("check_manifests: %d completion indices map to shards 1..%d/%d; the merge waits for all %d reports"
      % (count, count, count, count))
