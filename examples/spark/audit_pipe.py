"""Audit a transcript export with Spark: every partition piped through `huashu audit --format jsonl`.

    spark-submit --master 'local[2]' examples/spark/audit_pipe.py INPUT.jsonl OUTPUT_DIR [PARTITIONS] [HUASHU]

INPUT is JSON lines (or CSV without its header line: add --columns to the command below). Each
partition's result lines land in OUTPUT_DIR/part-NNNNN, in the input's order; merge them with

    huashu audit merge OUTPUT_DIR/part-* --summary summary.json --report report.html

Every executor needs node and huashu (HUASHU: the command, default `huashu`).
"""
import os
import shlex
import sys

from pyspark import SparkContext


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    partitions = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    huashu = sys.argv[4] if len(sys.argv) > 4 else "huashu"
    name = os.path.basename(src)
    # One huashu per partition, one thread each (Spark runs the partitions side by side); --input-name
    # gives the results the export's own name, as a single run over the file would.
    command = f"{huashu} audit --stdin --format jsonl --jobs 1 --input-name {shlex.quote(name)}"
    sc = SparkContext(appName="huashu-audit")
    try:
        sc.textFile(src, minPartitions=partitions).pipe(command).saveAsTextFile(out)
    finally:
        sc.stop()


if __name__ == "__main__":
    main()
