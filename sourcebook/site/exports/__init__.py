"""The exports, one module each: the data files the site publishes beside its pages."""
