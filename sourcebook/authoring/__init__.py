"""Tools for the researcher beside the build: `new` drafts an annotation from a seed (new,
draft, metadata, boilerplate, draft_yaml), and `check`'s coverage report finds topic
mentions that no claim covers (coverage). Both use the selector module, as the build does."""
