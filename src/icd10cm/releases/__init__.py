"""The bundled releases: reading the data files, the registry that loads and resolves
releases, building a release from official files, history, diffs and conversions."""
