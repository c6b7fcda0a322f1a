"""Benchmark of ``threatmodel validate`` on synthetic repositories; prints figures.

It builds, in a temporary folder, real git repositories of synthetic threat models
(each about 20 elements, 25 flows and 40 threats, all valid), then times the real
command line with process start included:

* the whole repository (``--models N`` models, 1,000 by default), cold and warm,
  and with ``--no-cache`` when the command offers that flag;
* the pre-commit hook case: one edited model file in a 50-model repository;
* ``threatmodel suggest`` over the whole repository, against twice the time of ``validate``
  there (warm runs both).

With ``--rich`` the models also use the keys of issue 12 (mitigation records cited by the
threats, assumptions, per-target detail, classification and C/I/A, flow authentication and
encryption, element properties, tags), so that their cost shows; without it the models are
the ones the earlier figures were measured on.

Usage::

    .venv/bin/python bench/validate_bench.py [--models N] [--runs R] [--rich] [--baseline REV] [--keep]

Nothing is asserted: the script prints the figures next to their targets.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import Timing, find_cli, machine_facts, print_table

FULL_TARGET_S = 2.0  # whole repository of 1,000 models
HOOK_TARGET_S = 0.3  # one changed file in a 50-model repository
TARGET_MODELS = 1000
HOOK_MODELS = 50
FIXED_DATE = "2026-11-20T12:00:00+00:00"

LEVELS = ("low", "medium", "high", "critical")
STATUSES = ("open", "mitigated", "mitigating", "mitigated", "accepted",
            "mitigated", "open", "not-applicable", "mitigating", "mitigated")
ASSETS = (("cred", "Service credentials", "critical"), ("pii", "Customer PII", "high"),
          ("orders", "Order records", "medium"), ("tokens", "Session tokens", "high"),
          ("logs", "Audit logs", "medium"), ("config", "Service configuration", "low"))
# (id, name, parent): four trust boundaries, the data tier nested in the internal network.
BOUNDARIES = (("internet", "Internet", None), ("dmz", "DMZ", None),
              ("internal", "Internal network", None), ("data", "Data tier", "internal"))
# (id, type, boundary): 4 external entities, 10 processes, 6 data stores.
ELEMENTS = tuple(
    [(f"ext-{k:02d}", "external", "internet") for k in range(1, 5)]
    + [(f"gw-{k:02d}", "process", "dmz") for k in range(1, 3)]
    + [(f"proc-{k:02d}", "process", "internal") for k in range(1, 9)]
    + [(f"store-{k:02d}", "store", "data") for k in range(1, 7)]
)
# 25 flows; the five proc -> proc flows stay inside one boundary, the others cross one.
FLOWS = (
    ("ext-01", "gw-01"), ("ext-02", "gw-01"), ("ext-03", "gw-02"), ("ext-04", "gw-02"),
    ("gw-01", "proc-01"), ("gw-01", "proc-02"), ("gw-02", "proc-03"), ("gw-02", "proc-04"),
    ("proc-01", "proc-05"), ("proc-02", "proc-06"), ("proc-03", "proc-07"),
    ("proc-04", "proc-08"), ("proc-05", "proc-06"),
    ("proc-01", "store-01"), ("proc-02", "store-02"), ("proc-03", "store-03"),
    ("proc-04", "store-04"), ("proc-05", "store-05"), ("proc-06", "store-06"),
    ("proc-07", "store-01"), ("proc-08", "store-02"),
    ("proc-08", "ext-04"), ("gw-02", "ext-03"), ("proc-07", "gw-01"), ("store-03", "proc-06"),
)
# STRIDE letters usable per target type (STRIDE per element).
APPLICABLE = {"external": "SR", "process": "STRIDE", "store": "TRID", "flow": "TID"}
# Threats 26-40 target elements: (targets, letters); the last one mixes a flow and a process.
ELEMENT_THREATS = (
    (["ext-01"], "S"), (["ext-02"], "R"), (["ext-03", "ext-04"], "SR"),
    (["gw-01"], "SE"), (["gw-02"], "D"), (["proc-01"], "TI"), (["proc-02", "proc-03"], "E"),
    (["proc-04"], "R"), (["proc-05"], "ID"), (["proc-06", "proc-07", "proc-08"], "T"),
    (["store-01"], "TI"), (["store-02", "store-03"], "I"), (["store-04"], "R"),
    (["store-05", "store-06"], "D"), (["flow-05", "proc-01"], "T"),
)


# -- synthetic models ---------------------------------------------------------------


def model_id(index: int) -> str:
    """The id (and folder name) of model ``index``: ``svc-0042``."""
    return f"svc-{index:04d}"


def model_path(index: int) -> str:
    """The repository-relative path of model ``index``."""
    return f"services/{model_id(index)}/threat-model.md"


def header_lines(index: int) -> list[str]:
    """Top-level keys of the front matter, down to (and including) the scope."""
    mid = model_id(index)
    return [
        "threatmodel: 1",
        f"id: {mid}",
        f"title: Service {index:04d} threat model",
        f"owner: team-{'abcdefghij'[index % 10]}",
        "status: active",
        "reviewed: {date: 2026-11-20, by: Dana Reyes}",
        "review_every: 180d",
        f'covers: ["services/{mid}/**"]',
        "scope:",
        "  in: [Public API, Background workers, Primary database]",
        "  out: [Shared identity provider, Corporate network]",
    ]


CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
# --rich: (id, title, status); the threats cite the implemented ones when mitigated.
MITIGATIONS = (("M-01", "Mutual TLS between services", "implemented"),
               ("M-02", "Signed requests", "verified"),
               ("M-03", "Rate limiting at the gateway", "implemented"),
               ("M-04", "Input validation on every endpoint", "in-progress"),
               ("M-05", "Audit log shipped to the archive", "implemented"),
               ("M-06", "Least-privilege service roles", "planned"))
ASSUMPTIONS = (("A-01", "The gateway terminates TLS with a managed certificate."),
               ("A-02", "The identity provider enforces two-factor sign-in."),
               ("A-03", "The cloud provider's network isolates the data tier."))


def diagram_lines(rich: bool = False) -> list[str]:
    """Assets, boundaries, elements and flows, one flow-style mapping per line."""
    out = ["assets:"]
    for k, (a, name, impact) in enumerate(ASSETS):
        extra = (f", classification: {CLASSIFICATIONS[k % 4]}, confidentiality: {impact}, "
                 f"integrity: {LEVELS[k % 4]}, tags: [bench]") if rich else ""
        out.append(f"  - {{id: {a}, name: {name}, impact: {impact}{extra}}}")
    out.append("boundaries:")
    for bid, name, parent in BOUNDARIES:
        inside = f", inside: {parent}" if parent else ""
        kind = ", kind: network" if rich else ""
        out.append(f"  - {{id: {bid}, name: {name}{inside}{kind}}}")
    out.append("elements:")
    for k, (eid, kind, boundary) in enumerate(ELEMENTS):
        held = ", ".join(ASSETS[(k + j) % len(ASSETS)][0] for j in range(2))
        extra = (f", technology: Runtime {k}, internet_facing: {str(kind == 'external').lower()}"
                 if rich else "")
        out.append(f"  - {{id: {eid}, name: {kind.title()} {eid}, type: {kind}, "
                   f"boundary: {boundary}, assets: [{held}]{extra}}}")
    out.append("flows:")
    for k, (src, dst) in enumerate(FLOWS, start=1):
        data = ASSETS[k % len(ASSETS)][0]
        extra = (f", returns: [{ASSETS[(k + 1) % len(ASSETS)][0]}], authentication: token, "
                 "authorization: role-based" if rich else "")
        out.append(f'  - {{id: flow-{k:02d}, from: {src}, to: {dst}, label: "GET /x{k}/{{id}}", '
                   f"protocol: HTTPS, auth: token, data: [{data}]{extra}}}")
    return out


def record_lines() -> list[str]:
    """--rich: the model's mitigation records and assumptions."""
    out = ["mitigations:"]
    for mid, title, status in MITIGATIONS:
        out += [f"  - id: {mid}", f"    title: {title}", f"    status: {status}",
                f"    ticket: SEC-{mid[2:]}", "    description: What the control does, in words."]
    out.append("assumptions:")
    out += [f"  - {{id: {aid}, text: {text}, revisit: 2027-06-01}}" for aid, text in ASSUMPTIONS]
    return out


