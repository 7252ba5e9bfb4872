"""Runs the report sections in a process pool (CPU-bound, GIL-holding work)."""
import sys
from concurrent.futures import ProcessPoolExecutor

from reports.generator import report_section


def build_report(sections=8):
    with ProcessPoolExecutor() as pool:
        return list(pool.map(report_section, range(sections)))


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    print("\n\n".join(build_report(count)))
