"""The derived tables rebuilt from the warehouse: read what is stored, transform it with ``transforms``, and
replace the kick-off dates in one transaction. Each function is one asset's unit of work."""
