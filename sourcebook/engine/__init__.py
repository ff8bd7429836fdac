"""The engine and the write stage: pipeline runs load → anchor → facts → render for every
command; output is where the files go (a site folder swapped in whole, memory, or nowhere);
factfiles keeps content/facts/ current; state is what a build leaves for the next; commands are
the work of `build`, `check` and the preview."""
