"""The data-free core: code text, the value types (codes, chapters, blocks, notes, releases
as stores) and nothing that reads bundled data. Every other package builds on this one."""
