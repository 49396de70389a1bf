package io.tributary.sink.hudi;

/** The Hudi table types the sink writes (Hudi's {@code hoodie.table.type}). */
public enum HudiTableType {
  /** Every commit rewrites the base (Parquet) files it touches; readers need no merging. */
  COPY_ON_WRITE,
  /** Commits append log files; readers merge them with base files until a compaction rewrites the base files. */
  MERGE_ON_READ
}