def rich_threat_lines(t: int, targets: list[str], status: str) -> list[str]:
    """--rich: a threat's citations, hurt assets and, on several targets, per-target detail."""
    done = [m for m, _, s in MITIGATIONS if s in ("implemented", "verified")]
    cited = [done[t % len(done)]] if status == "mitigated" else [MITIGATIONS[t % 6][0]]
    out = [f"mitigations: [{', '.join(cited)}]",
           f"assumptions: [{ASSUMPTIONS[t % 3][0]}]",
           f"hurts: [{{asset: {ASSETS[t % len(ASSETS)][0]}, cia: [C, I]}}]",
           "tags: [bench]"]
    if len(targets) > 1 and status in ("open", "mitigating"):
        out += ["per_target:", f"  {targets[-1]}: {{status: mitigated, mitigations: [M-01]}}"]
    return out


def threat_plan() -> list[tuple[list[str], str]]:
    """The 40 (targets, letters) pairs: one threat per flow, then 15 on elements."""
    flow_letters = ("T", "I", "D", "TI", "ID")
    plan = [([f"flow-{k:02d}"], flow_letters[k % len(flow_letters)])
            for k in range(1, len(FLOWS) + 1)]
    return plan + [(list(targets), letters) for targets, letters in ELEMENT_THREATS]


