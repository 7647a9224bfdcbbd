"""Operations: readiness, Prometheus metrics, structured logs, the benchmark ceiling view."""
