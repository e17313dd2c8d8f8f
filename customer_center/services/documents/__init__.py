"""Documents from the ERP: a company's invoices, delivery notes, credit notes, order
confirmations and product certificates, listed and downloaded by its users."""