def status_lines(status: str, ticket: str) -> list[str]:
    """The keys a threat's status asks for (ticket, mitigation, acceptance, rationale)."""
    if status in ("open", "mitigating"):
        return [f"ticket: {ticket}", "mitigation: Rate limiting and input validation planned"]
    if status == "mitigated":
        return ["mitigation: Mutual TLS with pinned certificates and signed requests"]
    if status == "accepted":
        return ["acceptance: {by: CFO, date: 2026-11-20, expires: 2027-09-01, "
                "rationale: Low exposure behind the gateway}"]
    return ["rationale: The component never handles this kind of data"]


def threat_lines(index: int, rich: bool = False) -> list[str]:
    """The threats, block style, one key per line; ids are unique across the repository."""
    out = ["threats:"]
    for t, (targets, letters) in enumerate(threat_plan(), start=1):
        status = STATUSES[(index + t) % len(STATUSES)]
        keys = [
            f"id: S{index:04d}-T{t:03d}",
            f"title: Threat {t} against {targets[0]}",
            f"stride: [{', '.join(letters)}]",
            f"targets: [{', '.join(targets)}]",
            f"story: An attacker abuses {targets[0]} to reach the data behind it.",
            f"likelihood: {LEVELS[t % 4]}",
            f"impact: {LEVELS[(t // 4 + index) % 4]}",
            f"status: {status}",
            f"owner: team-{'abcdefghij'[(index + t) % 10]}",
            *status_lines(status, f"HC-{(index * 40 + t) % 9000 + 100}"),
            *(rich_threat_lines(t, targets, status) if rich else []),
        ]
        out.append("  - " + keys[0])
        out += ["    " + key for key in keys[1:]]
    return out


def model_text(index: int, rich: bool = False) -> str:
    """The whole Markdown file of model ``index``: front matter and a short body."""
    front = header_lines(index) + diagram_lines(rich) + threat_lines(index, rich)
    if rich:
        front += record_lines()
    body = [f"# Service {index:04d}", "",
            "Synthetic model written by bench/validate_bench.py.", ""]
    return "\n".join(["---", *front, "---", "", *body])


def check_plan() -> None:
    """Fail fast if the fixed tables break STRIDE per element (a bug in this script)."""
    kinds = {eid: kind for eid, kind, _ in ELEMENTS}
    kinds.update({f"flow-{k:02d}": "flow" for k in range(1, len(FLOWS) + 1)})
    for targets, letters in threat_plan():
        for target in targets:
            bad = set(letters) - set(APPLICABLE[kinds[target]])
            if bad:
                raise SystemExit(f"bench bug: {sorted(bad)} do not apply to {target}")


# -- repositories --------------------------------------------------------------------


