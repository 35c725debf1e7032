"""Readers of the official CMS/CDC file formats (order file, Tabular List XML, archives), used
at run time by :func:`icd10cm.release_from_files` and by the data build."""
