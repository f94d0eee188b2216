"""The batch engine: data frames of roles (:mod:`~risk_service.batch.frame`), CSV/Parquet files
streamed in chunks (:mod:`~risk_service.batch.files`) and Dask partitions
(:mod:`~risk_service.batch.distributed`, the ``dask`` extra).

Needs the ``batch`` extra (pandas, pyarrow); the web service never imports this package.
"""
