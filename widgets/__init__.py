"""CFN Doctor's Qt views.  They know the core's documents and findings, never file
formats: all reading and writing goes through :mod:`app`."""
