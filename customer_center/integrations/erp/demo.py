"""The demo ERP data shipped with the project (a contract tests and docs rely on)."""

from pathlib import Path


def demo_data_dir() -> Path:
    return Path(__file__).with_name("demo_data")
