"""The ERP over HTTP: the contract of ``docs/erp-openapi.yaml`` (``/v1``), its client
(``CC_ERP=http``) and the reference service (``customer-center erp serve``)."""
