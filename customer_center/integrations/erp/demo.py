"""The demo ERP data shipped with the project (a contract tests and docs rely on).

Customers 10001 (Müller Maschinenbau GmbH) and 10002 (Acme Industrial Supply Ltd) may
activate the portal, 10003 (Northwind Trading AG) may not; see ``demo_data/*.csv``.
"""

from pathlib import Path


def demo_data_dir() -> Path:
    """The folder of CSV files to pass to ``import_erp_directory``."""
    return Path(__file__).with_name("demo_data")
