"""trial-evidence: clinical-trial reports -> structured, queryable evidence."""

__version__ = "0.1.0"