def git(args: list[str], cwd: Path) -> None:
    """Run git quietly with fixed dates and identity, ignoring the user's hooks and signing."""
    env = {**os.environ, "GIT_AUTHOR_DATE": FIXED_DATE, "GIT_COMMITTER_DATE": FIXED_DATE}
    config = ["-c", "user.name=Bench Bot", "-c", "user.email=bench@example.invalid",
              "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
    subprocess.run(["git", *config, *args], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def make_repo(root: Path, count: int, rich: bool = False) -> tuple[float, float]:
    """Write ``count`` models under ``root`` and commit them; returns (write s, git s)."""
    start = time.perf_counter()
    root.mkdir(parents=True)
    (root / "README.md").write_text("# Synthetic services\n", encoding="utf-8")
    for index in range(count):
        path = root / model_path(index)
        path.parent.mkdir(parents=True)
        path.write_text(model_text(index, rich), encoding="utf-8", newline="\n")
    written = time.perf_counter()
    git(["init", "-q"], root)
    git(["add", "-A"], root)
    git(["commit", "-q", "--no-verify", "-m", "Synthetic threat models"], root)
    return written - start, time.perf_counter() - written


def edit_model(root: Path, index: int) -> str:
    """Append a line to one model's body (an unstaged change); returns its path."""
    rel = model_path(index)
    with open(root / rel, "a", encoding="utf-8", newline="\n") as handle:
        handle.write("Edited for the pre-commit benchmark.\n")
    return rel


# -- running the command line --------------------------------------------------------




def run_cli(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``cmd`` in ``cwd``; returns its wall time (process start included) and result.

    Each repository gets its own, initially empty, parse cache (beside it), so the
    first run of a scenario is cold and the later ones are warm.
    """
    env = {**os.environ, "THREATMODEL_CACHE_DIR": str(cwd.parent / f"cache-{cwd.name}")}
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, proc


def report_findings(label: str, proc: subprocess.CompletedProcess) -> None:
    """Print how many findings a validation printed, and the first five if any."""
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    summary = proc.stderr.strip().splitlines()
    print(f"  {label}: exit {proc.returncode}, {len(lines)} findings"
          f" ({summary[-1] if summary else 'no summary'})")
    for line in lines[:5]:
        print(f"    {line}")


def measure(label: str, cmd: list[str], cwd: Path, runs: int) -> Timing:
    """One cold run (also the warm-up, its findings printed), then ``runs`` timed runs."""
    cold, proc = run_cli(cmd, cwd)
    report_findings(label, proc)
    times = [run_cli(cmd, cwd)[0] for _ in range(runs)]
    return Timing(label, cold, times)


def has_flag(cli: str, flag: str) -> bool:
    """Whether ``threatmodel validate --help`` mentions ``flag``."""
    proc = subprocess.run([cli, "validate", "--help"], capture_output=True, text=True)
    return flag in proc.stdout


def peak_rss_mib() -> float:
    """Largest resident set of any waited-for child process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- report --------------------------------------------------------------------------






# -- against an earlier revision ------------------------------------------------------


def checkout_of(rev: str, into: Path) -> Path:
    """The package as it was at ``rev`` (``git archive``), byte-compiled, under ``into``."""
    project = Path(__file__).resolve().parent.parent
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(project), "archive", "--format=tar", rev, "--",
                              "mkdocs_threatmodel"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into)], check=True)
    return into


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def against(rev: str, full: Path, base: Path, runs: int) -> None:
    """Warm ``validate`` of this code and of ``rev``'s, run in turns on the same repository.

    Both run as ``python -m mkdocs_threatmodel`` with their own package on ``PYTHONPATH``
    and their own cache folder. CPU time is printed beside wall time: on a shared machine
    it moves less.
    """
    project = Path(__file__).resolve().parent.parent
    trees = {"this code": project, rev: checkout_of(rev, base / "baseline")}
    cmd = [sys.executable, "-m", "mkdocs_threatmodel", "validate"]
    envs = {name: {**os.environ, "PYTHONPATH": str(tree),
                   "THREATMODEL_CACHE_DIR": str(base / f"cache-{abs(hash(name))}")}
            for name, tree in trees.items()}
    for name in trees:  # fill each cache
        timed(cmd, full, envs[name])
    got: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for _ in range(runs):
        for name in trees:
            got[name].append(timed(cmd, full, envs[name]))
    print(f"\nWarm validate against {rev} ({runs} runs each, in turns; median wall / CPU)")
    med = {}
    for name, values in got.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        med[name] = (wall, cpu)
        print(f"  {name:<12} {wall:.3f} s wall   {cpu:.3f} s CPU")
    ratio_wall = med["this code"][0] / med[rev][0]
    ratio_cpu = med["this code"][1] / med[rev][1]
    print(f"  this code / {rev}: {ratio_wall:.2f} wall, {ratio_cpu:.2f} CPU "
          f"(target at most 1.10: {'ok' if min(ratio_wall, ratio_cpu) <= 1.10 else 'OVER'})")


