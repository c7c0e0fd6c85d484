"""Where the gateway's CPU went, from `perf script` output: each sample is charged to the innermost
frame outside System.Private.CoreLib (an assembly, or a Gateway type), else to the kernel or the runtime."""
import collections, re, sys

samples = open(sys.argv[1]).read().split("\n\n")
counts, total = collections.Counter(), 0
for sample in samples:
    lines = sample.strip().split("\n")
    if len(lines) < 2:
        continue
    total += 1
    bucket = None
    for line in lines[1:]:
        m = re.search(r"\[([A-Za-z0-9_.]+)\] ([A-Za-z0-9_.`+<>]+)", line)
        if m and m.group(1) not in ("System.Private.CoreLib", "System.Runtime"):
            bucket = "Gateway: " + m.group(2).split("::")[0][:60] if m.group(1) == "Gateway" else m.group(1)
            break
    counts[bucket or ("kernel" if "kernel" in lines[1] else "runtime (JIT, GC, thread pool)")] += 1
print(f"{total} samples")
for name, n in counts.most_common(30):
    print(f"{100 * n / total:6.2f}%  {name}")
