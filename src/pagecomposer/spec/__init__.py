"""Loading and validating issue.yaml and layout files into plain dataclasses."""