# -- main ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=TARGET_MODELS, metavar="N",
                        help="models in the whole-repository case (default 1000)")
    parser.add_argument("--runs", type=int, default=5, metavar="R",
                        help="timed runs after the warm-up; the median is reported (default 5)")
    parser.add_argument("--rich", action="store_true",
                        help="models that also use issue 12's keys (records, per-target, ...)")
    parser.add_argument("--baseline", metavar="REV",
                        help="also time validate of the code at git revision REV, interleaved "
                        "with this code's runs, and print the ratio (issue 12: within 10%%)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary repositories and print where they are")
    args = parser.parse_args(argv)
    if args.models < 1 or args.runs < 1:
        parser.error("--models and --runs must be at least 1")
    return args


def generate(base: Path, models: int, rich: bool = False) -> tuple[Path, Path, str]:
    """Build both repositories, printing how long it took; returns (full, hook, edited)."""
    full, hook = base / "full", base / "hook"
    write_s, git_s = make_repo(full, models, rich)
    print(f"  {models} models: written in {write_s:.2f} s, git init/add/commit in {git_s:.2f} s")
    write_s, git_s = make_repo(hook, HOOK_MODELS, rich)
    edited = edit_model(hook, HOOK_MODELS // 2)
    print(f"  {HOOK_MODELS} models (hook repo): written in {write_s:.2f} s, "
          f"git in {git_s:.2f} s; edited {edited}")
    size = sum(p.stat().st_size for p in (full / "services").rglob("*.md"))
    one = model_text(0, rich)
    print(f"  one model{' (--rich)' if rich else ''}: {one.count(chr(10)) + 1} lines, "
          f"{len(one.encode()) / 1024:.1f} KiB; all {models}: {size / 2**20:.1f} MiB")
    return full, hook, edited


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    check_plan()
    cli = find_cli()
    print("Machine")
    for line in machine_facts(cli):
        print(f"  {line}")
    base = Path(tempfile.mkdtemp(prefix="threatmodel-bench-"))
    try:
        print("\nGenerating")
        started = time.perf_counter()
        full, hook, edited = generate(base, args.models, args.rich)
        print(f"  total generation: {time.perf_counter() - started:.2f} s")
        rss_before = peak_rss_mib()

        print(f"\nValidating (cold run = empty parse cache, also the warm-up; then median of "
              f"{args.runs} warm runs)")
        label = f"whole repo, {args.models:,} models"
        rows = [(label, measure(label, [cli, "validate"], full, args.runs),
                 FULL_TARGET_S if args.models == TARGET_MODELS else None)]
        if has_flag(cli, "--no-cache"):
            label = f"whole repo, {args.models:,} models, --no-cache"
            rows.append((label, measure(label, [cli, "validate", "--no-cache"], full, args.runs),
                         None))
        else:
            print("  (validate has no --no-cache flag: that case is skipped)")
        validate_s = rows[0][1]
        label = f"suggest --format json, {args.models:,} models"
        suggest_s = measure(label, [cli, "suggest", "--format", "json"], full, args.runs)
        rows.append((label, suggest_s, 2 * validate_s.median))
        label = f"hook: 1 changed file, {HOOK_MODELS}-model repo"
        rows.append((label, measure(label, [cli, "validate", edited], hook, args.runs),
                     HOOK_TARGET_S))
        rss_after = peak_rss_mib()
        if args.baseline:
            against(args.baseline, full, base, args.runs)

        print("\nResults (wall time, process start included)")
        print_table(rows)
        print(f"suggest / validate (warm medians): "
              f"{suggest_s.median / validate_s.median:.2f} (target at most 2)")
        print(f"\nPeak RSS of a child process: {rss_after:.1f} MiB "
              f"(before any validation, from git alone: {rss_before:.1f} MiB)")
        if args.models != TARGET_MODELS:
            print(f"(the whole-repo target, < {FULL_TARGET_S:g} s, is for {TARGET_MODELS:,} "
                  "models; run with the default --models to judge it)")
    finally:
        if args.keep:
            print(f"\nKept the repositories in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
