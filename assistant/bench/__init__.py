"""``assistant bench``: each measurement runs beside its baseline in the same process run."""
