"""The Spark recipe of docs/frames.md, as tests/test_frame_check.py runs it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

import icd10cm.frame
import icd10cm.frame.claims_arrow

__all__ = ["FINDINGS", "ORDER", "check_with_spark"]

# The tables of icd10cm.frame.check in Spark's terms (encounter ids are strings here).
FINDINGS = ("encounter string, rule string, severity string, positions array<bigint>, "
            "codes array<string>, message string, suggestions array<string>, "
            "release string, source_release string")
ORDER = "encounter string, position bigint, code string, from_position bigint, rule string"


def check_with_spark(claims: Any) -> tuple[Any, Any]:
    """The findings and order tables (pyarrow) of a pandas claims table, checked by Spark."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers need icd10cm too

    def check_partition(batches: Iterator[pa.RecordBatch], part: str) -> Iterator[pa.RecordBatch]:
        """*part* ("findings" or "order") of icd10cm.frame.check on one partition."""
        table = pa.Table.from_batches(list(batches))  # every row of the partition
        if table.num_rows == 0:
            return
        checked = icd10cm.frame.check(table, encounter="claim", code="dx",
                                      position="dx_position", setting="setting",
                                      release="2027")
        findings, order = icd10cm.frame.claims_arrow.schemas(pa.string(), dictionary=False)
        if part == "findings":
            yield from checked.findings.cast(findings).to_batches()
        else:
            yield from checked.order.cast(order).to_batches()

    spark = (SparkSession.builder.master("local[2]").appName("icd10cm")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    try:
        frame = spark.createDataFrame(claims)
        by_claim = frame.repartition(4, "claim")  # every row of an encounter in one partition
        findings = by_claim.mapInArrow(lambda b: check_partition(b, "findings"), FINDINGS)
        order = by_claim.mapInArrow(lambda b: check_partition(b, "order"), ORDER)
        return findings.toArrow(), order.toArrow()
    finally:
        spark.stop()
