"""The weekly digest under Dagster: a job building and sending it, a schedule per site country."""
