"""Documents in and out: JSON for codes, encounters, findings, validations and sequencings."""
